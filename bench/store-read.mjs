// Warm-read time of one large file from the IndexedDB model store, in headless Chromium with a
// profile on disk (an incognito context keeps IndexedDB in memory). Each read runs in a fresh
// page, as a warm load does; the store variants take turns, so load from other work hits each alike.
// `node bench/store-read.mjs [MiB=418] [reads=5]` prints one JSON line per variant.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { median, spread } from './stats.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const [mib = 418, reads = 5] = process.argv.slice(2).map(Number);
const port = Number(process.env.BENCH_PORT ?? 5192);

const vite = await createServer({
  configFile: `${REPO}vite.config.ts`,
  root: REPO,
  cacheDir: `${REPO}node_modules/.vite-store-read`,
  server: { port, strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
  logLevel: 'warn',
});
await vite.listen();
const profile = await mkdtemp(`${tmpdir()}/webformers-store-read-`);
const context = await chromium.launchPersistentContext(profile, {
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A fresh page: nothing of the file is left in the page's memory. */
async function freshPage() {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/pages/store-read.html`);
  await page.locator('#log').filter({ hasText: 'ready' }).waitFor({ timeout: 120_000 });
  const call = (name, ...args) => page.evaluate(([n, a]) => globalThis.bench[n](...a), [name, args]);
  return { call, close: () => page.close() };
}

try {
  const setup = await freshPage();
  const variants = await setup.call('variants');
  const writeMs = {};
  for (const variant of variants) writeMs[variant] = await setup.call('write', variant, mib);
  await setup.close();
  const readMs = Object.fromEntries(variants.map((v) => [v, []]));
  for (let i = 0; i < reads; i++) {
    for (const variant of variants) {
      const page = await freshPage();
      readMs[variant].push(await page.call('read', variant));
      await page.close();
    }
  }
  const cleanup = await freshPage();
  for (const variant of variants) await cleanup.call('clear', variant);
  for (const variant of variants) {
    const ms = readMs[variant];
    const mid = median(ms);
    console.log(JSON.stringify({ variant, mib, writeMs: Math.round(writeMs[variant]), readMs: ms.map(Math.round), medianMs: Math.round(mid), spreadMs: spread(ms).map(Math.round), mibPerS: Math.round(mib / (mid / 1000)) }));
  }
} finally {
  await context.close();
  await vite.close();
  await rm(profile, { recursive: true, force: true });
}
