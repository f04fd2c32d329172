/**
 * Generation through the worker (Node, MessageChannel, the tiny GPT-2 fixture from the local Hub
 * server): streamed text and results match the Python goldens, and an abort on the main thread
 * stops the generation loop in the worker within one step, ending with what was produced.
 */
import { describe, expect, it } from 'vitest';
import type { Streamer } from '../generation/index.js';
import { pipeline } from '../pipelines/index.js';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { generationCases, memoryRuntime, useWorkerOnHub } from '../../test/support/worker-on-hub.js';

const GPT2 = 'tiny-random-gpt2';
interface Case { input: string; kwargs: { max_new_tokens: number; do_sample: boolean; return_full_text?: boolean }; output: { generated_text: string }[] }
const cases = readFixtureJSON<{ 'text-generation': Case[] }>(GPT2, 'goldens/pipeline.json')['text-generation'];
const full = cases.find((c) => c.kwargs.return_full_text === undefined)!;
const newOnly = cases.find((c) => c.input === full.input && c.kwargs.return_full_text === false)!;
/** Python generate() on the same prompt, 20 new tokens: the ids an aborted call must give a prefix of. */
const greedy = generationCases(GPT2).find((c) => c.name === 'prompt0_greedy')!;

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

  it('stops generating in the worker within one step of an abort, and ends with the text produced (the golden prefix)', async () => {
    const generator = await hub.client.pipeline('text-generation', GPT2);
    const controller = new AbortController();
    const stream = generator.stream(full.input, { max_new_tokens: 200, do_sample: false, signal: controller.signal } as never);
    const seen: string[] = [];
    let step = await stream.next();
    let stepsAtAbort = 0;
    while (!step.done) {
      seen.push(step.value);
      if (seen.length === 2) {
        controller.abort();
        stepsAtAbort = produced.at(-1)!;
      }
      step = await stream.next();
    }
    // The prompt is the first put; 200 new tokens would be 201 puts.
    const newTokens = produced.at(-1)! - 1;
    expect(await generator.tokenizer.decode(greedy.input_ids[0])).toBe(full.input);
    expect(produced.at(-1)! - stepsAtAbort).toBeLessThanOrEqual(1);
    expect(newTokens).toBeLessThan(greedy.sequences[0].length - greedy.input_ids[0].length);
    const expected = await generator.tokenizer.decode(greedy.sequences[0].slice(0, greedy.input_ids[0].length + newTokens), { skip_special_tokens: true });
    expect(step.value).toEqual([{ generated_text: expected }]);
    expect(full.input + seen.join('')).toBe(expected);
    await generator.dispose();
  });
});
