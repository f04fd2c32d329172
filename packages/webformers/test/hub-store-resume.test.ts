/**
 * The hub and the store together (Node, in-memory store): downloads stream into the store, an
 * interrupted one keeps its completed chunks and resumes with HTTP Range, and concurrent loads
 * share one download.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { env } from '../src/env.js';
import { ModelFileError } from '../src/hub/errors.js';
import { getModelFile } from '../src/hub/get-model-file.js';
import type { ProgressInfo } from '../src/hub/types.js';
import { hubKey } from './support/blob-store-fakes.js';
import { expectFileBytes, fixturePath, isolateEnv, serveFixtureModelsIntoStore } from './support/hub-fixtures.js';

const MODEL = 'tiny-random-gpt2';
const FILE = 'onnx/model.onnx';
const CHUNK = 64 * 1024;
/** Where the injected cut drops the connection: past a few whole chunks, inside the next one. */
const CUT_AT = 5 * CHUNK + 1000;
const KEPT = Math.floor(CUT_AT / CHUNK) * CHUNK;

async function sha256Of(model: string, file: string): Promise<string> {
  return createHash('sha256').update(await readFile(fixturePath(model, file))).digest('hex');
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the load to fail'),
    (error: unknown) => error,
  );
}

describe('resuming an interrupted download into the store', () => {
  isolateEnv();
  const { hub, store } = serveFixtureModelsIntoStore(CHUNK);
  const key = () => hubKey(MODEL, FILE, 'main', hub().url);
  /** The first load is cut mid-body; the store keeps the whole chunks received before the cut. */
  async function interruptedLoad(): Promise<void> {
    hub().setFault(`${MODEL}/${FILE}`, { kind: 'cut', bytes: CUT_AT, once: true });
    const error = await rejectionOf(getModelFile(MODEL, FILE));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).reason).toBe('truncated');
    expect(await store().partialDownload(key())).toEqual({ bytes: KEPT, size: (await readFile(fixturePath(MODEL, FILE))).length, sha256: await sha256Of(MODEL, FILE), etag: `"${await sha256Of(MODEL, FILE)}"` });
  }

  it('asks for the rest with Range and If-Range, continues on 206, and stores the whole file', async () => {
    await interruptedLoad();
    const events: ProgressInfo[] = [];
    const bytes = await getModelFile(MODEL, FILE, { progress_callback: (e) => events.push(e) });
    await expectFileBytes(bytes, MODEL, FILE);
    const sha256 = await sha256Of(MODEL, FILE);
    expect(hub().requests.map((r) => [r.status, r.range, r.ifRange])).toEqual([
      [200, undefined, undefined],
      [206, `bytes=${KEPT}-`, `"${sha256}"`],
    ]);
    // Progress starts at the kept bytes and ends at the file size.
    const progress = events.flatMap((e) => (e.status === 'progress' ? [e] : []));
    expect(progress[0]).toMatchObject({ loaded: KEPT, total: bytes!.length });
    expect(progress.at(-1)).toMatchObject({ loaded: bytes!.length, total: bytes!.length, progress: 100 });
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
    expect(await store().partialDownload(key())).toBeUndefined();
    expect((await store().usage()).bytes).toBe(bytes!.length);
  });

  it('starts over when the server answers the Range request with the whole file (200)', async () => {
    await interruptedLoad();
    hub().setFault(`${MODEL}/${FILE}`, { kind: 'ignore-range' });
    await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
    expect(hub().requests.map((r) => [r.status, r.range])).toEqual([
      [200, undefined],
      [200, `bytes=${KEPT}-`],
    ]);
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
    expect((await store().usage()).bytes).toBe((await readFile(fixturePath(MODEL, FILE))).length);
  });

  it('starts over when If-Range names a version the server no longer has', async () => {
    await interruptedLoad();
    hub().setFault(`${MODEL}/${FILE}`, { kind: 'etag', etag: 'v2' });
    await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
    expect(hub().requests.at(-1)).toMatchObject({ status: 200, range: `bytes=${KEPT}-` });
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
  });

  it('starts over with a plain request when the server refuses the range (416)', async () => {
    await interruptedLoad();
    const fetchFromHub = env.fetch;
    env.fetch = async (url, init) => (new Headers(init?.headers).has('range') ? new Response(null, { status: 416 }) : fetchFromHub(url, init));
    await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
    expect(hub().requests.map((r) => [r.status, r.range])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
  });

  it('keeps resuming across several cuts until the file is whole', async () => {
    const size = (await readFile(fixturePath(MODEL, FILE))).length;
    let failures = 0;
    for (;;) {
      hub().setFault(`${MODEL}/${FILE}`, { kind: 'cut', bytes: 2 * CHUNK + 10, once: true });
      try {
        await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
        break;
      } catch (error) {
        expect((error as ModelFileError).reason).toBe('truncated');
        failures += 1;
      }
    }
    // Each attempt keeps two more chunks; the last one receives the rest uncut.
    expect(failures).toBe(Math.ceil((size - 2 * CHUNK - 10) / (2 * CHUNK)));
    expect(hub().requests.slice(1).map((r) => r.range)).toEqual(Array.from({ length: failures }, (_, i) => `bytes=${(i + 1) * 2 * CHUNK}-`));
  });

  it('streams concurrent loads of one file into the store as one download', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const loads = await Promise.all([getModelFile(MODEL, FILE), getModelFile(MODEL, FILE)]);
      for (const bytes of loads) await expectFileBytes(bytes, MODEL, FILE);
      expect(hub().requests).toHaveLength(1);
      // A second writer for the same file would have been refused by the store, with a warning.
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
  });

  it('serves the stored file with no request when remote models are off', async () => {
    await getModelFile(MODEL, FILE);
    env.allowRemoteModels = false;
    await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
    expect(hub().requests).toHaveLength(1);
  });
});
