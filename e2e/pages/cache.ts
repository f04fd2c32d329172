// Drives the hub and the IndexedDB store from inside the page. `cache` and `env` come through the
// library's entry module, so the page also checks that loading it plugs the store in.
import { createStore, get, set } from 'idb-keyval';
import { IdbBlobStore, ModelStore } from '../../packages/webformers/src/cache/index.js';
import { getModelFile, ModelFileError } from '../../packages/webformers/src/hub/index.js';
import { cache, env } from '../../packages/webformers/src/index.js';

/** What the spec learns about one loaded file: enough to compare it with the fixture on disk. */
interface LoadedFile {
  file: string;
  size: number;
  sha256: string;
}

/** A failure, as plain data that crosses back to the spec. */
interface LoadFailure {
  failed: true;
  name: string;
  code: string | undefined;
  reason: string | undefined;
  message: string;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Points the hub at the test server. `chunkSize` swaps in a store over the same IndexedDB with
 * smaller chunks, so that files of a few MB span several chunks (the default is 16 MiB).
 */
function configure(options: { remoteHost: string; allowRemoteModels?: boolean; chunkSize?: number }): void {
  env.remoteHost = options.remoteHost;
  env.allowRemoteModels = options.allowRemoteModels ?? true;
  env.cache = options.chunkSize === undefined ? cache : new ModelStore(new IdbBlobStore(), { chunkSize: options.chunkSize });
}

async function loadFiles(model: string, files: string[]): Promise<LoadedFile[] | LoadFailure> {
  const loaded: LoadedFile[] = [];
  try {
    for (const file of files) {
      const bytes = (await getModelFile(model, file)) as Uint8Array<ArrayBuffer>;
      loaded.push({ file, size: bytes.byteLength, sha256: await sha256Hex(bytes) });
    }
  } catch (error) {
    const { name, message } = error as Error;
    const code = (error as { code?: string }).code;
    return { failed: true, name, code, reason: error instanceof ModelFileError ? error.reason : undefined, message };
  }
  return loaded;
}

const rawStore = () => createStore('webformers', 'files');

/** Flips one byte in the first stored chunk of a file, behind the store's back. */
async function corruptStoredFile(host: string, model: string, file: string): Promise<void> {
  const manifest = await get<{ writeId: string }>(`file:${JSON.stringify([host, model, 'main', file])}`, rawStore());
  if (manifest === undefined) throw new Error(`${file} of ${model} is not stored`);
  const key = `chunk:${manifest.writeId}:0`;
  const chunk = (await get<Uint8Array>(key, rawStore()))!;
  chunk[chunk.length >> 1] ^= 0xff;
  await set(key, chunk, rawStore());
}

async function partialBytes(model: string, file: string): Promise<number> {
  const store = env.cache as ModelStore;
  const url = `${env.remoteHost.replace(/\/$/, '')}/${model}/resolve/main/${file}`;
  return (await store.partialDownload({ model, revision: 'main', file, url }))?.bytes ?? 0;
}

async function storageFigures(): Promise<{ usage: Awaited<ReturnType<typeof cache.usage>>; estimate: StorageEstimate }> {
  const usage = await cache.usage();
  return { usage, estimate: await navigator.storage.estimate() };
}

Object.assign(globalThis, {
  cacheTest: {
    defaultCacheIsPlugged: () => env.cache === cache,
    configure,
    loadFiles,
    corruptStoredFile,
    partialBytes,
    list: () => cache.list(),
    storageFigures,
    deleteModel: (model: string, dtype?: string) => cache.delete(model, dtype === undefined ? {} : { dtype }),
    clear: () => cache.clear(),
  },
});
document.getElementById('log')!.textContent = 'ready';
