/**
 * Serves the repository root for the browser tests: the pages under `e2e/pages/` import the library's
 * TypeScript sources directly, and fetch fixtures and tokenizer packages as static files. The demo app has
 * its own config in `apps/demo/` (this file stays the test server so that e2e never depends on a demo build).
 */
import { defineConfig } from 'vite';

// Cross-origin isolation lets onnxruntime-web use threads (SharedArrayBuffer); pages behave as deployed ones.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: '.',
  // No file watching or hot reload: a test page must never reload under a running test because a source
  // file changed.
  server: { headers: isolationHeaders, fs: { strict: true, allow: ['.'] }, watch: null, hmr: false },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
