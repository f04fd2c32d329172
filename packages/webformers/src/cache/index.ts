/**
 * The store of downloaded model files. `cache` (default-cache.ts) is the store webformers uses by
 * default: IndexedDB (database `webformers`, object store `files`) where it exists, else memory
 * (Node), which keeps the same API working in scripts and tests.
 */
export { cache } from './default-cache.js';
export { ModelStore, fileRefOf } from './model-store.js';
export { IdbBlobStore } from './idb-blob-store.js';
export { MemoryBlobStore } from './memory-blob-store.js';
export { StorageQuotaError, FileIntegrityError } from './errors.js';
export type { DeletableModel, StorageQuotaDetails } from './errors.js';
export { dtypeOfFile } from './dtype-variant.js';
export type {
  BeginWriteOptions, BlobStore, CachedFile, CachedModel, DeleteModelOptions, FileExpectations, FileRef, FileWriter,
  ModelRef, ModelStoreOptions, PartialDownloadInfo, StorableValue, StorageEstimateFigures, StorageUsage,
} from './types.js';
