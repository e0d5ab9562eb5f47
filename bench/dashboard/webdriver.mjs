// A minimal W3C WebDriver client over fetch: enough to drive Debian's chromium through its chromedriver from
// Node without downloading a browser or a driver.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class Browser {
  static async start({ width = 1280, height = 900, chromedriver = '/usr/bin/chromedriver', chromium = '/usr/bin/chromium' } = {}) {
    const port = await freePort();
    const driver = spawn(chromedriver, [`--port=${port}`], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/status`, 15000);
    const res = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': {
        binary: chromium,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--window-size=${width},${height}`,
          '--hide-scrollbars'],
      } } } }),
    });
    const body = await res.json();
    if (!res.ok) {
      driver.kill();
      throw new Error(`chromedriver: ${JSON.stringify(body.value)}`);
    }
    const browser = new Browser(driver, `${base}/session/${body.value.sessionId}`);
    await browser.cmd('POST', '/timeouts', { script: 600000, pageLoad: 120000 });
    return browser;
  }

  constructor(driver, session) {
    this.driver = driver;
    this.session = session;
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.session}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value).slice(0, 500)}`);
    return json.value;
  }

  /** A Chrome DevTools Protocol command (chromedriver's goog/cdp/execute). */
  cdp(cmd, params = {}) {
    return this.cmd('POST', '/goog/cdp/execute', { cmd, params });
  }

  go(url) {
    return this.cmd('POST', '/url', { url });
  }

  /** Runs a function body in the page; `arguments` are passed through. */
  exec(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  execAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async waitUntil(script, { timeout = 30000, interval = 50 } = {}, ...args) {
    const end = Date.now() + timeout;
    for (;;) {
      const v = await this.exec(script, ...args);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for: ${script}`);
      await new Promise((r) => setTimeout(r, interval));
    }
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  async setWindow(width, height) {
    await this.cmd('POST', '/window/rect', { width, height });
  }

  async quit() {
    try {
      await this.cmd('DELETE', '');
    } finally {
      this.driver.kill();
    }
  }
}
