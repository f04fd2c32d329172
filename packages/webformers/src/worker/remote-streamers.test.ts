/**
 * Streamers made on the main thread and used by generation in the worker (Node, MessageChannel,
 * fixture models from the local Hub server): `TextStreamer` / `TextIteratorStreamer` of
 * `webformers/worker`, and those of 'webformers' (in-thread), over a remote tokenizer, any
 * `{ put, end }` streamer, and a remote tokenizer as `generate()`'s `tokenizer`. Text and ids are
 * checked against the Python goldens.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TextIteratorStreamer as InThreadTextIteratorStreamer, TextStreamer as InThreadTextStreamer, type TokenRows } from '../generation/index.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import { DisposedHandleError } from './errors.js';
import type { Tensor } from '../utils/tensor.js';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { generationCases, useWorkerOnHub } from '../../test/support/worker-on-hub.js';
import type { RemoteGenerativeModel, RemotePipeline, RemoteTokenizer } from './protocol.js';
import { TextIteratorStreamer, TextStreamer } from './remote-streamers.js';

const GPT2 = 'tiny-random-gpt2';
const T5 = 'tiny-random-t5';

interface PipelineCase { input: string; kwargs: { max_new_tokens: number; do_sample: boolean; return_full_text?: boolean }; output: { generated_text: string }[] }

const pipelineCases = readFixtureJSON<{ 'text-generation': PipelineCase[] }>(GPT2, 'goldens/pipeline.json')['text-generation'];
const full = pipelineCases.find((c) => c.kwargs.return_full_text === undefined)!;
const newOnly = pipelineCases.find((c) => c.input === full.input && c.kwargs.return_full_text === false)!;
const generationCase = (model: string, name: string) => generationCases(model).find((c) => c.name === name)!;
const greedy = generationCase(GPT2, 'prompt0_greedy');
const beam = generationCase(GPT2, 'prompt0_beam3');
const rows = (tensor: Tensor) => (tensor.tolist() as bigint[][]).map((row) => row.map(Number));

/**
 * The streamers a call decodes in the worker: those of webformers/worker, and the in-thread ones
 * of 'webformers' built over a remote tokenizer (typed for a synchronous decoder: users pass a
 * remote one by mistake, and the call copes, see in-thread-streamers.ts).
 */
const FLAVOURS = [
  { flavour: 'of webformers/worker', TextStreamer, TextIteratorStreamer },
  {
    flavour: "of 'webformers' (in-thread) over a remote tokenizer",
    TextStreamer: InThreadTextStreamer as unknown as typeof TextStreamer,
    TextIteratorStreamer: InThreadTextIteratorStreamer as unknown as typeof TextIteratorStreamer,
  },
];

const hub = useWorkerOnHub();
let generator: RemotePipeline<'text-generation'>;
let model: RemoteGenerativeModel;
let tokenizer: RemoteTokenizer;

beforeAll(async () => {
  const { client } = hub;
  [generator, model, tokenizer] = await Promise.all([
    client.pipeline('text-generation', GPT2),
    client.AutoModelForCausalLM.from_pretrained(GPT2, { dtype: 'fp32' }),
    client.AutoTokenizer.from_pretrained(GPT2),
  ]);
});

for (const { flavour, TextStreamer } of FLAVOURS) {
  describe(`TextStreamer ${flavour}`, () => {
    it('streams the new text of a pipeline call over generator.tokenizer, all of it before the call resolves', async () => {
      const chunks: string[] = [];
      const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: (text) => chunks.push(text) });
      const result = await generator(full.input, { ...full.kwargs, streamer });
      const atResolve = chunks.length;
      expect(result).toEqual(full.output);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(newOnly.output[0].generated_text);
      await new Promise((done) => setTimeout(done, 50));
      expect(chunks.length).toBe(atResolve);
    });

    it('streams the prompt and the new text of model.generate() over a tokenizer from AutoTokenizer', async () => {
      const chunks: string[] = [];
      const streamer = new TextStreamer(tokenizer, { callback_function: (text) => chunks.push(text) });
      const out = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer });
      expect(rows(out as Tensor)).toEqual(greedy.sequences);
      expect(chunks.join('')).toBe(greedy.decoded[0]);
    });

    it('streams a seq2seq model, without the decoder start token and special tokens', async () => {
      const c = generationCase(T5, 'source0_greedy');
      const [t5, t5Tokenizer] = await Promise.all([hub.client.AutoModelForSeq2SeqLM.from_pretrained(T5, { dtype: 'fp32' }), hub.client.AutoTokenizer.from_pretrained(T5)]);
      const chunks: string[] = [];
      const streamer = new TextStreamer(t5Tokenizer, { skip_prompt: true, skip_special_tokens: true, callback_function: (text) => chunks.push(text) });
      const out = await t5.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs, streamer });
      expect(rows(out as Tensor)).toEqual(c.sequences);
      expect(chunks.join('')).toBe(c.decoded[0]);
      await Promise.all([t5.dispose(), t5Tokenizer.dispose()]);
    });

    it('keeps working after the worker was lost: the pipeline and its tokenizer load again', async () => {
      hub.client.terminate();
      const chunks: string[] = [];
      const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: (text) => chunks.push(text) });
      expect(await generator(full.input, { ...full.kwargs, streamer })).toEqual(full.output);
      expect(chunks.join('')).toBe(newOnly.output[0].generated_text);
    });
  });
}

