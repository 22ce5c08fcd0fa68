import { defineConfig } from 'vite';

// The cartable server serves dist/ from memory under a strict CSP
// (script-src 'self'; style-src 'self'): nothing may be inlined into index.html.
export default defineConfig({
  build: {
    target: 'es2020',
    // The polyfill is an inline <script>: blocked by the CSP, and useless with one entry chunk.
    modulePreload: { polyfill: false },
    // Never turn assets into data: URIs (fonts would be blocked by default-src 'self').
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
