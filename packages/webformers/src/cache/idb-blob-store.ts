import { clear, createStore, delMany, get, getMany, keys, set, type UseStore } from 'idb-keyval';
import type { BlobStore, StorableValue } from './types.js';

/**
 * A `BlobStore` in one IndexedDB object store, through idb-keyval. The database is opened on
 * first use, so creating this object (e.g. at import time) touches no storage.
 */
export class IdbBlobStore implements BlobStore {
  private store: UseStore | undefined;

  constructor(
    private readonly databaseName = 'webformers',
    private readonly storeName = 'files',
  ) {}

  private use(): UseStore {
    this.store ??= createStore(this.databaseName, this.storeName);
    return this.store;
  }

  get(key: string): Promise<unknown> {
    return get(key, this.use());
  }

  getMany(keysToRead: readonly string[]): Promise<unknown[]> {
    return getMany([...keysToRead], this.use());
  }

  set(key: string, value: StorableValue): Promise<void> {
    return set(key, value, this.use());
  }

  delete(keysToDelete: readonly string[]): Promise<void> {
    return delMany([...keysToDelete], this.use());
  }

  async keys(prefix = ''): Promise<string[]> {
    const all = await keys<IDBValidKey>(this.use());
    return all.filter((key): key is string => typeof key === 'string' && key.startsWith(prefix));
  }

  clear(): Promise<void> {
    return clear(this.use());
  }
}
