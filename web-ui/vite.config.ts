import { defineConfig, type Plugin } from 'vite';

// The dev server proxies /api to a running platform: TRAINYARD_URL=http://127.0.0.1:8080 npm run dev
const platform = process.env.TRAINYARD_URL ?? 'http://127.0.0.1:8080';
// Optional: with TRAINYARD_TOKEN=<api token> the proxy signs every call with it and answers /api/v1/session
// itself from /api/v1/users/me, so the app runs against a platform without the session endpoints (or without
// signing in on every reload). Never used by the built app.
const devToken = process.env.TRAINYARD_TOKEN;

function devSession(): Plugin {
  return {
    name: 'trainyard-dev-session',
    configureServer(server) {
      server.middlewares.use('/api/v1/session', async (req, res) => {
        if (req.method === 'DELETE') {
          res.statusCode = 204;
          res.end();
          return;
        }
        const me = await fetch(`${platform}/api/v1/users/me`, { headers: { Authorization: `Bearer ${devToken}` } });
        res.statusCode = me.status;
        res.setHeader('Content-Type', 'application/json');
        const user = await me.json();
        res.end(JSON.stringify(me.ok ? { user, csrfToken: 'dev', expiresAt: new Date(Date.now() + 864e5).toISOString() } : user));
      });
    },
  };
}

export default defineConfig({
  // Absolute asset URLs: any unknown path answers index.html, which must still find its assets.
  base: '/',
  plugins: devToken ? [devSession()] : [],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  // the series parser's worker (components/chart/seriesWorker.ts) is an ES module like the app
  worker: { format: 'es' },
  build: {
    // The Maven module packages target/classes; platform-api serves classpath:/dashboard/ at /.
    outDir: 'target/classes/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // index.html must not carry inline scripts (the Content-Security-Policy has script-src 'self').
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': {
        target: platform,
        changeOrigin: false,
        headers: devToken ? { Authorization: `Bearer ${devToken}` } : {},
      },
    },
  },
});
