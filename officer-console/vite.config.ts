import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** An HTML page of this app, as the absolute path Rollup needs whatever directory the build runs from. */
const page = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  // The server serves this build under /officer/: the console there, the supervisor page at /officer/supervisor/,
  // the IT fleet page at /officer/fleet/.
  base: '/officer/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { console: page('./index.html'), supervisor: page('./supervisor/index.html'), fleet: page('./fleet/index.html') },
      // @bilik/shared's modules only declare things, but its package does not say so: without this, the
      // supervisor and fleet pages' import of '@bilik/shared/client' drags mediasoup-client and socket.io (200 kB) along.
      treeshake: { moduleSideEffects: (id) => !id.includes('/shared/src/') },
    },
  },
});
