import { defineConfig } from 'vite';

export default defineConfig({
  // The server serves this build under /booth/.
  base: '/booth/',
  build: { outDir: 'dist', emptyOutDir: true },
});
