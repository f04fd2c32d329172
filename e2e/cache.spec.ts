/**
 * The IndexedDB model store in Chromium, fed by the hub from a local Hub-layout server: files are
 * kept across browser restarts, interrupted downloads resume, damaged entries are fetched again,
 * and the listing, usage and deletion numbers match the files.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startHubServer, type HubServer, type HubServerOptions } from '../packages/webformers/test/support/hub-server.js';
import type { LoadedFile, LoadFailure } from './pages/cache.js';

const FIXTURES = fileURLToPath(new URL('../packages/webformers/test/fixtures/models/', import.meta.url));
const MODEL = 'tiny-random-gpt2';
const ONNX = 'onnx/model.onnx';
const FILES = ['config.json', 'tokenizer.json', ONNX];

/** The page's `cacheTest` object (e2e/pages/cache.ts), as the spec calls it. */
interface CacheTestPage {
  defaultCacheIsPlugged(): boolean;
  configure(options: { remoteHost: string; allowRemoteModels?: boolean; chunkSize?: number; verifyOnRead?: boolean }): void;
  loadFiles(model: string, files: string[]): Promise<LoadedFile[] | LoadFailure>;
  loadAndAbort(model: string, file: string, afterBytes: number): Promise<LoadFailure | 'loaded'>;
  corruptStoredFile(host: string, model: string, file: string, damage: 'truncate' | 'flip'): Promise<void>;
  partialBytes(model: string, file: string): Promise<number>;
  list(): Promise<{ host: string; model: string; revision: string; files: { path: string; bytes: number; dtype?: string }[]; bytes: number }[]>;
  storageFigures(): Promise<{ usage: { bytes: number; quota?: number; usage?: number }; estimate: { quota?: number; usage?: number } }>;
  deleteModel(model: string, dtype?: string): Promise<number>;
}

type Method = keyof CacheTestPage;

