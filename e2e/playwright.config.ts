import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where it exists (CI, this kind of machine); Playwright's own browser elsewhere.
// WEBFORMERS_E2E_CHROMIUM and WEBFORMERS_E2E_CHROMIUM_ARGS (space-separated flags) point the suite at
// another build or adapter: a GPU's Vulkan driver, or lavapipe for 'shader-f16' (README.md, "The two commands").
const debianChromium = '/usr/bin/chromium';
const chromium = process.env.WEBFORMERS_E2E_CHROMIUM ?? (existsSync(debianChromium) ? debianChromium : undefined);
const extraArgs = (process.env.WEBFORMERS_E2E_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);
export const PORT = Number(process.env.WEBFORMERS_E2E_PORT ?? 5174);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 300_000,
  workers: 1,
  reporter: [['list']],
  outputDir: './artifacts/results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: chromium,
      // The closed network here makes Chromium's background services flood failing connections.
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu', ...extraArgs],
    },
  },
  webServer: {
    command: `npx vite --config vite.config.ts --port ${PORT} --strictPort --host 127.0.0.1`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/e2e/pages/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
