/**
 * Aborting loads (Node, in-memory store, the hub server's slow-chunk fault): an aborted load
 * rejects at once with an AbortError naming the file, a download stops only when every load
 * sharing it has aborted, what it stored is kept for resuming, and the next load works.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { env } from '../src/env.js';
import { LoadAbortedError } from '../src/hub/errors.js';
import { getModelFile } from '../src/hub/get-model-file.js';
import type { ProgressInfo } from '../src/hub/types.js';
import { AutoConfig } from '../src/models/auto-config.js';
import { pipeline } from '../src/pipelines/pipeline.js';
import { AutoTokenizer } from '../src/tokenizers/auto-tokenizer.js';
import { hubKey } from './support/blob-store-fakes.js';
import { expectFileBytes, isolateEnv, serveFixtureModelsIntoStore } from './support/hub-fixtures.js';

const MODEL = 'tiny-random-gpt2';
const FILE = 'onnx/model.onnx';
const CHUNK = 64 * 1024;

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the load to fail'),
    (error: unknown) => error,
  );
}

function expectAbortOf(error: unknown, file: string): void {
  expect(error).toBeInstanceOf(LoadAbortedError);
  expect(error).toMatchObject({ name: 'AbortError', code: 'aborted', model: MODEL, file });
  expect((error as Error).message).toContain(file);
}

/** Progress events of one load, and a promise for the moment `bytes` of the file have arrived. */
function progressUntil(bytes: number): { events: ProgressInfo[]; reached: Promise<void>; progress_callback: (e: ProgressInfo) => void } {
  const events: ProgressInfo[] = [];
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    events,
    reached,
    progress_callback: (e) => {
      events.push(e);
      if (e.status === 'progress' && e.loaded >= bytes) reach();
    },
  };
}

describe('aborting a load', () => {
  isolateEnv();
  const { hub, store } = serveFixtureModelsIntoStore(CHUNK);
  const key = () => hubKey(MODEL, FILE, 'main', hub().url);
  beforeEach(() => {
    // About 100 pieces 5 ms apart: a load is still downloading when the test aborts it.
    hub().setFault(`${MODEL}/${FILE}`, { kind: 'slow', chunkSize: CHUNK, delayMs: 5 });
  });

  /** Starts a load, aborts it once `bytes` of the file have arrived, and checks how it failed; resolves to its events. */
  async function loadAndAbortAt(bytes: number): Promise<ProgressInfo[]> {
    const controller = new AbortController();
    const progress = progressUntil(bytes);
    const load = getModelFile(MODEL, FILE, { signal: controller.signal, progress_callback: progress.progress_callback });
    await progress.reached;
    controller.abort();
    expectAbortOf(await rejectionOf(load), FILE);
    return progress.events;
  }

  /** Loads the file again without faults; resolves to the statuses of every request so far. */
  async function loadAgain(): Promise<number[]> {
    hub().setFault(`${MODEL}/${FILE}`, undefined);
    await expectFileBytes(await getModelFile(MODEL, FILE), MODEL, FILE);
    return hub().requests.map((r) => r.status);
  }

  it('mid-download rejects with an AbortError naming the file, keeps whole chunks, and the next load resumes', async () => {
    const events = await loadAndAbortAt(3 * CHUNK);
    const heard = events.length;
    expect(events.map((e) => e.status)).not.toContain('done');

    // Had the first download gone on in the background, the second load would have joined it
    // instead of asking for the rest of what the first one stored.
    expect(await loadAgain()).toEqual([200, 206]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(hub().requests[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThanOrEqual(CHUNK);
    expect(resumedAt % CHUNK).toBe(0);
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
    expect(events).toHaveLength(heard);
  });

  it('with a signal already aborted, rejects before any request or progress event', async () => {
    const events: ProgressInfo[] = [];
    const error = await rejectionOf(getModelFile(MODEL, FILE, { signal: AbortSignal.abort(), progress_callback: (e) => events.push(e) }));
    expectAbortOf(error, FILE);
    expect(hub().requests).toEqual([]);
    expect(events).toEqual([]);
  });

  it('rejects a cache hit when the signal is already aborted', async () => {
    expect(await loadAgain()).toEqual([200]);
    expectAbortOf(await rejectionOf(getModelFile(MODEL, FILE, { signal: AbortSignal.abort() })), FILE);
    expect(hub().requests).toHaveLength(1);
  });

  it('of one of two loads sharing a download: that one rejects at once, the other gets the whole file', async () => {
    const kept = getModelFile(MODEL, FILE);
    await loadAndAbortAt(2 * CHUNK);
    await expectFileBytes(await kept, MODEL, FILE);
    expect(hub().requests).toHaveLength(1);
    await expectFileBytes((await store().match(key()))!, MODEL, FILE);
  });

  it('of every load sharing a download stops it; the next load resumes from what it stored', async () => {
    const controller = new AbortController();
    const other = getModelFile(MODEL, FILE, { signal: controller.signal });
    await loadAndAbortAt(3 * CHUNK);
    controller.abort();
    expectAbortOf(await rejectionOf(other), FILE);
    expect(await loadAgain()).toEqual([200, 206]);
  });

  it('stops waiting for a stalled body also when env.fetch does not pass the signal on', async () => {
    const fetchFromHub = env.fetch;
    env.fetch = (url, init) => fetchFromHub(url, { ...init, signal: undefined });
    // The connection stalls after 2.5 chunks for twice as long as the test may take: only the
    // abort, not the connection's end, can have ended the first load in time.
    hub().setFault(`${MODEL}/${FILE}`, { kind: 'cut', bytes: 2 * CHUNK + CHUNK / 2, pauseMs: 30_000, once: true });
    await loadAndAbortAt(2 * CHUNK);
    expect(await loadAgain()).toEqual([200, 206]);
  }, 15_000);

  it('without a store: rejects, and the next load downloads the whole file', async () => {
    env.cache = null;
    await loadAndAbortAt(2 * CHUNK);
    expect(await loadAgain()).toEqual([200, 200]);
  });

  it.each([
    ['pipeline()', (signal: AbortSignal) => pipeline('text-generation', MODEL, { signal })],
    ['AutoTokenizer.from_pretrained', (signal: AbortSignal) => AutoTokenizer.from_pretrained(MODEL, { signal })],
    ['AutoConfig.from_pretrained', (signal: AbortSignal) => AutoConfig.from_pretrained(MODEL, { signal })],
  ])('given to %s, reaches the hub', async (_, load) => {
    const error = await rejectionOf(load(AbortSignal.abort()));
    expect(error).toBeInstanceOf(LoadAbortedError);
    expect(hub().requests).toEqual([]);
  });
});
