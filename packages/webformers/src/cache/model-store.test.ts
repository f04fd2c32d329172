import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { FailingBlobStore, chunkBytes, flipByte, hubKey, rewriteChunk } from '../../test/support/blob-store-fakes.js';
import { InvalidArgumentError } from '../utils/errors.js';
import { FileIntegrityError } from './errors.js';
import { MemoryBlobStore } from './memory-blob-store.js';
import { ModelStore } from './model-store.js';

const CHUNK = 64;
const MODEL = 'Xenova/tiny-model';

// Digests come from Node's own crypto, independent of the Web Crypto path the store uses.
function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

// Byte-wise comparison through Buffer: vitest's deep equality walks typed arrays element by element, far too slowly for megabytes.
function expectSameBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual!.byteLength).toBe(expected.byteLength);
  expect(Buffer.from(actual!.buffer, actual!.byteOffset, actual!.byteLength).equals(expected)).toBe(true);
}

function smallStore<B extends MemoryBlobStore = MemoryBlobStore>(blobs: B = new MemoryBlobStore() as B): { blobs: B; store: ModelStore } {
  return { blobs, store: new ModelStore(blobs, { chunkSize: CHUNK }) };
}

async function chunkValues(blobs: MemoryBlobStore): Promise<Uint8Array[]> {
  const keys = await blobs.keys('chunk:');
  return Promise.all(keys.map(async (key) => chunkBytes(await blobs.get(key))));
}

const BOUNDARY_SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 5 * CHUNK + 3];