describe('TextStreamer of webformers/worker', () => {
  it("a pipeline's tokenizer loads again with its pipeline in a fresh worker, and is released with it", async () => {
    const own = await hub.client.pipeline('text-generation', GPT2);
    hub.client.terminate();
    // The first use after the loss: the pipeline (and so its tokenizer) loads in the new worker.
    expect(await own.tokenizer.decode(greedy.input_ids[0])).toBe(full.input);
    const live = hub.worker.host.liveObjects;
    await own.dispose();
    expect(hub.worker.host.liveObjects).toBe(live - 2);
    await expect(own.tokenizer.decode([0])).rejects.toBeInstanceOf(DisposedHandleError);
  });

  it('needs a tokenizer of the worker, and does not stream on the main thread itself', () => {
    const local = { decode: (ids: readonly number[]) => ids.join(' ') };
    expect(() => new TextStreamer(local as unknown as RemoteTokenizer)).toThrow(InvalidArgumentError);
    const streamer = new TextStreamer(tokenizer);
    expect(() => streamer.put()).toThrow(NotSupportedError);
    expect(() => streamer.end()).toThrow(NotSupportedError);
  });
});

for (const { flavour, TextIteratorStreamer } of FLAVOURS) {
  describe(`TextIteratorStreamer ${flavour}`, () => {
    it('is an async iterator of the generated text while model.generate() runs', async () => {
      const streamer = new TextIteratorStreamer(tokenizer);
      const running = model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer });
      const chunks: string[] = [];
      for await (const chunk of streamer) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(greedy.decoded[0]);
      expect(rows((await running) as Tensor)).toEqual(greedy.sequences);
    });

    it('ends when the call fails, and the call carries the error', async () => {
      const streamer = new TextIteratorStreamer(tokenizer);
      // Python refuses a streamer with beam search; so does generate() in the worker.
      const running = model.generate({ input_ids: beam.input_ids, attention_mask: beam.attention_mask, ...beam.generation_kwargs, streamer }).catch((e: unknown) => e);
      const chunks: string[] = [];
      for await (const chunk of streamer) chunks.push(chunk);
      expect(chunks).toEqual([]);
      expect(await running).toBeInstanceOf(InvalidArgumentError);
    });
  });
}

describe('other main-thread objects in a generate() call', () => {
  it('any { put, end } streamer gets the prompt, then one token per step, then end()', async () => {
    class Collector {
      readonly puts: number[][][] = [];
      ends = 0;
      put(tokens: TokenRows): void {
        this.puts.push(tokens.map((row) => [...row]));
      }
      end(): void {
        this.ends++;
      }
    }
    const streamer = new Collector();
    await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer });
    expect(streamer.puts[0]).toEqual(greedy.input_ids);
    expect(streamer.puts.slice(1).every((step) => step.length === 1 && step[0].length === 1)).toBe(true);
    expect(streamer.puts.flatMap((step) => step[0])).toEqual(greedy.sequences[0]);
    expect(streamer.ends).toBe(1);
  });

  it('a streamer that throws on the main thread fails the call with its error, as in-thread', async () => {
    const streamer = {
      put(): void {
        throw new RangeError('the page could not take this token');
      },
      end(): void {},
    };
    const error = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/could not take this token/);
  });

  it('a remote tokenizer serves stop_strings in the worker: generation stops where the string is complete', async () => {
    // The golden's 6th new token is the first " neighbouring"; Python stops right after it.
    const stop = ' neighbouring';
    const firstStop = greedy.sequences[0].indexOf(29272);
    expect(await tokenizer.decode([29272])).toBe(stop);
    const out = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, stop_strings: stop, tokenizer });
    expect(rows(out as Tensor)).toEqual([greedy.sequences[0].slice(0, firstStop + 1)]);
  });
});
