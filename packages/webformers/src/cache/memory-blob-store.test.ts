import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from './memory-blob-store.js';

describe('MemoryBlobStore', () => {
  it('keeps copies, so changing a buffer after storing or reading it changes nothing stored', async () => {
    const blobs = new MemoryBlobStore();
    const bytes = new Uint8Array([1, 2, 3]);
    await blobs.set('k', bytes);
    bytes[0] = 9;
    const read = (await blobs.get('k')) as Uint8Array;
    read[1] = 9;
    expect(Array.from((await blobs.get('k')) as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('reads several keys at once, in order, with undefined for absent ones, as copies', async () => {
    const blobs = new MemoryBlobStore();
    await blobs.set('a', new Uint8Array([1]));
    await blobs.set('b', 'text');
    const [a, absent, b] = await blobs.getMany(['a', 'absent', 'b']);
    expect([Array.from(a as Uint8Array), absent, b]).toEqual([[1], undefined, 'text']);
    (a as Uint8Array)[0] = 9;
    expect(Array.from((await blobs.get('a')) as Uint8Array)).toEqual([1]);
  });

  it('lists keys by prefix, deletes some and clears all', async () => {
    const blobs = new MemoryBlobStore();
    for (const key of ['file:a', 'file:b', 'chunk:x:0']) await blobs.set(key, key);
    expect((await blobs.keys('file:')).sort()).toEqual(['file:a', 'file:b']);
    await blobs.delete(['file:a', 'absent']);
    expect((await blobs.keys()).sort()).toEqual(['chunk:x:0', 'file:b']);
    expect(await blobs.get('file:a')).toBeUndefined();
    await blobs.clear();
    expect(await blobs.keys()).toEqual([]);
  });
});
