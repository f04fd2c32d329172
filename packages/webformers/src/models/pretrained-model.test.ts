import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortBackend } from '../backend/ort-backend.js';
import { Tensor } from '../utils/tensor.js';
import { expectTensorMatchesGolden, int64, readFixtureBytes, readFixtureJSON, type GoldenTensor } from '../../test/support/model-goldens.js';
import { validateConfig } from './config.js';
import { ModelHeadError } from './errors.js';
import { PreTrainedModel } from './pretrained-model.js';
import type { ModelHead } from './registry.js';

interface OutputCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  outputs: Record<string, GoldenTensor>;
}

const FIXTURES: [string, ModelHead][] = [
  ['tiny-random-bert-sequence-classification', 'sequence-classification'],
  ['tiny-random-bert-token-classification', 'token-classification'],
  ['tiny-random-bert-question-answering', 'question-answering'],
  ['tiny-random-bert-masked-lm', 'masked-lm'],
  ['tiny-random-bert-feature-extraction', 'feature-extraction'],
  ['tiny-random-bert-nli', 'sequence-classification'],
];

async function loadFixtureModel(name: string, head: ModelHead): Promise<PreTrainedModel> {
  const session = await ortBackend.createSession(readFixtureBytes(name, 'onnx/model.onnx'), { device: 'wasm' });
  return new PreTrainedModel(name, validateConfig(name, readFixtureJSON(name, 'config.json')), { model: session }, head);
}

for (const [name, head] of FIXTURES) {
  describe(`${name} matches Python transformers outputs`, () => {
    let model: PreTrainedModel;
    beforeAll(async () => { model = await loadFixtureModel(name, head); });
    afterAll(async () => { await model.dispose(); });

    const cases = readFixtureJSON<{ cases: OutputCase[] }>(name, 'goldens/outputs.json').cases;
    for (const c of cases) {
      it(c.name, async () => {
        const out = await model({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) });
        for (const [output, golden] of Object.entries(c.outputs)) expectTensorMatchesGolden(out[output], golden, 1e-4, `${c.name}.${output}`);
      });
    }
  });
}

describe('PreTrainedModel', () => {
  const name = 'tiny-random-bert-sequence-classification';
  const golden = readFixtureJSON<{ cases: OutputCase[] }>(name, 'goldens/outputs.json').cases.find((c) => c.name === 'hello')!;

  it('is callable and fills token_type_ids with zeros when the graph wants them and they are not given', async () => {
    const model = await loadFixtureModel(name, 'sequence-classification');
    const out = await model({ input_ids: int64(golden.input_ids), attention_mask: int64(golden.attention_mask) });
    expectTensorMatchesGolden(out.logits, golden.outputs.logits, 1e-4, 'logits');
    await model.dispose();
  });

  it('refuses to run after dispose()', async () => {
    const model = await loadFixtureModel(name, 'sequence-classification');
    await model.dispose();
    await expect(model({ input_ids: int64(golden.input_ids), attention_mask: int64(golden.attention_mask) })).rejects.toThrow(/released/);
  });

  it('rejects a checkpoint whose head does not fit (a sequence classifier loaded for token classification)', async () => {
    await expect(loadFixtureModel(name, 'token-classification')).rejects.toBeInstanceOf(ModelHeadError);
    await expect(loadFixtureModel(name, 'question-answering')).rejects.toThrow(/no question-answering head/);
  });

  it('names the input whose dtype or rank is wrong', async () => {
    const model = await loadFixtureModel(name, 'sequence-classification');
    const ids = int64(golden.input_ids);
    await expect(model({ input_ids: new Tensor('int32', Int32Array.from(ids.data as BigInt64Array, Number), ids.dims), attention_mask: int64(golden.attention_mask) }))
      .rejects.toThrow(/Input "input_ids": expected dtype int64, got int32/);
    await expect(model({ input_ids: ids, attention_mask: new Tensor('int64', ids.data as BigInt64Array, [ids.size]) }))
      .rejects.toThrow(/Input "attention_mask": expected rank 2/);
    await model.dispose();
  });
});
