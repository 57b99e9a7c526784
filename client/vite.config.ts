// Two entry points from one build: the dashboard (index.html) and the GraphiQL playground
// (playground.html), both served by the API server from client/dist. `npm run dev` proxies the
// API (HTTP and WebSocket) to the server on :4000 so both hot-reload.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { defineConfig } from 'vitest/config';

const API = process.env['CARELINE_API_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    // A .br and a .gz copy beside every text asset over 1 kB, compressed once here at the highest
    // levels; the server sends the copy the browser accepts (server/src/transport/web.ts).
    compression({
      include: /\.(js|mjs|css|html|svg|json|ttf)$/,
      threshold: 1024,
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip', { level: 9 })],
      skipIfLargerOrEqual: true,
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // GraphiQL (Monaco) is large by nature and lives only in the playground's chunks.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        playground: resolve(import.meta.dirname, 'playground.html'),
      },
      // GraphiQL's modules start with "use no memo" (a React Compiler hint a bundle cannot keep):
      // harmless, and hundreds of lines of noise in every `npm install`.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: { '/graphql': { target: API, ws: true, changeOrigin: true } },
  },
  test: {
    // Two files at a time, also on a 2-core machine (Vitest's default there is one): a browser
    // test mostly waits on its server process and Chromium. The browser suite took 250 s with one
    // worker and 166-177 s with two, its slowest test 26 s against a 120 s timeout (2026-12-04).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          globalSetup: ['test/build-if-stale.ts', 'test/server-template.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'docs',
          include: ['test/**/*.docs.ts'],
          globalSetup: ['test/build-if-stale.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
