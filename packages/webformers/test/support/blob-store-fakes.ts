import { MemoryBlobStore } from '../../src/cache/memory-blob-store.js';
import type { FileCacheKey } from '../../src/env.js';
import type { BlobStore, StorableValue } from '../../src/cache/types.js';

/** Hub-style key of a file, as the hub layer hands it to the store. */
export function hubKey(model: string, file: string, revision = 'main', host = 'https://huggingface.co'): FileCacheKey {
  return { model, revision, file, url: `${host}/${model}/resolve/${encodeURIComponent(revision)}/${file}` };
}

function sizeOf(value: StorableValue | undefined): number {
  if (value === undefined) return 0;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Blob) return value.size;
  return JSON.stringify(value).length;
}

/** The bytes of a stored chunk (a Blob, or a byte array in stores written by older versions). */
export async function chunkBytes(value: unknown): Promise<Uint8Array> {
  if (value instanceof Blob) return new Uint8Array(await value.arrayBuffer());
  if (value instanceof Uint8Array) return value;
  throw new Error(`not a stored chunk: ${String(value)}`);
}

/** Replaces a stored chunk with `edit` of its bytes, behind the store's back (a damaged disk, an extension). */
export async function rewriteChunk(blobs: BlobStore, key: string, edit: (bytes: Uint8Array) => Uint8Array): Promise<void> {
  const bytes = edit(await chunkBytes(await blobs.get(key)));
  await blobs.set(key, new Blob([bytes.slice()]));
}

/** Flips every bit of the byte at `index` of a stored chunk: same size, different content. */
export function flipByte(index: number): (bytes: Uint8Array) => Uint8Array {
  return (bytes) => {
    bytes[index] ^= 0xff;
    return bytes;
  };
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
