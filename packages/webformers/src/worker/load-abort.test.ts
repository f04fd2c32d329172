/**
 * An `AbortSignal` in the options of `from_pretrained` / `pipeline()` on the main thread: the call
 * rejects at once with the abort, the load in the worker receives an aborted signal in its own
 * options, stops its download (seconds before the slowed file would be whole), and leaves nothing
 * behind in the worker. Node, MessageChannel, downloads slowed by the local Hub server.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryRuntime, useWorkerOnHub } from '../../test/support/worker-on-hub.js';
import type { HostRuntime } from './host.js';

const MODEL = 'tiny-random-bert-sequence-classification';

/** The signal each load in the worker was given, and whether that load has settled. */
interface SeenLoad { signal: AbortSignal | undefined; settled: boolean }
const seen: SeenLoad[] = [];

function recordingRuntime(): HostRuntime {
  const real = memoryRuntime();
  const record = <T>(options: object, load: Promise<T>): Promise<T> => {
    const entry: SeenLoad = { signal: (options as { signal?: AbortSignal }).signal, settled: false };
    seen.push(entry);
    void load.catch(() => undefined).finally(() => { entry.settled = true; });
    return load;
  };
  return {
    ...real,
    pipeline: (task, model, options) => record(options, real.pipeline(task, model, options)),
    loadModel: (model, head, options) => record(options, real.loadModel(model, head, options)),
    loadTokenizer: (model, options) => record(options, real.loadTokenizer(model, options)),
  };
}

const hub = useWorkerOnHub(recordingRuntime);
beforeAll(() => {
  hub.client.env.useBrowserCache = false;
});

afterEach(() => {
  hub.server.setFault(`${MODEL}/onnx/model.onnx`, undefined);
  hub.server.setFault(`${MODEL}/tokenizer.json`, undefined);
});

/** Starts `load` with a signal, aborts it 300 ms later, and reports what the caller saw. */
async function abortAfterStart(load: (signal: AbortSignal) => Promise<unknown>): Promise<{ error: unknown; waitedMs: number; load: SeenLoad; abortedAt: number }> {
  const controller = new AbortController();
  const before = seen.length;
  const running = load(controller.signal).then(() => null, (e: unknown) => e);
  await new Promise((done) => setTimeout(done, 300));
  const abortedAt = performance.now();
  controller.abort();
  const error = await running;
  return { error, waitedMs: performance.now() - abortedAt, load: seen[before], abortedAt };
}

/** Waits until the load in the worker has settled; gives the time it took after the abort. */
async function settledAfter(load: SeenLoad, abortedAt: number): Promise<number> {
  await expect.poll(() => load.signal?.aborted, { timeout: 1000, interval: 10 }).toBe(true);
  await expect.poll(() => load.settled, { timeout: 20_000, interval: 20 }).toBe(true);
  return performance.now() - abortedAt;
}

describe('an AbortSignal given to a load on the main thread', () => {
  // About 6 s for the 4 MB graph and for the tokenizer: far longer than an abort may take.
  const slowGraph = () => hub.server.setFault(`${MODEL}/onnx/model.onnx`, { kind: 'slow', chunkSize: 64 * 1024, delayMs: 100 });
  const STOPPED_WITHIN_MS = 2000;

  it('AutoModel*.from_pretrained: rejects at once, and the load in the worker stops', async () => {
    slowGraph();
    const { error, waitedMs, load, abortedAt } = await abortAfterStart((signal) => hub.client.AutoModelForSequenceClassification.from_pretrained(MODEL, { signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(waitedMs).toBeLessThan(200);
    expect(load.signal).toBeInstanceOf(AbortSignal);
    expect(await settledAfter(load, abortedAt)).toBeLessThan(STOPPED_WITHIN_MS);
    expect(hub.worker.host.liveObjects).toBe(0);
  });

  it('pipeline(): rejects at once, the load stops, and nothing stays in the worker', async () => {
    slowGraph();
    const { error, load, abortedAt } = await abortAfterStart((signal) => hub.client.pipeline('text-classification', MODEL, { signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(await settledAfter(load, abortedAt)).toBeLessThan(STOPPED_WITHIN_MS);
    expect(hub.worker.host.liveObjects).toBe(0);
  });

  it('AutoTokenizer.from_pretrained: rejects at once, and the load in the worker stops', async () => {
    hub.server.setFault(`${MODEL}/tokenizer.json`, { kind: 'slow', chunkSize: 8 * 1024, delayMs: 100 });
    const { error, load, abortedAt } = await abortAfterStart((signal) => hub.client.AutoTokenizer.from_pretrained(MODEL, { signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(await settledAfter(load, abortedAt)).toBeLessThan(STOPPED_WITHIN_MS);
    expect(hub.worker.host.liveObjects).toBe(0);
  });
});
