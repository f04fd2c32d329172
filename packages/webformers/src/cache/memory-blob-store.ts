import type { BlobStore, StorableValue } from './types.js';

/**
 * A `BlobStore` in a Map, for Node and tests. Values are structured-cloned on the way in and
 * out, as IndexedDB does, so a caller mutating its buffer never changes what is stored.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly values = new Map<string, StorableValue>();

  async get(key: string): Promise<unknown> {
    return this.copyOf(key);
  }

  async getMany(keys: readonly string[]): Promise<unknown[]> {
    return keys.map((key) => this.copyOf(key));
  }

  async set(key: string, value: StorableValue): Promise<void> {
    this.values.set(key, structuredClone(value));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.values.delete(key);
  }

  async keys(prefix = ''): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix));
  }

  async clear(): Promise<void> {
    this.values.clear();
  }

  private copyOf(key: string): unknown {
    const value = this.values.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }
}