describe('ModelStore round trip', () => {
  it.each(BOUNDARY_SIZES)('returns a %i-byte file byte for byte, stored as chunks no larger than the chunk size', async (size) => {
    const { blobs, store } = smallStore();
    const file = bytesOf(size);
    await store.put(hubKey(MODEL, 'onnx/model.onnx'), file, { size, sha256: sha256(file) });
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toEqual(file);
    const chunks = await chunkValues(blobs);
    expect(chunks).toHaveLength(Math.ceil(size / CHUNK));
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(CHUNK);
  });

  it.each(BOUNDARY_SIZES)('assembles a %i-byte file streamed in uneven pieces', async (size) => {
    const { store } = smallStore();
    const file = bytesOf(size);
    const writer = await store.begin(hubKey(MODEL, 'onnx/model.onnx'), { sha256: sha256(file) });
    for (let offset = 0; offset < size; offset += 7) await writer.write(file.subarray(offset, offset + 7));
    expect(writer.bytesWritten).toBe(size);
    expect(await writer.commit()).toEqual(file);
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toEqual(file);
  });

  it.each(BOUNDARY_SIZES)('hashes and returns a fresh %i-byte download of announced size from memory, reading no chunk back', async (size) => {
    const { blobs, store } = smallStore();
    const file = bytesOf(size);
    const writer = await store.begin(hubKey(MODEL, 'onnx/model.onnx'), { size, sha256: sha256(file) });
    for (let offset = 0; offset < size; offset += 7) await writer.write(file.subarray(offset, offset + 7));
    const reads = vi.spyOn(blobs, 'getMany');
    expectSameBytes(await writer.commit(), file);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expectSameBytes(await store.match(hubKey(MODEL, 'onnx/model.onnx')), file);
  });

  it('refuses a download longer than announced, whose bytes overflow the announced size', async () => {
    const { store } = smallStore();
    const file = bytesOf(3 * CHUNK);
    const writer = await store.begin(hubKey(MODEL, 'onnx/model.onnx'), { size: 2 * CHUNK, sha256: sha256(file) });
    for (let offset = 0; offset < file.byteLength; offset += 50) await writer.write(file.subarray(offset, offset + 50));
    await expect(writer.commit()).rejects.toThrow(FileIntegrityError);
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toBeUndefined();
  });

  it('keeps 16 MiB chunks by default and returns files just past that boundary intact', async () => {
    const blobs = new MemoryBlobStore();
    const store = new ModelStore(blobs);
    const file = bytesOf(16 * 1024 * 1024 + 1);
    await store.put(hubKey(MODEL, 'onnx/model.onnx'), file, { sha256: sha256(file) });
    expect((await chunkValues(blobs)).map((chunk) => chunk.byteLength).sort((a, b) => a - b)).toEqual([1, 16 * 1024 * 1024]);
    expectSameBytes(await store.match(hubKey(MODEL, 'onnx/model.onnx')), file);
  });

  it('stores a real ONNX graph checked against its SHA-256', async () => {
    const graph = new Uint8Array(readFileSync(new URL('../../test/fixtures/models/tiny-random-gpt2/onnx/model.onnx', import.meta.url)));
    const store = new ModelStore(new MemoryBlobStore(), { chunkSize: 1024 * 1024 });
    await store.put(hubKey('tiny-random-gpt2', 'onnx/model.onnx'), graph, { size: graph.byteLength, sha256: sha256(graph) });
    const stored = await store.match(hubKey('tiny-random-gpt2', 'onnx/model.onnx'));
    expectSameBytes(stored, graph);
    expect(sha256(stored!)).toBe(sha256(graph));
  });

  it('keeps weight variants, revisions and hosts of one model side by side', async () => {
    const { store } = smallStore();
    const keys = [
      hubKey(MODEL, 'onnx/model.onnx'),
      hubKey(MODEL, 'onnx/model_fp16.onnx'),
      hubKey(MODEL, 'onnx/model_quantized.onnx'),
      hubKey(MODEL, 'onnx/model_q4.onnx'),
      hubKey(MODEL, 'onnx/model.onnx', 'v2'),
      hubKey(MODEL, 'onnx/model.onnx', 'main', 'https://mirror.example'),
    ];
    const files = keys.map((_, index) => bytesOf(100 + index));
    for (const [index, key] of keys.entries()) await store.put(key, files[index]);
    for (const [index, key] of keys.entries()) expect(await store.match(key)).toEqual(files[index]);
  });

  it('replaces a file written again and drops the old chunks', async () => {
    const { blobs, store } = smallStore();
    await store.put(hubKey(MODEL, 'onnx/model.onnx'), bytesOf(3 * CHUNK));
    const second = bytesOf(CHUNK + 5);
    await store.put(hubKey(MODEL, 'onnx/model.onnx'), second);
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toEqual(second);
    expect(await blobs.keys('chunk:')).toHaveLength(2);
  });

  it('refuses to start a second write of a file being written', async () => {
    const { store } = smallStore();
    await store.begin(hubKey(MODEL, 'onnx/model.onnx'));
    await expect(store.begin(hubKey(MODEL, 'onnx/model.onnx'))).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('ModelStore integrity on write', () => {
  it('rejects a file whose SHA-256 differs and leaves nothing loadable or stored', async () => {
    const { blobs, store } = smallStore();
    const file = bytesOf(3 * CHUNK + 10);
    const wrong = sha256(bytesOf(10));
    await expect(store.put(hubKey(MODEL, 'onnx/model.onnx'), file, { sha256: wrong })).rejects.toBeInstanceOf(FileIntegrityError);
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toBeUndefined();
    expect(await blobs.keys()).toEqual([]);
  });

  it('rejects a file shorter than its announced size', async () => {
    const { store } = smallStore();
    const error = await store.put(hubKey(MODEL, 'onnx/model.onnx'), bytesOf(CHUNK + 1), { size: CHUNK + 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileIntegrityError);
    expect((error as FileIntegrityError).code).toBe('file_integrity');
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toBeUndefined();
  });

  it('rejects a file longer than its announced size', async () => {
    const { blobs, store } = smallStore();
    await expect(store.put(hubKey(MODEL, 'onnx/model.onnx'), bytesOf(2 * CHUNK + 1), { size: CHUNK + 3 })).rejects.toBeInstanceOf(FileIntegrityError);
    expect(await blobs.keys()).toEqual([]);
  });
});

describe('ModelStore interrupted writes', () => {
  it('never loads a file whose writer stopped before commit', async () => {
    const { blobs, store } = smallStore();
    const writer = await store.begin(hubKey(MODEL, 'onnx/model.onnx'), { size: 4 * CHUNK });
    await writer.write(bytesOf(3 * CHUNK + CHUNK / 2));
    const fresh = new ModelStore(blobs, { chunkSize: CHUNK });
    expect(await fresh.match(hubKey(MODEL, 'onnx/model.onnx'))).toBeUndefined();
    expect(await fresh.list()).toEqual([]);
  });

  it('never loads a file when storing its manifest fails', async () => {
    const { blobs, store } = smallStore(new FailingBlobStore());
    blobs.failSet = (key) => key.startsWith('file:');
    const file = bytesOf(2 * CHUNK + 3);
    await expect(store.put(hubKey(MODEL, 'onnx/model.onnx'), file, { sha256: sha256(file) })).rejects.toThrow(/simulated interruption/);
    blobs.failSet = () => false;
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toBeUndefined();
  });

  it('keeps the previous copy loadable when a rewrite is interrupted', async () => {
    const { blobs, store } = smallStore(new FailingBlobStore());
    const first = bytesOf(2 * CHUNK);
    await store.put(hubKey(MODEL, 'onnx/model.onnx'), first);
    let stored = 0;
    blobs.failSet = (key) => key.startsWith('chunk:') && ++stored > 1;
    await expect(store.put(hubKey(MODEL, 'onnx/model.onnx'), bytesOf(3 * CHUNK))).rejects.toThrow(/simulated interruption/);
    expect(await store.match(hubKey(MODEL, 'onnx/model.onnx'))).toEqual(first);
  });
});

describe('ModelStore resuming a partial download', () => {
  const key = hubKey(MODEL, 'onnx/model_fp16.onnx');

  async function interruptedDownload(store: ModelStore, file: Uint8Array, stopAt: number): Promise<void> {
    const writer = await store.begin(key, { size: file.byteLength, sha256: sha256(file), etag: '"v1"' });
    await writer.write(file.subarray(0, stopAt));
  }

  it('reports the whole chunks already stored and completes the file from there', async () => {
    const file = bytesOf(5 * CHUNK + 17);
    const blobs = new MemoryBlobStore();
    await interruptedDownload(new ModelStore(blobs, { chunkSize: CHUNK }), file, 2 * CHUNK + 20);

    const store = new ModelStore(blobs, { chunkSize: CHUNK });
    const offset = await store.partialBytes(key, { sha256: sha256(file), etag: '"v1"' });
    expect(offset).toBe(2 * CHUNK);
    const writer = await store.begin(key, { offset, sha256: sha256(file), etag: '"v1"' });
    expect(writer.bytesWritten).toBe(offset);
    await writer.write(file.subarray(offset));
    expect(await writer.commit()).toEqual(file);
    expect(await store.match(key)).toEqual(file);
    expect(await store.partialBytes(key)).toBe(0);
  });

  it('describes the kept part with the size, digest and etag it was downloaded for, until the file is whole', async () => {
    const file = bytesOf(3 * CHUNK + 5);
    const { blobs, store: first } = smallStore();
    expect(await first.partialDownload(key)).toBeUndefined();
    await interruptedDownload(first, file, CHUNK - 1);
    // Less than one chunk arrived: nothing to resume from.
    const store = new ModelStore(blobs, { chunkSize: CHUNK });
    expect(await store.partialDownload(key)).toBeUndefined();
    const writer = await store.begin(key, { offset: 0, size: file.byteLength, sha256: sha256(file), etag: '"v1"' });
    await writer.write(file.subarray(0, 2 * CHUNK + 3));
    writer.suspend();
    expect(await store.partialDownload(key)).toEqual({ bytes: 2 * CHUNK, size: file.byteLength, sha256: sha256(file), etag: '"v1"' });
    const rest = await store.begin(key, { offset: 2 * CHUNK });
    await rest.write(file.subarray(2 * CHUNK));
    await rest.commit();
    expect(await store.partialDownload(key)).toBeUndefined();
  });

  it('resumes in the chunk size the download started with', async () => {
    const file = bytesOf(4 * CHUNK);
    const blobs = new MemoryBlobStore();
    await interruptedDownload(new ModelStore(blobs, { chunkSize: CHUNK }), file, 3 * CHUNK);
    const store = new ModelStore(blobs, { chunkSize: CHUNK * 4 });
    const offset = await store.partialBytes(key);
    expect(offset).toBe(3 * CHUNK);
    const writer = await store.begin(key, { offset });
    await writer.write(file.subarray(offset));
    expect(await writer.commit()).toEqual(file);
  });

  it('does not offer a partial download made for another version of the file', async () => {
    const file = bytesOf(3 * CHUNK);
    const { blobs, store } = smallStore();
    await interruptedDownload(store, file, 2 * CHUNK);
    const other = new ModelStore(blobs, { chunkSize: CHUNK });
    expect(await other.partialBytes(key, { etag: '"v2"' })).toBe(0);
    expect(await other.partialBytes(key, { sha256: sha256(bytesOf(4)) })).toBe(0);
    await expect(other.begin(key, { offset: 2 * CHUNK, etag: '"v2"' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(other.begin(key, { offset: CHUNK })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('resumes in the same session after the writer was suspended', async () => {
    const file = bytesOf(4 * CHUNK + 1);
    const { store } = smallStore();
    const first = await store.begin(key, { sha256: sha256(file).toUpperCase() });
    await first.write(file.subarray(0, 2 * CHUNK + 30));
    first.suspend();
    await expect(first.write(file)).rejects.toBeInstanceOf(InvalidArgumentError);
    const offset = await store.partialBytes(key, { sha256: sha256(file) });
    expect(offset).toBe(2 * CHUNK);
    const second = await store.begin(key, { offset });
    await second.write(file.subarray(offset));
    expectSameBytes(await second.commit(), file);
  });

  it('refuses a digest given in quotes, as the Hub header carries it', async () => {
    const { store } = smallStore();
    const file = bytesOf(10);
    await expect(store.begin(key, { sha256: `"${sha256(file)}"` })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('drops the stored part when the download starts again from zero', async () => {
    const file = bytesOf(3 * CHUNK);
    const blobs = new MemoryBlobStore();
    await interruptedDownload(new ModelStore(blobs, { chunkSize: CHUNK }), file, 2 * CHUNK);
    const store = new ModelStore(blobs, { chunkSize: CHUNK });
    await store.put(key, file);
    expect(await blobs.keys('chunk:')).toHaveLength(3);
    expect(await blobs.keys('partial:')).toEqual([]);
  });

  it('catches a stored part that was damaged before the download resumed', async () => {
    const file = bytesOf(3 * CHUNK);
    const blobs = new MemoryBlobStore();
    await interruptedDownload(new ModelStore(blobs, { chunkSize: CHUNK }), file, 2 * CHUNK);
    const [firstChunk] = await blobs.keys('chunk:');
    await rewriteChunk(blobs, firstChunk, flipByte(5));

    const store = new ModelStore(blobs, { chunkSize: CHUNK });
    const writer = await store.begin(key, { offset: await store.partialBytes(key), sha256: undefined });
    await writer.write(file.subarray(2 * CHUNK));
    await expect(writer.commit()).rejects.toBeInstanceOf(FileIntegrityError);
    expect(await store.match(key)).toBeUndefined();
    expect(await blobs.keys()).toEqual([]);
  });
});

describe('ModelStore corruption on read', () => {
  const key = hubKey(MODEL, 'onnx/model.onnx');

  async function storedFile(options: { verifyOnRead?: boolean } = {}): Promise<{ blobs: MemoryBlobStore; store: ModelStore; chunkKeys: string[]; file: Uint8Array }> {
    const blobs = new MemoryBlobStore();
    const store = new ModelStore(blobs, { chunkSize: CHUNK, ...options });
    const file = bytesOf(3 * CHUNK + 9);
    await store.put(key, file);
    const chunkKeys = (await blobs.keys('chunk:')).sort();
    return { blobs, store, chunkKeys, file };
  }

  async function expectMissAndRemoved(blobs: MemoryBlobStore, store: ModelStore): Promise<void> {
    expect(await store.match(key)).toBeUndefined();
    expect(await blobs.keys('file:')).toEqual([]);
    expect(await blobs.keys('chunk:')).toEqual([]);
  }

  it('with verifyOnRead, treats a flipped byte in a chunk as a miss and deletes the entry', async () => {
    const { blobs, store, chunkKeys } = await storedFile({ verifyOnRead: true });
    await rewriteChunk(blobs, chunkKeys[1], flipByte(CHUNK - 1));
    await expectMissAndRemoved(blobs, store);
  });

  it('hashes a file on read only with verifyOnRead', async () => {
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    try {
      for (const [verifyOnRead, hashes] of [[false, 0], [true, 1]] as const) {
        const { store, file } = await storedFile({ verifyOnRead });
        digest.mockClear();
        expectSameBytes(await store.match(key), file);
        expect(digest).toHaveBeenCalledTimes(hashes);
      }
    } finally {
      digest.mockRestore();
    }
  });

  it('reads all chunks of a file in one getMany call', async () => {
    const { blobs, store, chunkKeys, file } = await storedFile();
    const getMany = vi.spyOn(blobs, 'getMany');
    const get = vi.spyOn(blobs, 'get');
    expectSameBytes(await store.match(key), file);
    expect(getMany.mock.calls).toEqual([[chunkKeys]]);
    expect(get.mock.calls.map(([k]) => k.split(':')[0])).toEqual(['file']);
  });

  it('reads chunks that older versions stored as byte arrays', async () => {
    const { blobs, store, chunkKeys, file } = await storedFile();
    for (const chunkKey of chunkKeys) await blobs.set(chunkKey, await chunkBytes(await blobs.get(chunkKey)));
    expect((await blobs.get(chunkKeys[0])) instanceof Uint8Array).toBe(true);
    expectSameBytes(await store.match(key), file);
  });

  it('treats a chunk of the wrong size as a miss', async () => {
    const { blobs, store, chunkKeys } = await storedFile();
    await rewriteChunk(blobs, chunkKeys[0], (bytes) => bytes.subarray(0, CHUNK - 1));
    await expectMissAndRemoved(blobs, store);
  });

  it('treats a missing chunk as a miss', async () => {
    const { blobs, store, chunkKeys } = await storedFile();
    await blobs.delete([chunkKeys[2]]);
    await expectMissAndRemoved(blobs, store);
  });

  it('treats an unreadable manifest as a miss', async () => {
    const { blobs, store } = await storedFile();
    const [manifestKey] = await blobs.keys('file:');
    await blobs.set(manifestKey, { bytes: 'many' });
    expect(await store.match(key)).toBeUndefined();
    expect(await blobs.keys('file:')).toEqual([]);
  });
});
