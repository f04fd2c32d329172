// Times warm reads of one large file from the IndexedDB model store (bench/store-read.mjs drives
// it): the store's share of a warm load, without onnxruntime or a model around it.
import { IdbBlobStore, ModelStore } from '../../packages/webformers/src/cache/index.js';
import type { FileCacheKey } from '../../packages/webformers/src/env.js';

const KEY: FileCacheKey = {
  model: 'bench/store-read',
  revision: 'main',
  file: 'onnx/model.onnx',
  url: 'http://127.0.0.1/bench/store-read/resolve/main/onnx/model.onnx',
};

/** The default store, and one that hashes every file again on read; each in a database of its own. */
const STORES = {
  default: new ModelStore(new IdbBlobStore('webformers-store-read', 'files')),
  verifyOnRead: new ModelStore(new IdbBlobStore('webformers-store-read-verify', 'files'), { verifyOnRead: true }),
};
type Variant = keyof typeof STORES;

/** Bytes that no compression or deduplication could shortcut, made quickly (xorshift32). */
function filler(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const words = new Uint32Array(out.buffer, 0, bytes >>> 2);
  let x = 2463534242;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return out;
}

async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

Object.assign(globalThis, {
  bench: {
    variants: () => Object.keys(STORES),
    /** Stores a file of `mib` MiB; resolves to the write time in ms (download excluded, read-back and hash included). */
    async write(variant: Variant, mib: number): Promise<number> {
      const store = STORES[variant];
      await store.clear();
      const bytes = filler(mib * 1024 * 1024);
      return timeMs(() => store.put(KEY, bytes, { size: bytes.byteLength }));
    },
    /** One warm read of the stored file, in ms. */
    async read(variant: Variant): Promise<number> {
      let bytes: Uint8Array | undefined;
      const ms = await timeMs(async () => {
        bytes = await STORES[variant].match(KEY);
      });
      if (bytes === undefined) throw new Error(`the ${variant} store does not hold the file`);
      return ms;
    },
    clear: (variant: Variant) => STORES[variant].clear(),
  },
});
document.getElementById('log')!.textContent = 'ready';
