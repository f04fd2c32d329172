import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTensorMatchesGolden, int64, readFixtureJSON, useLocalFixtureModels, type GoldenTensor } from '../../test/support/model-goldens.js';
import { Tensor } from '../utils/tensor.js';
import { CausalLMStepModel } from './causal-lm-runner.js';
import { ModelHeadError } from './errors.js';
import { MissingKVCacheError } from './kv-cache.js';
import { PreTrainedModel } from './pretrained-model.js';

interface DecoderCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  past_sequence_length: number;
  outputs: { logits: GoldenTensor };
}

/** Python's logits at the last position only, as a `[rows, 1, vocab]` golden cannot be sliced from a summary. */
const lastOnly = (logits: Float32Array, rows: number, vocab: number) => new Tensor('float32', logits, [rows, 1, vocab]);

for (const name of ['tiny-random-gpt2', 'tiny-random-llama-qwen3tok']) {
  describe(`${name}: the decoder runner matches Python's logits`, () => {
    const cases = readFixtureJSON<{ cases: DecoderCase[] }>(name, 'goldens/outputs.json').cases;
    let model: PreTrainedModel;
    beforeAll(async () => {
      await useLocalFixtureModels();
      model = await PreTrainedModel.load(name, 'causal-lm', { device: 'wasm', dtype: 'fp32' });
    });
    afterAll(() => model?.dispose());

    for (const prefill of cases.filter((c) => c.past_sequence_length === 0)) {
      const decode = cases.find((c) => c.name === prefill.name.replace('_prefill', '_decode_step'));
      it(`model() on ${prefill.name}${decode ? ' and its cached decode step' : ''} (position ids from the mask, empty past)`, async () => {
        const first = await model({ input_ids: int64(prefill.input_ids), attention_mask: int64(prefill.attention_mask) });
        expectTensorMatchesGolden(first.logits, prefill.outputs.logits, 1e-4, prefill.name);
        if (!decode) return;
        const past = Object.fromEntries(Object.entries(first).filter(([k]) => k.startsWith('present.')).map(([k, v]) => [k.replace('present.', 'past_key_values.'), v]));
        expect(Object.keys(past).length).toBeGreaterThan(0);
        const next = await model({ input_ids: int64(decode.input_ids), attention_mask: int64(decode.attention_mask), ...past });
        expectTensorMatchesGolden(next.logits, decode.outputs.logits, 1e-4, decode.name);
      });
    }

    it('the step model gives the same last-position logits through its own cache, including a left-padded batch', async () => {
      const stepModel = new CausalLMStepModel(name, model.config, model.sessions.model, model.backend);
      for (const prefillName of ['prompt0_prefill', 'batch_left_padded_prefill']) {
        const prefill = cases.find((c) => c.name === prefillName) as DecoderCase;
        const decode = cases.find((c) => c.name === prefillName.replace('_prefill', '_decode_step')) as DecoderCase;
        const rows = prefill.input_ids.length;
        await stepModel.step({ inputIds: prefill.input_ids, attentionMask: prefill.attention_mask });
        const logits = await stepModel.step({ inputIds: decode.input_ids, attentionMask: decode.attention_mask });
        expectTensorMatchesGolden(lastOnly(logits, rows, stepModel.vocabSize), decode.outputs.logits, 1e-4, decode.name);
        stepModel.reset();
      }
    });
  });
}

describe('decoder checks', () => {
  beforeAll(useLocalFixtureModels);

  it('refuses a decoder graph without KV-cache inputs, naming the inputs it has', async () => {
    const config = { ...readFixtureJSON('tiny-random-bert-masked-lm', 'config.json'), model_type: 'gpt2' };
    const model = await PreTrainedModel.load('tiny-random-bert-masked-lm', 'causal-lm', { config });
    const error = (() => { try { return new CausalLMStepModel('tiny-random-bert-masked-lm', model.config, model.sessions.model, model.backend); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(MissingKVCacheError);
    expect((error as Error).message).toMatch(/onnx\/model has no KV-cache inputs \(it takes input_ids, attention_mask, token_type_ids\).*with-past/);
    await model.dispose();
  });

  it('refuses a causal-lm head on an encoder-only family', async () => {
    await expect(PreTrainedModel.load('tiny-random-bert-masked-lm', 'causal-lm')).rejects.toBeInstanceOf(ModelHeadError);
  });
});
