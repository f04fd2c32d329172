// Drives the hub and the IndexedDB store from inside the page. `cache` and `env` come through the
// library's entry module, so the page also checks that loading it plugs the store in.
import { createStore, get, set } from 'idb-keyval';
import { IdbBlobStore, ModelStore } from '../../packages/webformers/src/cache/index.js';
import { downloadSettled, getModelFile, ModelFileError, type ProgressInfo } from '../../packages/webformers/src/hub/index.js';
import { cache, env } from '../../packages/webformers/src/index.js';

/** What the spec learns about one loaded file: enough to compare it with the fixture on disk. */
export interface LoadedFile {
  file: string;
  size: number;
  sha256: string;
}

/** A failure, as plain data that crosses back to the spec. */
export interface LoadFailure {
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
 * Points the hub at the test server. `chunkSize` or `verifyOnRead` swaps in a store over the same
 * IndexedDB with those options: smaller chunks make files of a few MB span several chunks (the
 * default is 16 MiB).
 */
function configure(options: { remoteHost: string; allowRemoteModels?: boolean; chunkSize?: number; verifyOnRead?: boolean }): void {
  const { remoteHost, allowRemoteModels = true, chunkSize, verifyOnRead } = options;
  env.remoteHost = remoteHost;
  env.allowRemoteModels = allowRemoteModels;
  env.cache = chunkSize === undefined && verifyOnRead === undefined ? cache : new ModelStore(new IdbBlobStore(), { chunkSize, verifyOnRead });
}

function failureOf(error: unknown): LoadFailure {
  const { name, message } = error as Error;
  const code = (error as { code?: string }).code;
  return { failed: true, name, code, reason: error instanceof ModelFileError ? error.reason : undefined, message };
}

async function loadFiles(model: string, files: string[]): Promise<LoadedFile[] | LoadFailure> {
  const loaded: LoadedFile[] = [];
  try {
    for (const file of files) {
      const bytes = (await getModelFile(model, file)) as Uint8Array<ArrayBuffer>;
      loaded.push({ file, size: bytes.byteLength, sha256: await sha256Hex(bytes) });
    }
  } catch (error) {
    return failureOf(error);
  }
  return loaded;
}

/** Loads a file and aborts the load once `afterBytes` of it have arrived; returns how it failed. */
async function loadAndAbort(model: string, file: string, afterBytes: number): Promise<LoadFailure | 'loaded'> {
  const controller = new AbortController();
  const progress_callback = (event: ProgressInfo) => {
    if (event.status === 'progress' && event.loaded >= afterBytes) controller.abort();
  };
  try {
    await getModelFile(model, file, { signal: controller.signal, progress_callback });
    return 'loaded';
  } catch (error) {
    // The load rejects at once; the download goes on putting away what arrived. What the spec reads next is what it kept.
    await downloadSettled(remoteUrl(model, file));
    return failureOf(error);
  }
}

const rawStore = () => createStore('webformers', 'files');

/** Damages the first stored chunk of a file behind the store's back: cuts off its last byte, or flips its middle one. */
async function corruptStoredFile(host: string, model: string, file: string, damage: 'truncate' | 'flip'): Promise<void> {
  const manifest = await get<{ writeId: string }>(`file:${JSON.stringify([host, model, 'main', file])}`, rawStore());
  if (manifest === undefined) throw new Error(`${file} of ${model} is not stored`);
  const key = `chunk:${manifest.writeId}:0`;
  const chunk = new Uint8Array(await (await get<Blob>(key, rawStore()))!.arrayBuffer());
  if (damage === 'flip') chunk[chunk.length >> 1] ^= 0xff;
  await set(key, new Blob([damage === 'truncate' ? chunk.subarray(0, -1) : chunk]), rawStore());
}

const remoteUrl = (model: string, file: string) => `${env.remoteHost.replace(/\/$/, '')}/${model}/resolve/main/${file}`;

async function partialBytes(model: string, file: string): Promise<number> {
  const store = env.cache as ModelStore;
  return (await store.partialDownload({ model, revision: 'main', file, url: remoteUrl(model, file) }))?.bytes ?? 0;
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
    loadAndAbort,
    corruptStoredFile,
    partialBytes,
    list: () => cache.list(),
    storageFigures,
    deleteModel: (model: string, dtype?: string) => cache.delete(model, dtype === undefined ? {} : { dtype }),
    clear: () => cache.clear(),
  },
});
document.getElementById('log')!.textContent = 'ready';
