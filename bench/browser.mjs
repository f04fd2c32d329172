// Drives the two bench pages (bench/pages/) in headless Chromium: a Vite server for the pages, a
// local Hub-layout server for the model files (both libraries download the same bytes), and one
// `session` per library whose `call` runs a `bench` function in the page.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { longestMainThreadTask } from './main-thread-trace.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
export const LIBRARIES = ['webformers', 'transformersjs'];
/** Where each library keeps downloaded files: webformers in IndexedDB, transformers.js in the Cache API. */
const LIBRARY_STORE = { webformers: 'indexeddb', transformersjs: 'cache_storage' };

// --enable-unsafe-webgpu: headless Chromium on Linux gives no WebGPU adapter without it.
const CHROMIUM_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--enable-precise-memory-info', '--js-flags=--expose-gc', '--enable-unsafe-webgpu',
  ...(process.env.BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean)];

/** Starts Vite (pages), the Hub server (models under `modelRoot`) and Chromium; `close()` stops all three. */
export async function startBrowserBench({ modelRoot, threads, port = Number(process.env.BENCH_PORT ?? 5190) }) {
  const vite = await createServer({
    configFile: `${REPO}vite.config.ts`,
    root: REPO,
    // A cache of its own: e2e runs may be using the default one at the same time.
    cacheDir: `${REPO}node_modules/.vite-bench`,
    // Other work edits the repository meanwhile: a file watcher's full reload would kill a measurement.
    server: { port, strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
    optimizeDeps: { entries: ['bench/pages/*.html'] },
    logLevel: 'warn',
  });
  await vite.listen();
  const origin = `http://127.0.0.1:${port}`;
  const { startHubServer } = await vite.ssrLoadModule('/packages/webformers/test/support/hub-server.ts');
  const hub = await startHubServer({ root: modelRoot });
  // A profile on disk, as a user's browser has: an incognito context keeps IndexedDB in memory,
  // with a small quota that a 500 MB model does not fit in.
  const profile = await mkdtemp(`${tmpdir()}/webformers-bench-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: CHROMIUM_ARGS,
  });

  /** A fresh page of `library`, configured; `emptyStore` first wipes the origin's storage and the HTTP cache. */
  async function session(library, { emptyStore = false } = {}) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (emptyStore) {
      // Both pages share one origin: wiping all of it would empty the other library's store too
      // and turn its next "warm" load into a download.
      await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: LIBRARY_STORE[library] });
      await cdp.send('Network.clearBrowserCache');
    }
    page.on('pageerror', (error) => console.error(`[${library} page] ${error.message}`));
    page.on('crash', () => console.error(`[${library} page] crashed`));
    await page.goto(`${origin}/bench/pages/${library}.html${library === 'webformers' && process.env.BENCH_WEBGPU_IMPL ? `?webgpu=${process.env.BENCH_WEBGPU_IMPL}` : ''}`);
    // Attached, not visible: on a machine without fonts the text has no size, so Playwright calls it hidden.
    await page.locator('#log').filter({ hasText: 'ready' }).waitFor({ state: 'attached', timeout: 120_000 });
    const call = (name, ...args) => page.evaluate(([n, a]) => globalThis.bench[n](...a), [name, args]);
    await call('configure', hub.url, threads);
    return {
      call,
      /** The page's DevTools protocol session, for profiles a measurement needs. */
      cdp,
      /** Longest main-thread task (wall and CPU ms) while `work()` runs, from a Chrome trace. */
      traceMainThread: (work) => longestMainThreadTask(cdp, work),
      async close() {
        await call('disposeAll').catch(() => {});
        await page.close();
      },
    };
  }

  return {
    session,
    async close() {
      await context.close();
      await hub.close();
      await vite.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
