import { defineConfig } from 'vite';

// One self-contained page in dist/: no CDN, served to Chromium by the test itself.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 8000 },
});
