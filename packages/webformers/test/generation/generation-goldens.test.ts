/**
 * generate() against Python transformers 4.47 `generate()` goldens (test/fixtures/models/*\/goldens/
 * generation.json), token for token, with the fixture ONNX graphs run by a test-only StepModel
 * (./ort-step-model.ts). When src/models/ provides its StepModel adapter, point `loadModel` at it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generation/generate.js';
import type { Tensor } from '../../src/utils/tensor.js';
import { readFixtureJSON } from '../support/model-goldens.js';
import { OrtStepModel } from './ort-step-model.js';

interface GenerationCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  generation_kwargs: Record<string, unknown>;
  sequences: number[][];
}

const MODELS = ['tiny-random-gpt2', 'tiny-random-llama-qwen3tok', 'tiny-random-bart', 'tiny-random-t5'];

for (const name of MODELS) {
  describe(`${name}: generate() matches Python generate() token for token`, () => {
    const { cases } = readFixtureJSON<{ cases: GenerationCase[] }>(name, 'goldens/generation.json');
    const generationConfig = readFixtureJSON<Record<string, unknown>>(name, 'generation_config.json');
    let model: OrtStepModel;
    beforeAll(async () => { model = await OrtStepModel.load(name); });
    afterAll(() => model?.reset());

    it('has golden cases', () => expect(cases.length).toBeGreaterThan(0));

    for (const c of cases) {
      it(`${c.name} ${JSON.stringify(c.generation_kwargs)}`, async () => {
        const out = (await generate(model, { input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs }, generationConfig)) as Tensor;
        expect((out.tolist() as bigint[][]).map((row) => row.map(Number))).toEqual(c.sequences);
      });
    }
  });
}
