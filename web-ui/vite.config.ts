import { defineConfig } from 'vite';

// The platform to proxy the dev server's API calls to: TRAINYARD_URL=http://127.0.0.1:8080 npm run dev
const platform = process.env.TRAINYARD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Absolute asset URLs: any unknown path answers index.html, which must still find its assets.
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
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
      '/api': { target: platform, changeOrigin: false },
    },
  },
});
