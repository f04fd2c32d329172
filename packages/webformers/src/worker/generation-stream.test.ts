/**
 * Generation through the worker (Node, MessageChannel, the tiny GPT-2 fixture from the local Hub
 * server): streamed text and results match the Python goldens, and an abort on the main thread
 * stops the generation loop in the worker within one step.
 */
import { describe, expect, it } from 'vitest';
import type { Streamer } from '../generation/index.js';
import { pipeline } from '../pipelines/index.js';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { memoryRuntime, useWorkerOnHub } from '../../test/support/worker-on-hub.js';

const GPT2 = 'tiny-random-gpt2';
interface Case { input: string; kwargs: { max_new_tokens: number; do_sample: boolean; return_full_text?: boolean }; output: { generated_text: string }[] }
const cases = readFixtureJSON<{ 'text-generation': Case[] }>(GPT2, 'goldens/pipeline.json')['text-generation'];
const full = cases.find((c) => c.kwargs.return_full_text === undefined)!;
const newOnly = cases.find((c) => c.input === full.input && c.kwargs.return_full_text === false)!;

/** Tokens the worker's generation loop produced (streamer `put` calls after the prompt), per call. */
const produced: number[] = [];

/** The real pipeline, with its streamer wrapped so the test can count the steps the worker ran. */
async function countingPipeline(...args: Parameters<typeof pipeline>) {
  const real = await pipeline(...args);
  const counted = (input: unknown, options: { streamer?: Streamer } = {}) => {
    const index = produced.push(0) - 1;
    const streamer = options.streamer;
    const put: Streamer['put'] = (tokens) => {
      produced[index]++;
      streamer?.put(tokens);
    };
    return (real as unknown as (i: unknown, o: unknown) => Promise<unknown>)(input, streamer ? { ...options, streamer: { put, end: () => streamer.end() } } : options);
  };
  return Object.assign(counted, { tokenizer: real.tokenizer, model: real.model, dispose: () => real.dispose() }) as never;
}

const hub = useWorkerOnHub(() => ({ ...memoryRuntime(), pipeline: countingPipeline }));

describe('text generation through the worker', () => {
  it('gives the golden text, and streams the new text chunk by chunk', async () => {
    const generator = await hub.client.pipeline('text-generation', GPT2);
    expect(await generator(full.input, full.kwargs)).toEqual(full.output);

    const chunks: string[] = [];
    const stream = generator.stream(full.input, full.kwargs);
    let step = await stream.next();
    while (!step.done) {
      chunks.push(step.value);
      step = await stream.next();
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(newOnly.output[0].generated_text);
    expect(step.value).toEqual(full.output);
    await generator.dispose();
  });

  it('stops generating in the worker within one step of an abort on the main thread', async () => {
    const generator = await hub.client.pipeline('text-generation', GPT2);
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of generator.stream(full.input, { max_new_tokens: 200, do_sample: false, signal: controller.signal } as never)) {
        seen.push(chunk);
        if (seen.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    const stepsAtAbort = produced.at(-1)!;
    await new Promise((done) => setTimeout(done, 300));
    // The prompt is the first put; 200 new tokens would be 201 puts.
    expect(produced.at(-1)!).toBeLessThan(30);
    expect(produced.at(-1)! - stepsAtAbort).toBeLessThanOrEqual(1);
    await generator.dispose();
  });
});
