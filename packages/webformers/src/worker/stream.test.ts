/**
 * Streamed text through the worker, pulled one chunk per message. The pipeline here is a stand-in
 * that feeds its streamer fixed ids: what is checked is the plumbing (order, end, early exit,
 * errors, abort), not generation itself, which has its own golden tests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore, ModelStore } from '../cache/index.js';
import { env } from '../env.js';
import type { Streamer } from '../generation/index.js';
import { NotSupportedError } from '../utils/errors.js';
import { startInProcessWorker, type InProcessWorker } from '../../test/support/in-process-worker.js';
import { createWorkerClient } from './client.js';
import type { HostRuntime } from './host.js';

const WORDS = ['<s>', 'Once ', 'upon ', 'a ', 'time.'];
const tokenizer = { decode: (ids: readonly number[]) => ids.map((id) => WORDS[id]).join('') };
const tick = () => new Promise((done) => setTimeout(done, 5));

/** Streams ids 1..4 after a prompt of [0]; `fail_at` throws instead of producing that id. */
async function fakeGenerate(_prompt: string, options: { streamer: Streamer; fail_at?: number; signal?: AbortSignal }) {
  options.streamer.put([[0]]);
  for (let id = 1; id < WORDS.length; id++) {
    await tick();
    if (options.signal?.aborted) break;
    if (id === options.fail_at) throw new NotSupportedError('the stand-in model stops here', { hint: 'none' });
    options.streamer.put([[id]]);
  }
  options.streamer.end();
  return [{ generated_text: WORDS.join('') }];
}

const workers: InProcessWorker[] = [];
const runtime = (): HostRuntime => ({
  env,
  store: new ModelStore(new MemoryBlobStore()),
  pipeline: async () => Object.assign(fakeGenerate, { tokenizer, model: { modelId: 'stand-in', config: {}, head: 'causal-lm', inputNames: [], choice: undefined }, dispose: async () => undefined }) as never,
  loadModel: () => Promise.reject(new Error('unused')),
  loadTokenizer: () => Promise.reject(new Error('unused')),
});
const client = createWorkerClient({
  createWorker: () => {
    const worker = startInProcessWorker(runtime());
    workers.push(worker);
    return worker;
  },
});

afterAll(() => client.terminate());

describe('streamed text through the worker', () => {
  it('yields the new text chunk by chunk, then returns the call result', async () => {
    const generator = await client.pipeline('text-classification', 'stand-in');
    const stream = generator.stream('prompt' as never);
    const chunks: string[] = [];
    let next = await stream.next();
    while (!next.done) {
      chunks.push(next.value);
      next = await stream.next();
    }
    expect(chunks).toEqual(['Once ', 'upon ', 'a ', 'time.']);
    expect(next.value).toEqual([{ generated_text: WORDS.join('') }]);
    // The stream is gone; the pipeline and its tokenizer remain.
    expect(workers[0].host.liveObjects).toBe(2);
  });

  it('stops the call and frees the stream when the reader leaves early', async () => {
    const generator = await client.pipeline('text-classification', 'stand-in');
    const before = workers[0].host.liveObjects;
    const seen: string[] = [];
    for await (const chunk of generator.stream('prompt' as never)) {
      seen.push(chunk);
      break;
    }
    expect(seen).toEqual(['Once ']);
    expect(workers[0].host.liveObjects).toBe(before);
  });

  it('rejects the reader with the error thrown in the worker', async () => {
    const generator = await client.pipeline('text-classification', 'stand-in');
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of generator.stream('prompt' as never, { fail_at: 3 } as never)) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['Once ', 'upon ']);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as NotSupportedError).code).toBe('not_supported');
  });

  it('ends after the chunks produced when the signal passed on the main thread aborts, with the call result', async () => {
    const generator = await client.pipeline('text-classification', 'stand-in');
    const controller = new AbortController();
    const stream = generator.stream('prompt' as never, { signal: controller.signal } as never);
    const first = await stream.next();
    controller.abort();
    const seen: string[] = [];
    let next = await stream.next();
    while (!next.done) {
      seen.push(next.value);
      next = await stream.next();
    }
    // The stand-in sees the abort before its next id, as generation does before its next step.
    expect(first).toEqual({ done: false, value: 'Once ' });
    expect(seen).toEqual([]);
    expect(next.value).toEqual([{ generated_text: WORDS.join('') }]);
  });
});
