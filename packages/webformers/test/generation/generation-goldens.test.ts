/**
 * model.generate() against Python transformers 4.47 `generate()` goldens (test/fixtures/models/*\/goldens/
 * generation.json), token for token, with the fixture models loaded by `from_pretrained` (their own
 * generation_config.json, wasm, fp32).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, type GenerativeModel } from '../../src/generation/generative-model.js';
import type { Tensor } from '../../src/utils/tensor.js';
import { readFixtureJSON, useLocalFixtureModels } from '../support/model-goldens.js';

interface GenerationCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  generation_kwargs: Record<string, unknown>;
  sequences: number[][];
}

const MODELS = [
  ['tiny-random-gpt2', AutoModelForCausalLM],
  ['tiny-random-llama-qwen3tok', AutoModelForCausalLM],
  ['tiny-random-bart', AutoModelForSeq2SeqLM],
  ['tiny-random-t5', AutoModelForSeq2SeqLM],
] as const;

for (const [name, auto] of MODELS) {
  describe(`${name}: generate() matches Python generate() token for token`, () => {
    const { cases } = readFixtureJSON<{ cases: GenerationCase[] }>(name, 'goldens/generation.json');
    let model: GenerativeModel;
    beforeAll(async () => {
      await useLocalFixtureModels();
      model = await auto.from_pretrained(name, { device: 'wasm', dtype: 'fp32' });
    });
    afterAll(() => model?.dispose());

    it('has golden cases', () => expect(cases.length).toBeGreaterThan(0));

    for (const c of cases) {
      it(`${c.name} ${JSON.stringify(c.generation_kwargs)}`, async () => {
        const out = (await model.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs })) as Tensor;
        expect((out.tolist() as bigint[][]).map((row) => row.map(Number))).toEqual(c.sequences);
      });
    }
  });
}
