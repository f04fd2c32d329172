/**
 * The store of downloaded model files. `cache` is the store webformers uses by default: IndexedDB
 * (database `webformers`, object store `files`) where it exists, else memory (Node), which keeps
 * the same API working in scripts and tests. Plug it into the hub with `env.cache = cache`.
 */
import { IdbBlobStore } from './idb-blob-store.js';
import { MemoryBlobStore } from './memory-blob-store.js';
import { ModelStore } from './model-store.js';

export { ModelStore, fileRefOf } from './model-store.js';
export { IdbBlobStore } from './idb-blob-store.js';
export { MemoryBlobStore } from './memory-blob-store.js';
export { StorageQuotaError, FileIntegrityError } from './errors.js';
export type { DeletableModel, StorageQuotaDetails } from './errors.js';
export { dtypeOfFile } from './dtype-variant.js';
export type {
  BeginWriteOptions, BlobStore, CachedFile, CachedModel, DeleteModelOptions, FileExpectations, FileRef, FileWriter,
  ModelRef, ModelStoreOptions, StorableValue, StorageEstimateFigures, StorageUsage,
} from './types.js';

export const cache = new ModelStore(typeof indexedDB === 'undefined' ? new MemoryBlobStore() : new IdbBlobStore());
