/** Unit tests of the demo's pure modules (the views are covered in the browser by e2e/demo.spec.ts). */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { root: new URL('.', import.meta.url).pathname, include: ['src/**/*.test.ts'] },
});