/** Calls a method of the page's `cacheTest` object with arguments that cross as JSON. */
function call<M extends Method>(page: Page, method: M, ...args: Parameters<CacheTestPage[M]>): Promise<Awaited<ReturnType<CacheTestPage[M]>>> {
  return page.evaluate(
    ([name, values]) => {
      const api = (globalThis as unknown as { cacheTest: Record<string, (...a: unknown[]) => unknown> }).cacheTest;
      return api[name](...values);
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<CacheTestPage[M]>>>;
}

/** Opens (or reopens: a fresh document, the same storage) the test page in `page`. */
async function openCachePage(page: Page): Promise<Page> {
  await page.goto('/e2e/pages/cache.html');
  await expect(page.locator('#log')).toHaveText('ready');
  return page;
}

/** What the page should report for the fixture files: sizes and digests computed here, from disk. */
async function expectedFiles(model: string, files: string[], source: (file: string) => string = (file) => join(FIXTURES, model, file)): Promise<LoadedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(source(file));
      return { file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

/** GET requests the server answered for `file` (preflights left out). */
function downloadsOf(hub: HubServer, file: string) {
  return hub.requests.filter((r) => r.method === 'GET' && r.file === file);
}

async function withHub<T>(options: Omit<HubServerOptions, 'root'>, run: (hub: HubServer) => Promise<T>): Promise<T> {
  const hub = await startHubServer({ root: FIXTURES, ...options });
  try {
    return await run(hub);
  } finally {
    await hub.close().catch(() => undefined);
  }
}

test.describe('the IndexedDB model store', () => {
  test('a second visit loads the model with no request, also with the server stopped and offline', async ({ playwright, launchOptions, baseURL }) => {
    const profile = await mkdtemp(join(tmpdir(), 'webformers-profile-'));
    const expected = await expectedFiles(MODEL, FILES);
    let context: BrowserContext | undefined;
    try {
      await withHub({}, async (hub) => {
        context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
        let page = await openCachePage(await context.newPage());
        expect(await call(page, 'defaultCacheIsPlugged')).toBe(true);
        await call(page, 'configure', { remoteHost: hub.url });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        expect(hub.requests.map((r) => [r.method, r.file, r.status])).toEqual(FILES.map((file) => ['GET', file, 200]));
        await context.close();

        // A new browser process on the same profile: everything comes from IndexedDB.
        context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
        page = await openCachePage(await context.newPage());
        await call(page, 'configure', { remoteHost: hub.url });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        expect(hub.requests).toHaveLength(FILES.length);

        await hub.close();
        await openCachePage(page);
        await call(page, 'configure', { remoteHost: hub.url });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        await call(page, 'configure', { remoteHost: hub.url, allowRemoteModels: false });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        expect(hub.requests).toHaveLength(FILES.length);
      });
    } finally {
      await context?.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  test('a download cut in the middle resumes with Range and the stored file is the fixture', async ({ page }) => {
    const chunkSize = 256 * 1024;
    const cutAt = 5 * chunkSize + 1000;
    const [expected] = await expectedFiles(MODEL, [ONNX]);
    await withHub({}, async (hub) => {
      await openCachePage(page);
      await call(page, 'configure', { remoteHost: hub.url, chunkSize });
      // A browser drops what it had received but not yet handed to the page when the connection
      // fails; the pause before the drop (a stalled connection) lets the page read what was sent,
      // also on a busy machine.
      hub.setFault(`${MODEL}/${ONNX}`, { kind: 'cut', bytes: cutAt, pauseMs: 500, once: true });
      expect(await call(page, 'loadFiles', MODEL, [ONNX])).toMatchObject({ failed: true, reason: 'truncated' });
      // Whole chunks received before the cut are kept (how many the browser handed over before
      // reporting the failure is its business; in practice all five).
      const kept = await call(page, 'partialBytes', MODEL, ONNX);
      expect(kept).toBeGreaterThan(0);
      expect(kept % chunkSize).toBe(0);
      expect(kept).toBeLessThanOrEqual(cutAt);

      expect(await call(page, 'loadFiles', MODEL, [ONNX])).toEqual([expected]);
      expect(downloadsOf(hub, ONNX).map((r) => [r.status, r.range, r.ifRange])).toEqual([
        [200, undefined, undefined],
        [206, `bytes=${kept}-`, `"${expected.sha256}"`],
      ]);
      // Anything besides the two downloads can only be the CORS preflight that If-Range needs.
      for (const r of hub.requests.filter((r) => r.method !== 'GET')) expect(r.method).toBe('OPTIONS');

      // What is stored, read back in a fresh page with the network off, is the whole file.
      await openCachePage(page);
      await call(page, 'configure', { remoteHost: hub.url, allowRemoteModels: false });
      expect(await call(page, 'loadFiles', MODEL, [ONNX])).toEqual([expected]);
      expect(downloadsOf(hub, ONNX)).toHaveLength(2);
    });
  });

  // A read checks that every chunk is there with its recorded size; only verifyOnRead hashes the
  // bytes again, which a chunk changed in place with the same size needs.
  for (const [damage, verifyOnRead] of [['truncate', undefined], ['flip', true]] as const) {
    test(`a damaged stored entry is detected and fetched again (${damage}${verifyOnRead ? ', verifyOnRead' : ''})`, async ({ page }) => {
      const expected = await expectedFiles(MODEL, FILES);
      await withHub({}, async (hub) => {
        await openCachePage(page);
        await call(page, 'configure', { remoteHost: hub.url, verifyOnRead });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        await call(page, 'corruptStoredFile', hub.url, MODEL, ONNX, damage);

        await openCachePage(page);
        await call(page, 'configure', { remoteHost: hub.url, verifyOnRead });
        expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected);
        expect(downloadsOf(hub, ONNX)).toHaveLength(2);
        expect(downloadsOf(hub, 'config.json')).toHaveLength(1);
        // The new copy is stored whole: the next load needs no request.
        expect(await call(page, 'loadFiles', MODEL, [ONNX])).toEqual([expected[2]]);
        expect(downloadsOf(hub, ONNX)).toHaveLength(2);
      });
    });
  }

  test('an aborted download rejects with an AbortError naming the file, keeps whole chunks, and the next load resumes', async ({ page }) => {
    const chunkSize = 256 * 1024;
    const [expected] = await expectedFiles(MODEL, [ONNX]);
    await withHub({}, async (hub) => {
      await openCachePage(page);
      await call(page, 'configure', { remoteHost: hub.url, chunkSize });
      hub.setFault(`${MODEL}/${ONNX}`, { kind: 'slow', chunkSize: 64 * 1024, delayMs: 20 });
      const failure = await call(page, 'loadAndAbort', MODEL, ONNX, 3 * chunkSize);
      expect(failure).toMatchObject({ failed: true, name: 'AbortError', code: 'aborted' });
      expect((failure as LoadFailure).message).toContain(ONNX);
      const kept = await call(page, 'partialBytes', MODEL, ONNX);
      expect(kept).toBeGreaterThan(0);
      expect(kept % chunkSize).toBe(0);
      expect((await call(page, 'list')).flatMap((m) => m.files.map((f) => f.path))).not.toContain(ONNX);

      hub.setFault(`${MODEL}/${ONNX}`, undefined);
      expect(await call(page, 'loadFiles', MODEL, [ONNX])).toEqual([expected]);
      expect(downloadsOf(hub, ONNX).map((r) => [r.status, r.range])).toEqual([
        [200, undefined],
        [206, `bytes=${kept}-`],
      ]);
    });
  });

  test('running out of quota fails the load with StorageQuotaError and keeps what was stored', async ({ page }) => {
    const expected = await expectedFiles(MODEL, FILES);
    await withHub({}, async (hub) => {
      await openCachePage(page);
      // Chromium's own quota, lowered through DevTools before the page opens its database (here an
      // override made later did not reach a database already open): room for the JSON files, not
      // for the 6.6 MiB graph.
      const devtools = await page.context().newCDPSession(page);
      await devtools.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 3 * 1024 * 1024 });
      await call(page, 'configure', { remoteHost: hub.url });
      expect(await call(page, 'loadFiles', MODEL, FILES.slice(0, 2))).toEqual(expected.slice(0, 2));

      const failure = await call(page, 'loadFiles', MODEL, [ONNX]);
      expect(failure).toMatchObject({ failed: true, name: 'StorageQuotaError', code: 'storage_quota' });
      const { message } = failure as { message: string };
      expect(message).toContain(ONNX);
      // Needed bytes and free space (navigator.storage.estimate() does not show a DevTools override, so the free figure is the real one).
      expect(message).toMatch(/it needs 6\.\d MiB, [\d.]+ (bytes|KiB|MiB|GiB) free/);

      // What was stored before is intact, and nothing of the refused file is left.
      const [stored] = await call(page, 'list');
      expect(stored.files.map((f) => [f.path, f.bytes])).toEqual(expected.slice(0, 2).map((e) => [e.file, e.size]));
      expect((await call(page, 'storageFigures')).usage.bytes).toBe(expected[0].size + expected[1].size);
      const requestsBefore = hub.requests.length;
      expect(await call(page, 'loadFiles', MODEL, FILES.slice(0, 2))).toEqual(expected.slice(0, 2));
      expect(hub.requests).toHaveLength(requestsBefore);
    });
  });

  test('cache.list() and cache.usage() match the files and navigator.storage.estimate()', async ({ page }) => {
    const expected = await expectedFiles(MODEL, FILES);
    await withHub({}, async (hub) => {
      await openCachePage(page);
      await call(page, 'configure', { remoteHost: hub.url });
      await call(page, 'loadFiles', MODEL, FILES);
      const size = (file: string) => expected.find((e) => e.file === file)!.size;
      const total = expected.reduce((sum, e) => sum + e.size, 0);
      expect(await call(page, 'list')).toEqual([
        {
          host: hub.url,
          model: MODEL,
          revision: 'main',
          files: [
            { path: 'config.json', bytes: size('config.json') },
            { path: ONNX, bytes: size(ONNX), dtype: 'fp32' },
            { path: 'tokenizer.json', bytes: size('tokenizer.json') },
          ],
          bytes: total,
          lastUsed: expect.any(Number),
        },
      ]);
      const { usage, estimate } = await call(page, 'storageFigures');
      expect(usage.bytes).toBe(total);
      expect(usage.quota).toBe(estimate.quota);
      expect(usage.usage).toBe(estimate.usage);
      // The origin's usage counts the files (Chromium compresses values; the random weights barely shrink).
      expect(estimate.usage).toBeGreaterThan(total / 2);
    });
  });

  test('cache.delete(model, { dtype }) removes only that weight variant', async ({ page }) => {
    // The q8 graph is a stand-in with other bytes (another fixture graph): the store never looks inside.
    const q8 = 'onnx/model_quantized.onnx';
    const q8Source = join(FIXTURES, 'tiny-random-t5', 'onnx', 'encoder_model.onnx');
    const expected = await expectedFiles(MODEL, [...FILES, q8], (file) => (file === q8 ? q8Source : join(FIXTURES, MODEL, file)));
    await withHub({ extraFiles: { [`${MODEL}/${q8}`]: q8Source } }, async (hub) => {
      await openCachePage(page);
      await call(page, 'configure', { remoteHost: hub.url });
      expect(await call(page, 'loadFiles', MODEL, [...FILES, q8])).toEqual(expected);
      expect((await call(page, 'list'))[0].files.map((f) => [f.path, f.dtype])).toEqual([
        ['config.json', undefined],
        [ONNX, 'fp32'],
        [q8, 'q8'],
        ['tokenizer.json', undefined],
      ]);

      expect(await call(page, 'deleteModel', MODEL, 'q8')).toBe(1);
      expect((await call(page, 'list'))[0].files.map((f) => f.path)).toEqual(['config.json', ONNX, 'tokenizer.json']);
      const requestsBefore = hub.requests.length;
      expect(await call(page, 'loadFiles', MODEL, FILES)).toEqual(expected.slice(0, 3));
      expect(hub.requests).toHaveLength(requestsBefore);
      expect(await call(page, 'loadFiles', MODEL, [q8])).toEqual([expected[3]]);
      expect(downloadsOf(hub, q8)).toHaveLength(2);
    });
  });
});
