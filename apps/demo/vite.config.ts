/**
 * The demo's own build and servers. `vite build` writes `dist/` (app shell, the webformers worker,
 * ORT's wasm, the embedded models from `public/`, the service worker at the site root) and
 * `vite preview` serves it; both servers send the cross-origin isolation headers.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precacheManifest } from './precache-plugin.js';

// onnxruntime-web only runs multi-threaded wasm where SharedArrayBuffer exists, i.e. in a
// cross-origin isolated page; without these headers it silently drops to one thread.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  server: { headers: isolationHeaders, port: 5180 },
  preview: { headers: isolationHeaders, port: 4180 },
  worker: { format: 'es' },
  // Pre-bundling would move ORT and the webformers worker away from the files their
  // `new URL(..., import.meta.url)` point at.
  optimizeDeps: { exclude: ['onnxruntime-web', 'webformers'] },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        sw: fileURLToPath(new URL('src/service-worker.ts', import.meta.url)),
      },
      // The service worker must keep a fixed name at the root: its URL is its identity and its scope.
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  plugins: [precacheManifest({ exclude: (file) => file.startsWith('models/') })],
});
