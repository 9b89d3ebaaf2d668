// Build of the monitor web app: web/ → web/dist. `npm run build`; `npm run dev:web` serves it with
// the API proxied to a running server (KOMMUNALMONITOR_API, default http://localhost:8080).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative: the same build is served at / and under /t/{key}/; the server writes the mount
  // point into index.html (src/http/web-index.ts, decision 0039).
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
    // No inline module-preload polyfill: the server's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.KOMMUNALMONITOR_API ?? 'http://localhost:8080', changeOrigin: true } },
  },
});
