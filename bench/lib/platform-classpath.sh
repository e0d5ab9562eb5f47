# Sourced by the platform bench scripts: compiles db and platform-api with their test classes (where the
# benchmarks live) when a source is newer than the last build, and sets PLATFORM_CLASSPATH.
stamp=platform-api/target/bench-classpath.txt
if [ ! -f "$stamp" ] || [ -n "$(find pom.xml db/pom.xml db/src platform-api/pom.xml platform-api/src -newer "$stamp" -print -quit)" ]; then
  echo "building db and platform-api..." >&2
  ./mvnw -q -B -pl db,platform-api -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2
fi
PLATFORM_CLASSPATH="platform-api/target/test-classes:platform-api/target/classes:db/target/classes:$(cat "$stamp")"
export PLATFORM_CLASSPATH
