import { defineConfig } from 'vite';

export default defineConfig({
  // The server serves this build under /officer/.
  base: '/officer/',
  build: { outDir: 'dist', emptyOutDir: true },
});
