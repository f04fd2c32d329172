/**
 * The store of downloaded model files, as seen from the outside.
 *
 * Two levels:
 * - `BlobStore`: a flat key → value store of small values (chunks of at most `chunkSize` bytes
 *   and small records). IndexedDB in browsers, a Map in Node; nothing above it names either.
 * - `ModelStore` (model-store.ts): files of model repositories on top of a `BlobStore`, written in
 *   verified chunks, listed and evicted per model. It implements the hub's `FileCache` seam
 *   (`src/env.ts`), so `env.cache = cache` makes the hub use it.
 */

/** What a `BlobStore` can hold: bytes, Blobs, or plain JSON-like records (structured-clone safe). */
export type StorableValue =
  | Uint8Array
  | Blob
  | string
  | number
  | boolean
  | null
  | readonly StorableValue[]
  | { readonly [key: string]: StorableValue | undefined };

/**
 * A flat asynchronous key → value store. Values come back as copies (structured clone), never
 * as the object that was stored. `set` rejects with a DOMException named `'QuotaExceededError'`
 * when the storage is full; the model store turns that into a `StorageQuotaError`.
 */
export interface BlobStore {
  /** The stored value, or `undefined` when the key is absent. */
  get(key: string): Promise<unknown>;
  /** The values of these keys in order (`undefined` for an absent key), read together in one transaction. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  set(key: string, value: StorableValue): Promise<void>;
  /** Deletes these keys; absent keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** Every key, or only those starting with `prefix`. Order unspecified. */
  keys(prefix?: string): Promise<string[]>;
  /** Removes every key. */
  clear(): Promise<void>;
}

/**
 * One file of one model repository at one revision, on one host. A type alias, not an
 * interface, so records built from it remain assignable to `StorableValue`.
 */
export type FileRef = {
  /** Origin the file was downloaded from, e.g. `'https://huggingface.co'`. */
  host: string;
  /** Repository id, e.g. `'Xenova/distilbert-base-uncased'`. */
  model: string;
  /** Branch, tag or commit, e.g. `'main'`. */
  revision: string;
  /** Path inside the repository, e.g. `'onnx/model_fp16.onnx'`. */
  path: string;
};

/** One stored repository snapshot: (host, model, revision). */
export type ModelRef = Omit<FileRef, 'path'>;

// Declared with the hub's seam in src/env.ts, so that the hub streams into a store without importing this layer.
export type { BeginWriteOptions, FileExpectations, FileWriter, PartialDownloadInfo } from '../env.js';

export interface ModelStoreOptions {
  /** Bytes per stored chunk. Default 16 MiB. Changing it does not affect files already stored. */
  chunkSize?: number;
  /**
   * When a write runs out of quota, delete the least-recently-used models (never the one being
   * written) and retry, instead of failing. Default `false`.
   */
  evictLeastRecentlyUsed?: boolean;
  /**
   * Hash every file again with SHA-256 on each read and compare it with the digest recorded when it
   * was stored. Default `false`: files are verified once, when written, and a read checks that
   * every chunk is there with its recorded size, which catches the damage storage actually suffers
   * (a lost or cut-off chunk) at no cost. Turn it on to also catch bytes changed in place, at a
   * price: a warm read of 418 MiB took 3.1 s with it against 0.87 s without (medians, headless
   * Chromium on a busy 2-core machine, `node bench/store-read.mjs`).
   */
  verifyOnRead?: boolean;
  /** Clock for "last used" times, in ms. Default `Date.now`. */
  now?: () => number;
  /** Origin storage figures. Default: `navigator.storage.estimate()` where it exists. */
  estimate?: () => Promise<StorageEstimateFigures | undefined>;
  /** Asks the browser not to evict the origin's storage. Default: `navigator.storage.persist()`. */
  persist?: () => Promise<boolean>;
}

/** The two numbers of `navigator.storage.estimate()` that matter here, in bytes. */
export interface StorageEstimateFigures {
  quota: number;
  usage: number;
}

/** A stored file as listed by `cache.list()`. */
export interface CachedFile {
  path: string;
  bytes: number;
  /** Weight variant named by an ONNX file's suffix (`'fp32'`, `'fp16'`, `'q8'`, `'q4'`, ...); absent for other files. */
  dtype?: string;
}

/** A stored repository snapshot as listed by `cache.list()`. */
export interface CachedModel extends ModelRef {
  files: CachedFile[];
  /** Sum of the files' sizes. */
  bytes: number;
  /** When a file of this snapshot was last stored or read, ms since the epoch. */
  lastUsed: number;
}

export interface StorageUsage {
  /** Bytes held by webformers: stored files plus chunks of partial downloads. */
  bytes: number;
  /** The origin's quota and usage from `navigator.storage.estimate()`, where available. */
  quota?: number;
  usage?: number;
}

export interface DeleteModelOptions {
  /** Only the files of this weight variant (e.g. `'fp16'`); shared files such as `config.json` stay. */
  dtype?: string;
  /** Only this revision. Default: every revision. */
  revision?: string;
  /** Only files from this host. Default: every host. */
  host?: string;
}
