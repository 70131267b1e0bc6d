import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

/** The kiosk's version, which its heartbeats report to the IT page. */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // The server serves this build under /booth/.
  base: '/booth/',
  build: { outDir: 'dist', emptyOutDir: true },
  define: { __APP_VERSION__: JSON.stringify(version) },
});
