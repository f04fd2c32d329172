import { MemoryBlobStore } from '../../src/cache/memory-blob-store.js';
import type { FileCacheKey } from '../../src/env.js';
import type { StorableValue } from '../../src/cache/types.js';

/** Hub-style key of a file, as the hub layer hands it to the store. */
export function hubKey(model: string, file: string, revision = 'main', host = 'https://huggingface.co'): FileCacheKey {
  return { model, revision, file, url: `${host}/${model}/resolve/${encodeURIComponent(revision)}/${file}` };
}

function sizeOf(value: StorableValue | undefined): number {
  if (value === undefined) return 0;
  if (value instanceof Uint8Array) return value.byteLength;
  return JSON.stringify(value).length;
}

/**
 * A memory store with a byte budget that refuses writes past it the way IndexedDB does (a
 * DOMException named QuotaExceededError), and reports `estimate()` figures from its own count.
 */
export class QuotaLimitedBlobStore extends MemoryBlobStore {
  private readonly sizes = new Map<string, number>();
  used = 0;

  constructor(public limit: number) {
    super();
  }

  override async set(key: string, value: StorableValue): Promise<void> {
    const next = this.used - (this.sizes.get(key) ?? 0) + sizeOf(value);
    if (next > this.limit) throw new DOMException(`over the ${this.limit}-byte test budget`, 'QuotaExceededError');
    await super.set(key, value);
    this.sizes.set(key, sizeOf(value));
    this.used = next;
  }

  override async delete(keys: readonly string[]): Promise<void> {
    await super.delete(keys);
    for (const key of keys) {
      this.used -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }

  override async clear(): Promise<void> {
    await super.clear();
    this.sizes.clear();
    this.used = 0;
  }

  readonly estimate = async (): Promise<{ quota: number; usage: number }> => ({ quota: this.limit, usage: this.used });
}

/** A memory store whose `set` fails (like a tab closed mid-write) for keys the test picks. */
export class FailingBlobStore extends MemoryBlobStore {
  failSet: (key: string) => boolean = () => false;

  override async set(key: string, value: StorableValue): Promise<void> {
    if (this.failSet(key)) throw new Error(`simulated interruption while storing ${key}`);
    await super.set(key, value);
  }
}
