import { defineConfig } from 'vite';

// One self-contained page in dist/: no CDN, served to Chromium by the test itself.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      // The engine's own bundle evaluates XPath helpers with eval; that is ODK's code, not ours to change.
      onwarn(warning, warn) { if (warning.code !== 'EVAL') warn(warning); },
    },
  },
});
