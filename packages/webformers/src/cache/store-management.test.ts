import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QuotaLimitedBlobStore, hubKey } from '../../test/support/blob-store-fakes.js';
import { NotSupportedError } from '../utils/errors.js';
import { MemoryBlobStore } from './memory-blob-store.js';
import { ModelStore } from './model-store.js';
import type { ModelStoreOptions } from './types.js';

const HF = 'https://huggingface.co';

function bytesOf(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** A store on a manual clock, so "last used" order is whatever the test says. */
function clockedStore(blobs = new MemoryBlobStore(), options: ModelStoreOptions = {}) {
  const clock = { now: 1000 };
  const store = new ModelStore(blobs, { chunkSize: 32, now: () => clock.now, ...options });
  return { blobs, store, clock };
}

describe('cache.list', () => {
  it('groups files per host, model and revision with sizes, weight variants and last use', async () => {
    const { store, clock } = clockedStore();
    clock.now = 5;
    await store.put(hubKey('org/a', 'config.json'), bytesOf(10));
    await store.put(hubKey('org/a', 'onnx/model_fp16.onnx'), bytesOf(70));
    clock.now = 7;
    await store.put(hubKey('org/a', 'onnx/model.onnx'), bytesOf(130));
    await store.put(hubKey('org/b', 'onnx/model_q4f16.onnx', 'v1'), bytesOf(40));

    expect(await store.list()).toEqual([
      {
        host: HF, model: 'org/a', revision: 'main', bytes: 210, lastUsed: 7,
        files: [
          { path: 'config.json', bytes: 10 },
          { path: 'onnx/model.onnx', bytes: 130, dtype: 'fp32' },
          { path: 'onnx/model_fp16.onnx', bytes: 70, dtype: 'fp16' },
        ],
      },
      { host: HF, model: 'org/b', revision: 'v1', bytes: 40, lastUsed: 7, files: [{ path: 'onnx/model_q4f16.onnx', bytes: 40, dtype: 'q4f16' }] },
    ]);
  });

  it('records a read as a use', async () => {
    const { store, clock } = clockedStore();
    await store.put(hubKey('org/a', 'config.json'), bytesOf(10));
    clock.now = 99;
    await store.match(hubKey('org/a', 'config.json'));
    expect((await store.list())[0].lastUsed).toBe(99);
  });
});

describe('cache.usage', () => {
  it('counts stored files and the stored part of unfinished downloads', async () => {
    const { store } = clockedStore();
    await store.put(hubKey('org/a', 'onnx/model.onnx'), bytesOf(100));
    const writer = await store.begin(hubKey('org/a', 'onnx/model_fp16.onnx'));
    await writer.write(bytesOf(70));
    expect(await store.usage()).toEqual({ bytes: 100 + 64 });
  });

  it('adds the origin quota and usage where the Storage API reports them', async () => {
    const store = new ModelStore(new MemoryBlobStore(), { estimate: async () => ({ quota: 5000, usage: 1200 }) });
    await store.put(hubKey('org/a', 'config.json'), bytesOf(3));
    expect(await store.usage()).toEqual({ bytes: 3, quota: 5000, usage: 1200 });
  });
});

describe('cache.delete', () => {
  async function threeVariants() {
    const setup = clockedStore();
    for (const file of ['config.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data']) {
      await setup.store.put(hubKey('org/a', file), bytesOf(20));
    }
    await setup.store.put(hubKey('org/a', 'onnx/model_fp16.onnx', 'v2'), bytesOf(20));
    return setup;
  }

  it('removes only the files of one weight variant, shared files stay', async () => {
    const { store } = await threeVariants();
    expect(await store.delete('org/a', { dtype: 'fp16', revision: 'main' })).toBe(2);
    const [main, v2] = await store.list();
    expect(main.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
    expect(v2.files.map((f) => f.path)).toEqual(['onnx/model_fp16.onnx']);
    expect(await store.match(hubKey('org/a', 'onnx/model_fp16.onnx'))).toBeUndefined();
  });

  it('removes every revision of a model, chunks and last-use records included', async () => {
    const { store, blobs } = await threeVariants();
    await store.put(hubKey('org/keep', 'config.json'), bytesOf(5));
    expect(await store.delete('org/a')).toBe(5);
    expect((await store.list()).map((m) => m.model)).toEqual(['org/keep']);
    expect(await blobs.keys('chunk:')).toHaveLength(1);
    expect(await blobs.keys('used:')).toHaveLength(1);
  });

  it('removes unfinished downloads of the model too', async () => {
    const { store, blobs } = clockedStore();
    const writer = await store.begin(hubKey('org/a', 'onnx/model.onnx'));
    await writer.write(bytesOf(40));
    const other = new ModelStore(blobs, { chunkSize: 32 });
    await other.delete('org/a');
    expect(await blobs.keys()).toEqual([]);
  });
});

describe('cache.clear and cache.persist', () => {
  it('clear empties the store', async () => {
    const { store, blobs } = clockedStore();
    await store.put(hubKey('org/a', 'config.json'), bytesOf(50));
    await store.clear();
    expect(await store.list()).toEqual([]);
    expect(await blobs.keys()).toEqual([]);
  });

  it('persist asks the Storage API, and answers false where there is none', async () => {
    const asked: string[] = [];
    const store = new ModelStore(new MemoryBlobStore(), { persist: async () => (asked.push('persist'), true) });
    expect(await store.persist()).toBe(true);
    expect(asked).toEqual(['persist']);
    expect(await new ModelStore(new MemoryBlobStore()).persist()).toBe(false);
  });
});

describe('cache.evictToFit', () => {
  async function threeModels() {
    const blobs = new QuotaLimitedBlobStore(10_000);
    const setup = clockedStore(blobs, { estimate: blobs.estimate });
    const sizes: Record<string, number> = { 'org/a': 900, 'org/b': 1500, 'org/c': 700 };
    for (const [index, model] of ['org/a', 'org/b', 'org/c'].entries()) {
      setup.clock.now = 10 + index;
      await setup.store.put(hubKey(model, 'onnx/model.onnx'), bytesOf(sizes[model]));
    }
    setup.clock.now = 20;
    await setup.store.match(hubKey('org/a', 'onnx/model.onnx'));
    return { ...setup, blobs };
  }

  it('deletes least-recently-used models first until the space is free', async () => {
    const { store, blobs } = await threeModels();
    const free = blobs.limit - blobs.used;
    const evicted = await store.evictToFit(free + 1600);
    expect(evicted.map((m) => m.model)).toEqual(['org/b', 'org/c']);
    expect((await store.list()).map((m) => m.model)).toEqual(['org/a']);
    expect(blobs.limit - blobs.used).toBeGreaterThanOrEqual(free + 1600);
  });

  it('deletes nothing when the space is already free', async () => {
    const { store, blobs } = await threeModels();
    expect(await store.evictToFit(blobs.limit - blobs.used)).toEqual([]);
    expect(await store.list()).toHaveLength(3);
  });

  it('never evicts a model that is being written', async () => {
    const { store } = await threeModels();
    const writer = await store.begin(hubKey('org/b', 'onnx/model_fp16.onnx'));
    await writer.write(bytesOf(10));
    const evicted = await store.evictToFit(1_000_000);
    expect(evicted.map((m) => m.model)).toEqual(['org/c', 'org/a']);
    expect((await store.list()).map((m) => m.model)).toEqual(['org/b']);
  });

  it('says it cannot work without storage figures', async () => {
    const store = new ModelStore(new MemoryBlobStore());
    await expect(store.evictToFit(10)).rejects.toBeInstanceOf(NotSupportedError);
  });
});
