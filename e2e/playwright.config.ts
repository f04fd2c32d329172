import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where it exists (CI, this kind of machine); Playwright's own browser elsewhere.
const debianChromium = '/usr/bin/chromium';
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
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
      // The closed network here makes Chromium's background services flood failing connections.
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu'],
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
