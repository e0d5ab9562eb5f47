#!/bin/sh
# Run by the web-ui Maven module before npm: a clear message when node or npm is missing or too old.
help="Install Node.js 20 or newer with npm (Debian: apt-get install nodejs npm; or https://nodejs.org), or build without the dashboard: ./mvnw -Dweb-ui.skip ..."
if ! command -v node >/dev/null 2>&1; then
  echo "The dashboard (web-ui) needs node on the PATH, and there is none. $help" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "The dashboard (web-ui) needs npm on the PATH, and there is none (node $(node --version) is there). $help" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "The dashboard (web-ui) needs Node.js 20 or newer; $(command -v node) is $(node --version). $help" >&2
  exit 1
fi
