import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { MissingKVCacheError } from '../models/kv-cache.js';
import { InvalidArgumentError } from '../utils/errors.js';
import type { Tensor } from '../utils/tensor.js';
import type { GenerateOutput } from './generate.js';
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, type GenerativeModel } from './generative-model.js';
import type { Streamer, TokenRows } from './types.js';

interface GenerationCase { name: string; input_ids: number[][]; attention_mask: number[][]; generation_kwargs: Record<string, unknown>; sequences: number[][] }

const rows = (t: Tensor) => (t.tolist() as bigint[][]).map((r) => r.map(Number));
const goldenCase = (model: string, name: string) =>
  readFixtureJSON<{ cases: GenerationCase[] }>(model, 'goldens/generation.json').cases.find((c) => c.name === name) as GenerationCase;

describe('GenerativeModel.generate() on tiny-random-gpt2', () => {
  let model: GenerativeModel;
  const greedy = goldenCase('tiny-random-gpt2', 'prompt0_greedy');
  const prompt = { input_ids: greedy.input_ids, attention_mask: greedy.attention_mask };

  beforeAll(async () => {
    await useLocalFixtureModels();
    model = await AutoModelForCausalLM.from_pretrained('tiny-random-gpt2');
  });
  afterAll(() => model?.dispose());

  it("takes its defaults from generation_config.json (eos 50256, Python's max_length 20)", () => {
    expect(model.generation_config).toMatchObject({ bos_token_id: 50256, eos_token_id: 50256 });
  });

  it('refuses a prompt that fills the context (n_positions 512)', async () => {
    const long = [new Array(512).fill(464)];
    await expect(model.generate({ input_ids: long, max_new_tokens: 1 })).rejects.toThrow(/prompt has 512 tokens but the model's context holds 512/);
  });

  it('refuses max_new_tokens <= 0 and num_beams < num_return_sequences', async () => {
    await expect(model.generate({ ...prompt, max_new_tokens: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.generate({ ...prompt, max_new_tokens: -3 })).rejects.toThrow(/max_new_tokens=-3 is invalid/);
    await expect(model.generate({ ...prompt, num_beams: 2, num_return_sequences: 3 })).rejects.toThrow(/num_return_sequences \(3\) is larger than num_beams \(2\)/);
  });

  it('samples reproducibly with a seed', async () => {
    const options = { ...prompt, do_sample: true, max_new_tokens: 12, seed: 1234 };
    const first = rows((await model.generate(options)) as Tensor);
    const again = rows((await model.generate(options)) as Tensor);
    const other = rows((await model.generate({ ...options, seed: 99 })) as Tensor);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first[0].slice(0, greedy.input_ids[0].length)).toEqual(greedy.input_ids[0]);
  });

  it('an abort ends the call after the current step with what was produced, and the next call starts clean', async () => {
    const controller = new AbortController();
    let puts = 0;
    const streamer: Streamer = { put: (_: TokenRows) => { if (++puts === 4) controller.abort(); }, end: () => {} };
    const partial = rows((await model.generate({ ...prompt, max_new_tokens: 20, signal: controller.signal, streamer })) as Tensor);
    const promptLength = greedy.input_ids[0].length;
    expect(partial[0].length).toBe(promptLength + 3);
    expect(partial[0]).toEqual(greedy.sequences[0].slice(0, promptLength + 3));
    const full = rows((await model.generate({ ...prompt, ...greedy.generation_kwargs })) as Tensor);
    expect(full).toEqual(greedy.sequences);
  });

  it('runs overlapping calls one after the other, each with its own cache', async () => {
    const beam = goldenCase('tiny-random-gpt2', 'prompt0_beam3');
    const [a, b] = await Promise.all([
      model.generate({ ...prompt, ...greedy.generation_kwargs }),
      model.generate({ input_ids: beam.input_ids, attention_mask: beam.attention_mask, ...beam.generation_kwargs }),
    ]);
    expect(rows(a as Tensor)).toEqual(greedy.sequences);
    expect(rows(b as Tensor)).toEqual(beam.sequences);
  });

  it('returns { sequences, scores } with return_dict_in_generate and output_scores', async () => {
    const out = (await model.generate({ ...prompt, ...greedy.generation_kwargs, return_dict_in_generate: true, output_scores: true })) as GenerateOutput;
    expect(rows(out.sequences)).toEqual(greedy.sequences);
    expect(out.scores).toHaveLength(20);
    expect(out.scores?.[0].dims).toEqual([1, 50257]);
  });

  it('takes the prompt as the tokenizer gives it: int64 tensors', async () => {
    const { int64 } = await import('../../test/support/model-goldens.js');
    const out = await model.generate({ input_ids: int64(greedy.input_ids), attention_mask: int64(greedy.attention_mask), max_new_tokens: 20 });
    expect(rows(out as Tensor)).toEqual(greedy.sequences);
  });
});

describe('loading models that generate', () => {
  beforeAll(useLocalFixtureModels);

  it('refuses a decoder export without a KV cache when loading', async () => {
    const config = { ...readFixtureJSON('tiny-random-bert-masked-lm', 'config.json'), model_type: 'gpt2' };
    await expect(AutoModelForCausalLM.from_pretrained('tiny-random-bert-masked-lm', { config })).rejects.toBeInstanceOf(MissingKVCacheError);
  });

  it('refuses a seq2seq head on a decoder-only model', async () => {
    await expect(AutoModelForSeq2SeqLM.from_pretrained('tiny-random-gpt2')).rejects.toThrow(/no seq2seq-lm head.*decoder-only/);
  });

  it("falls back to config.json's generation fields when generation_config.json is absent", async () => {
    const { generationDefaultsFromConfig } = await import('../models/generation-defaults.js');
    const config = readFixtureJSON('tiny-random-bart', 'config.json');
    expect(generationDefaultsFromConfig(config)).toMatchObject({ decoder_start_token_id: 2, forced_eos_token_id: 2, eos_token_id: 2, pad_token_id: 1 });
  });
});
