/**
 * The hub and the store together (Node, in-memory stores): what the server announces reaches the
 * store, files that do not match it are refused, a full store fails the load without damage, and
 * a broken store does not stop a model from loading.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageQuotaError } from '../src/cache/errors.js';
import { MemoryBlobStore } from '../src/cache/memory-blob-store.js';
import { ModelStore } from '../src/cache/model-store.js';
import { env, type FileCache, type FileCacheKey, type FileExpectations } from '../src/env.js';
import { ModelFileError } from '../src/hub/errors.js';
import { getModelFile } from '../src/hub/get-model-file.js';
import { FailingBlobStore, QuotaLimitedBlobStore, flipByte, hubKey, rewriteChunk } from './support/blob-store-fakes.js';
import { FIXTURE_MODELS, expectFileBytes, fixturePath, isolateEnv } from './support/hub-fixtures.js';
import { startHubServer, type HubServer } from './support/hub-server.js';

const MODEL = 'tiny-random-gpt2';
const OTHER_MODEL = 'tiny-random-t5';
const ONNX = 'onnx/model.onnx';
const CHUNK = 64 * 1024;

async function fixture(model: string, file: string): Promise<Buffer> {
  return readFile(fixturePath(model, file));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the load to fail'),
    (error: unknown) => error,
  );
}

/** A store seen through the two methods every cache has: it receives whole files only. */
function wholeFilesOnly(store: ModelStore): FileCache {
  return { match: (key) => store.match(key), put: (key, bytes, expected) => store.put(key, bytes, expected) };
}

describe('the hub with a store', () => {
  isolateEnv();
  let hub: HubServer;
  const key = (model: string, file: string) => hubKey(model, file, 'main', hub.url);
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
    env.remoteHost = hub.url;
  });
  afterEach(async () => {
    await hub.close();
  });

  it('hands the store the size, and the SHA-256 the server announces for LFS files', async () => {
    const received: [string, FileExpectations | undefined][] = [];
    env.cache = { match: async () => undefined, put: async (k: FileCacheKey, _bytes, expected) => void received.push([k.file, expected]) };
    await getModelFile(MODEL, ONNX);
    await getModelFile(MODEL, 'config.json');
    const onnx = await fixture(MODEL, ONNX);
    const config = await fixture(MODEL, 'config.json');
    expect(received).toEqual([
      [ONNX, { size: onnx.length, sha256: sha256(onnx), etag: `"${sha256(onnx)}"` }],
      // A git blob SHA-1 etag is no content digest: only the size is checked.
      [
        'config.json',
        { size: config.length, etag: `"${createHash('sha1').update(`blob ${config.length}\0`).update(config).digest('hex')}"` },
      ],
    ]);
  });

  it.each([
    ['streamed into the store', () => new ModelStore(new MemoryBlobStore(), { chunkSize: CHUNK })],
    ['handed over whole', () => wholeFilesOnly(new ModelStore(new MemoryBlobStore(), { chunkSize: CHUNK }))],
  ])('refuses a file whose bytes do not match the announced SHA-256 (%s), and keeps nothing of it', async (_, makeStore) => {
    const store = makeStore();
    env.cache = store;
    // The digest of another real file: the server announces a version these bytes are not.
    hub.setFault(`${MODEL}/${ONNX}`, { kind: 'etag', etag: sha256(await fixture(MODEL, 'config.json')), once: true });
    const error = await rejectionOf(getModelFile(MODEL, ONNX));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).reason).toBe('malformed');
    expect((error as ModelFileError).message).toMatch(/SHA-256/);
    expect(((error as ModelFileError).cause as { code?: string }).code).toBe('file_integrity');
    expect(await store.match(key(MODEL, ONNX))).toBeUndefined();

    await expectFileBytes(await getModelFile(MODEL, ONNX), MODEL, ONNX);
    await expectFileBytes((await store.match(key(MODEL, ONNX)))!, MODEL, ONNX);
  });

  it.each([
    ['streamed into the store', (store: ModelStore): FileCache => store],
    ['handed over whole', wholeFilesOnly],
  ])('fails the load with StorageQuotaError when the store is full (%s), and damages nothing stored', async (_, view) => {
    const blobs = new QuotaLimitedBlobStore(200_000);
    const store = new ModelStore(blobs, { chunkSize: CHUNK, estimate: blobs.estimate });
    env.cache = view(store);
    await getModelFile(OTHER_MODEL, 'config.json');
    const keysBefore = (await blobs.keys()).sort();

    const error = await rejectionOf(getModelFile(MODEL, ONNX));
    const onnx = await fixture(MODEL, ONNX);
    expect(error).toBeInstanceOf(StorageQuotaError);
    const quota = error as StorageQuotaError;
    expect(quota.code).toBe('storage_quota');
    expect(quota.neededBytes).toBe(onnx.length);
    expect(quota.freeBytes).toBeGreaterThanOrEqual(0);
    expect(quota.deletable.map((m) => m.model)).toEqual([OTHER_MODEL]);
    expect(quota.message).toContain(OTHER_MODEL);
    expect(quota.message).toMatch(/MiB.*free/);

    // The other model is intact and the refused file left nothing behind.
    await expectFileBytes((await store.match(key(OTHER_MODEL, 'config.json')))!, OTHER_MODEL, 'config.json');
    expect((await blobs.keys()).filter((k) => !k.startsWith('used:')).sort()).toEqual(keysBefore.filter((k) => !k.startsWith('used:')));
    expect((await store.list()).map((m) => m.model)).toEqual([OTHER_MODEL]);
  });

  it.each([
    ['cut short', (bytes: Uint8Array) => bytes.subarray(0, 100), {}],
    ['changed in place, with verifyOnRead', flipByte(100), { verifyOnRead: true }],
  ])('detects a stored file %s and downloads it again', async (_, damage, options) => {
    const blobs = new MemoryBlobStore();
    const store = new ModelStore(blobs, { chunkSize: CHUNK, ...options });
    env.cache = store;
    await getModelFile(MODEL, ONNX);
    const [chunkKey] = (await blobs.keys('chunk:')).sort();
    await rewriteChunk(blobs, chunkKey, damage);

    await expectFileBytes(await getModelFile(MODEL, ONNX), MODEL, ONNX);
    expect(hub.requests).toHaveLength(2);
    await expectFileBytes((await store.match(key(MODEL, ONNX)))!, MODEL, ONNX);
  });

  it('still loads the file, with a warning, when the store fails for another reason than quota', async () => {
    const blobs = new FailingBlobStore();
    blobs.failSet = (k) => k.startsWith('chunk:');
    env.cache = new ModelStore(blobs, { chunkSize: CHUNK });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expectFileBytes(await getModelFile(MODEL, ONNX), MODEL, ONNX);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain('could not cache');
    } finally {
      warn.mockRestore();
    }
    expect(await blobs.keys('chunk:')).toEqual([]);
  });
});
