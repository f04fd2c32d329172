/**
 * `AutoModelForCausalLM` / `AutoModelForSeq2SeqLM` of `webformers/worker` (Node, MessageChannel,
 * fixture models from the local Hub server): `generate()` runs in the worker and gives the Python
 * `generate()` goldens of test/fixtures/models/*\/goldens/generation.json, token for token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateOutput } from '../generation/index.js';
import { ModelHeadError } from '../models/index.js';
import { Tensor } from '../utils/tensor.js';
import { startInProcessWorker } from '../../test/support/in-process-worker.js';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { generationCases as casesOf, memoryRuntime, useWorkerOnHub } from '../../test/support/worker-on-hub.js';
import { WorkerLostError } from './errors.js';
import type { RemoteGenerativeModel } from './protocol.js';

const rows = (tensor: Tensor) => (tensor.tolist() as bigint[][]).map((row) => row.map(Number));
const int64 = (ids: number[][]) => new Tensor('int64', ids.flat().map(BigInt), [ids.length, ids[0].length]);

const hub = useWorkerOnHub();

const MODELS = [
  ['tiny-random-gpt2', 'AutoModelForCausalLM'],
  ['tiny-random-t5', 'AutoModelForSeq2SeqLM'],
] as const;

for (const [name, auto] of MODELS) {
  describe(`${name} through the worker: generate() matches Python generate()`, () => {
    const cases = casesOf(name);
    let model: RemoteGenerativeModel;
    beforeAll(async () => {
      model = await hub.client[auto].from_pretrained(name, { device: 'wasm', dtype: 'fp32' });
    });
    afterAll(() => model?.dispose());

    it('has golden cases, greedy and beam search among them', () => {
      expect(cases.some((c) => c.generation_kwargs.num_beams === undefined)).toBe(true);
      expect(cases.some((c) => Number(c.generation_kwargs.num_beams) > 1)).toBe(true);
    });

    for (const c of cases) {
      it(`${c.name} ${JSON.stringify(c.generation_kwargs)} (input_ids as a Tensor)`, async () => {
        const out = await model.generate({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), ...c.generation_kwargs });
        expect(out).toBeInstanceOf(Tensor);
        expect(rows(out as Tensor)).toEqual(c.sequences);
      });
    }
  });
}

describe('a generating model through the worker', () => {
  const GPT2 = 'tiny-random-gpt2';
  const cases = casesOf(GPT2);
  const greedy = cases.find((c) => c.name === 'prompt0_greedy')!;
  const beam = cases.find((c) => c.name === 'prompt0_beam3')!;
  const eosStop = cases.find((c) => c.name === 'prompt0_eos_stop')!;
  let model: RemoteGenerativeModel;
  beforeAll(async () => {
    model = await hub.client.AutoModelForCausalLM.from_pretrained(GPT2, { device: 'wasm', dtype: 'fp32' });
  });
  afterAll(() => model?.dispose());

  it('answers { sequences, scores, sequences_scores } with return_dict_in_generate, as tensors', async () => {
    const out = (await model.generate({ input_ids: beam.input_ids, attention_mask: beam.attention_mask, ...beam.generation_kwargs, return_dict_in_generate: true, output_scores: true })) as GenerateOutput;
    expect(out.sequences).toBeInstanceOf(Tensor);
    expect(rows(out.sequences)).toEqual(beam.sequences);
    const newTokens = beam.sequences[0].length - beam.input_ids[0].length;
    expect(out.scores).toHaveLength(newTokens);
    const numBeams = beam.generation_kwargs.num_beams as number;
    for (const step of out.scores!) {
      expect(step).toBeInstanceOf(Tensor);
      expect(step.dims).toEqual([numBeams, Number(model.config.vocab_size)]);
    }
    expect(out.sequences_scores!.dims).toEqual([beam.sequences.length]);
  });

  it('carries the device and dtype choice, and the generation config of generation_config.json', () => {
    expect(model.choice).toMatchObject({ device: 'wasm', dtype: { model: 'fp32' } });
    expect(typeof model.choice!.reason).toBe('string');
    expect(model.generation_config).toMatchObject(readFixtureJSON(GPT2, 'generation_config.json'));
  });

  it('a pipeline carries the facts of its model, the device and dtype choice included', async () => {
    const generator = await hub.client.pipeline('text-generation', GPT2, { device: 'wasm', dtype: 'fp32' });
    expect(generator.model).toMatchObject({ modelId: GPT2, head: 'causal-lm', choice: { device: 'wasm', dtype: { model: 'fp32' } } });
    expect(generator.model.config).toMatchObject(readFixtureJSON(GPT2, 'config.json'));
    expect(generator.tokenizer.eos_token_id).toBe(readFixtureJSON<{ eos_token_id: number }>(GPT2, 'generation_config.json').eos_token_id);
    await generator.dispose();
  });

  it("takes a remote tokenizer's output as transformers.js examples pass it, and gives the pipeline golden", async () => {
    type PipelineCase = { input: string; kwargs: Record<string, unknown>; output: { generated_text: string }[] };
    const c = readFixtureJSON<{ 'text-generation': PipelineCase[] }>(GPT2, 'goldens/pipeline.json')['text-generation'].find((g) => g.kwargs.return_full_text === undefined)!;
    const tokenizer = await hub.client.AutoTokenizer.from_pretrained(GPT2);
    const { return_full_text: _unused, ...kwargs } = c.kwargs;
    // The tokenizer answers with tensors; its declared type also allows plain arrays, which
    // GenerateRequest's ids type does not take (a typing gap of the in-thread API as well).
    const encoded = (await tokenizer(c.input)) as { input_ids: Tensor; attention_mask: Tensor };
    expect(encoded.input_ids).toBeInstanceOf(Tensor);
    const out = (await model.generate({ ...encoded, ...kwargs })) as Tensor;
    expect(await tokenizer.decode(rows(out)[0])).toBe(c.output[0].generated_text);
    await tokenizer.dispose();
  });

  it('applies edits to generation_config on the main thread to later calls', async () => {
    const saved = model.generation_config;
    model.generation_config = { ...saved, eos_token_id: eosStop.generation_kwargs.eos_token_id };
    try {
      const { eos_token_id: _fromConfig, ...kwargs } = eosStop.generation_kwargs;
      const out = await model.generate({ input_ids: eosStop.input_ids, attention_mask: eosStop.attention_mask, ...kwargs });
      expect(rows(out as Tensor)).toEqual(eosStop.sequences);
    } finally {
      model.generation_config = saved;
    }
  });

  it('an abort after streamed tokens answers with the golden prefix produced so far, and the next call gives the full golden', async () => {
    const controller = new AbortController();
    const received: number[][][] = [];
    const streamer = { put: (tokens: number[][]) => { if (received.push(tokens) === 4) controller.abort(); }, end: () => undefined };
    const promptLength = greedy.input_ids[0].length;
    const out = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer, signal: controller.signal });
    expect(out).toBeInstanceOf(Tensor);
    const [partial] = rows(out as Tensor);
    // The prompt, then one put per step; the worker learns of the abort a step or so later.
    expect(partial.length).toBeGreaterThanOrEqual(promptLength + 3);
    expect(partial.length).toBeLessThan(greedy.sequences[0].length);
    expect(partial).toEqual(greedy.sequences[0].slice(0, partial.length));
    expect(received.slice(1).flat(2)).toEqual(partial.slice(promptLength));
    const again = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs });
    expect(rows(again as Tensor)).toEqual(greedy.sequences);
  });

  it('an aborted text-generation pipeline call answers with the text produced so far, and the next call gives the golden', async () => {
    type PipelineCase = { input: string; kwargs: Record<string, unknown>; output: { generated_text: string }[] };
    const golden = readFixtureJSON<{ 'text-generation': PipelineCase[] }>(GPT2, 'goldens/pipeline.json')['text-generation'].find((g) => g.kwargs.return_full_text === undefined)!;
    const generator = await hub.client.pipeline('text-generation', GPT2, { device: 'wasm', dtype: 'fp32' });
    expect(await generator.tokenizer.decode(greedy.input_ids[0])).toBe(golden.input);
    const controller = new AbortController();
    let puts = 0;
    const streamer = { put: () => { if (++puts === 4) controller.abort(); }, end: () => undefined };
    const result = await generator(golden.input, { ...greedy.generation_kwargs, streamer, signal: controller.signal } as never);
    const newTokens = puts - 1;
    expect(newTokens).toBeGreaterThanOrEqual(3);
    expect(newTokens).toBeLessThan(Number(greedy.generation_kwargs.max_new_tokens));
    const expected = await generator.tokenizer.decode(greedy.sequences[0].slice(0, greedy.input_ids[0].length + newTokens), { skip_special_tokens: true });
    expect(result).toEqual([{ generated_text: expected }]);
    expect(await generator(golden.input, golden.kwargs as never)).toEqual(golden.output);
    await generator.dispose();
  });

  it('an aborted call whose worker is lost before it answers rejects with WorkerLostError', async () => {
    const controller = new AbortController();
    let puts = 0;
    const streamer = { put: () => { if (++puts === 2) { controller.abort(); hub.client.terminate(); } }, end: () => undefined };
    const error = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs, streamer, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
  });

  it('works again after the worker was lost (the model loads again in a fresh worker)', async () => {
    hub.client.terminate();
    const out = await model.generate({ input_ids: greedy.input_ids, attention_mask: greedy.attention_mask, ...greedy.generation_kwargs });
    expect(rows(out as Tensor)).toEqual(greedy.sequences);
  });

  it('the worker refuses generate() on a model loaded for another head, with a hint', async () => {
    const host = startInProcessWorker(memoryRuntime()).host;
    host.configure({ ...hub.client.env });
    const info = await host.loadModel('sequence-classification', 'tiny-random-bert-sequence-classification', {}, { callId: 1 });
    // Comlink turns a synchronous throw of an exposed method into a rejection, as here.
    const error = await Promise.resolve().then(() => host.generate(info.handle, { input_ids: greedy.input_ids }, { callId: 2 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ $wf: 'error', name: 'NotSupportedError', fields: { code: 'not_supported' } });
    expect((error as { message: string }).message).toMatch(/AutoModelForCausalLM/);
    await host.dispose(info.handle);
  });

  it('AutoModelForCausalLM refuses a checkpoint without a language-model head, with its error class', async () => {
    const error = await hub.client.AutoModelForCausalLM.from_pretrained('tiny-random-bert-sequence-classification').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelHeadError);
  });
});
