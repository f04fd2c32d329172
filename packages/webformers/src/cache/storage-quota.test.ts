import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QuotaLimitedBlobStore, hubKey } from '../../test/support/blob-store-fakes.js';
import { StorageQuotaError } from './errors.js';
import { ModelStore } from './model-store.js';

const CHUNK = 256;
const HF = 'https://huggingface.co';

function bytesOf(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(b);
}

/** Models stored under a generous budget, which the test then tightens. */
async function storeWith(models: Record<string, number>, evictLeastRecentlyUsed = false) {
  const blobs = new QuotaLimitedBlobStore(Number.MAX_SAFE_INTEGER);
  const clock = { now: 0 };
  const store = new ModelStore(blobs, { chunkSize: CHUNK, estimate: blobs.estimate, evictLeastRecentlyUsed, now: () => clock.now });
  const files = new Map<string, Uint8Array>();
  for (const [model, size] of Object.entries(models)) {
    clock.now += 1;
    const file = bytesOf(size);
    files.set(model, file);
    await store.put(hubKey(model, 'onnx/model.onnx'), file);
  }
  return { blobs, store, files, clock };
}

async function quotaErrorOf(promise: Promise<unknown>): Promise<StorageQuotaError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StorageQuotaError);
  return error as StorageQuotaError;
}

describe('running out of storage quota', () => {
  it('says how much the file needs, how much is free and which models could be deleted', async () => {
    const { blobs, store } = await storeWith({ 'org/a': 1000, 'org/b': 3000 });
    blobs.limit = blobs.used + 1000;
    const error = await quotaErrorOf(store.put(hubKey('org/c', 'onnx/model.onnx'), bytesOf(4000), { size: 4000 }));

    expect(error.code).toBe('storage_quota');
    expect(error.neededBytes).toBe(4000);
    expect(error.freeBytes).toBe(blobs.limit - blobs.used);
    expect(error.deletable).toEqual([
      { host: HF, model: 'org/b', revision: 'main', bytes: 3000 },
      { host: HF, model: 'org/a', revision: 'main', bytes: 1000 },
    ]);
    expect(error.file).toEqual({ host: HF, model: 'org/c', revision: 'main', path: 'onnx/model.onnx' });
    expect(error.message).toMatch(/onnx\/model\.onnx of org\/c/);
    expect(error.message).toMatch(/org\/b .*org\/a/);
    expect(error.hint).toMatch(/cache\.delete/);
  });

  it('damages nothing stored before and removes every chunk of the failed file', async () => {
    const { blobs, store, files } = await storeWith({ 'org/a': 1000, 'org/b': 3000 });
    const keysBefore = (await blobs.keys()).sort();
    const usedBefore = blobs.used;
    blobs.limit = blobs.used + 1000;
    await quotaErrorOf(store.put(hubKey('org/c', 'onnx/model.onnx'), bytesOf(4000)));

    expect(blobs.used).toBe(usedBefore);
    expect((await blobs.keys()).sort()).toEqual(keysBefore);
    expect(sameBytes(await store.match(hubKey('org/a', 'onnx/model.onnx')), files.get('org/a')!)).toBe(true);
    expect(sameBytes(await store.match(hubKey('org/b', 'onnx/model.onnx')), files.get('org/b')!)).toBe(true);
    expect(await store.partialBytes(hubKey('org/c', 'onnx/model.onnx'))).toBe(0);
  });

  it('reports the bytes received so far when the size was not announced', async () => {
    const { blobs, store } = await storeWith({ 'org/a': 500 });
    blobs.limit = blobs.used + 1200;
    const writer = await store.begin(hubKey('org/c', 'onnx/model.onnx'));
    const error = await quotaErrorOf((async () => {
      for (let i = 0; i < 20; i += 1) await writer.write(bytesOf(100));
    })());
    expect(error.neededBytes % CHUNK).toBe(0);
    expect(error.neededBytes).toBeGreaterThan(error.freeBytes!);
    expect(await blobs.keys('chunk:')).toHaveLength(2);
  });

  it('says when no other model is stored', async () => {
    const { blobs, store } = await storeWith({});
    blobs.limit = 700;
    const error = await quotaErrorOf(store.put(hubKey('org/c', 'onnx/model.onnx'), bytesOf(2000)));
    expect(error.deletable).toEqual([]);
    expect(error.message).toMatch(/No other models are stored/);
  });

  it('still returns a stored file when recording its use runs into the quota', async () => {
    const { blobs, store, files } = await storeWith({ 'org/a': 600 });
    blobs.limit = blobs.used - 1;
    expect(sameBytes(await store.match(hubKey('org/a', 'onnx/model.onnx')), files.get('org/a')!)).toBe(true);
  });

  it('reclaims chunks that nothing refers to before giving up', async () => {
    const { blobs, store } = await storeWith({ 'org/a': 500 });
    await blobs.set('chunk:0123456789abcdef01234567:0', bytesOf(2000));
    blobs.limit = blobs.used + 500;
    const file = bytesOf(1500);
    await store.put(hubKey('org/c', 'onnx/model.onnx'), file);
    expect(sameBytes(await store.match(hubKey('org/c', 'onnx/model.onnx')), file)).toBe(true);
    expect(await blobs.get('chunk:0123456789abcdef01234567:0')).toBeUndefined();
  });
});

describe('least-recently-used eviction on quota', () => {
  it('evicts the least recently used model and completes the write', async () => {
    const { blobs, store, files, clock } = await storeWith({ 'org/a': 2000, 'org/b': 2000 }, true);
    clock.now = 10;
    await store.match(hubKey('org/a', 'onnx/model.onnx'));
    blobs.limit = blobs.used + 1000;
    const file = bytesOf(2000);
    await store.put(hubKey('org/c', 'onnx/model.onnx'), file);

    expect((await store.list()).map((m) => m.model)).toEqual(['org/a', 'org/c']);
    expect(sameBytes(await store.match(hubKey('org/a', 'onnx/model.onnx')), files.get('org/a')!)).toBe(true);
    expect(sameBytes(await store.match(hubKey('org/c', 'onnx/model.onnx')), file)).toBe(true);
  });

  it('is turned on for a store that already exists with configure()', async () => {
    const { blobs, store } = await storeWith({ 'org/a': 2000, 'org/b': 2000 });
    blobs.limit = blobs.used + 1000;
    await quotaErrorOf(store.put(hubKey('org/c', 'onnx/model.onnx'), bytesOf(2000)));
    store.configure({ evictLeastRecentlyUsed: true });
    await store.put(hubKey('org/c', 'onnx/model.onnx'), bytesOf(2000));
    expect((await store.list()).map((m) => m.model)).toEqual(['org/b', 'org/c']);
  });

  it('never evicts the model being written', async () => {
    const { blobs, store, files } = await storeWith({ 'org/a': 2000 }, true);
    blobs.limit = blobs.used + 500;
    await quotaErrorOf(store.put(hubKey('org/a', 'onnx/model_fp16.onnx'), bytesOf(2000)));
    expect(sameBytes(await store.match(hubKey('org/a', 'onnx/model.onnx')), files.get('org/a')!)).toBe(true);
  });
});
