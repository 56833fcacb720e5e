import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The analyst workspace: built into dist/ui, served by the service at /ui; nothing loads from elsewhere. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // Fonts and images stay files: the page's Content-Security-Policy allows no data: scripts.
    assetsInlineLimit: 0,
  },
});
