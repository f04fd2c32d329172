import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { ModelVariantError } from '../backend/errors.js';
import { ortBackend } from '../backend/ort-backend.js';
import type { InferenceBackend } from '../backend/types.js';
import { MODEL_FIXTURES, expectTensorMatchesGolden, int64, readFixtureJSON, useLocalFixtureModels, type GoldenTensor } from '../../test/support/model-goldens.js';
import { AutoConfig } from './auto-config.js';
import { PreTrainedModel } from './pretrained-model.js';
import { AutoModel, AutoModelForMaskedLM, AutoModelForQuestionAnswering, AutoModelForSequenceClassification, AutoModelForTokenClassification } from './load-model.js';

interface OutputCase { name: string; input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]; outputs: Record<string, GoldenTensor> }
const firstCase = (model: string) => readFixtureJSON<{ cases: OutputCase[] }>(model, 'goldens/outputs.json').cases[0];

describe('from_pretrained', () => {
  let scratch: string;
  beforeAll(async () => {
    await useLocalFixtureModels();
    // A repository that only has the q8 file, and one whose config asks for q8 by default.
    scratch = mkdtempSync(join(tmpdir(), 'webformers-models-'));
    for (const name of ['only-q8', 'config-q8']) {
      cpSync(join(MODEL_FIXTURES, 'tiny-random-bert-sequence-classification'), join(scratch, name), { recursive: true });
      renameSync(join(scratch, name, 'onnx/model.onnx'), join(scratch, name, 'onnx/model_quantized.onnx'));
    }
    const config = readFixtureJSON('tiny-random-bert-sequence-classification', 'config.json');
    writeFileSync(join(scratch, 'config-q8', 'config.json'), JSON.stringify({ ...config, 'transformers.js_config': { dtype: 'q8' } }));
  });
  afterAll(() => {
    env.localModelPath = MODEL_FIXTURES;
    rmSync(scratch, { recursive: true, force: true });
  });

  const heads = [
    ['AutoModelForSequenceClassification', AutoModelForSequenceClassification, 'tiny-random-bert-sequence-classification'],
    ['AutoModelForTokenClassification', AutoModelForTokenClassification, 'tiny-random-bert-token-classification'],
    ['AutoModelForQuestionAnswering', AutoModelForQuestionAnswering, 'tiny-random-bert-question-answering'],
    ['AutoModelForMaskedLM', AutoModelForMaskedLM, 'tiny-random-bert-masked-lm'],
    ['AutoModel', AutoModel, 'tiny-random-bert-feature-extraction'],
    ['PreTrainedModel', PreTrainedModel, 'tiny-random-bert-nli'],
  ] as const;
  for (const [name, auto, model] of heads) {
    it(`${name} loads ${model} and returns the golden outputs`, async () => {
      const loaded = await auto.from_pretrained(model, { device: 'wasm', dtype: 'fp32' });
      const c = firstCase(model);
      const out = await loaded({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) });
      expect(Object.keys(out).sort()).toEqual(Object.keys(c.outputs).sort());
      for (const [k, golden] of Object.entries(c.outputs)) expectTensorMatchesGolden(out[k], golden, 1e-4, k);
      await loaded.dispose();
    });
  }

  it('starts the runtime of a named device before config.json is read', async () => {
    const events: string[] = [];
    const backend: InferenceBackend = Object.assign(Object.create(ortBackend) as InferenceBackend, { warmUp: (device: string) => void events.push(`warm up ${device}`) });
    const progress_callback = (info: { status: string; file?: string }) => void events.push(`${info.status} ${info.file ?? ''}`);
    const loaded = await AutoModel.from_pretrained('tiny-random-bert-feature-extraction', { device: 'wasm', dtype: 'fp32', backend, progress_callback });
    await loaded.dispose();
    expect(events[0]).toBe('warm up wasm');
    expect(events).toContain('initiate config.json');
  });

  it('AutoConfig reads config.json', async () => {
    const config = await AutoConfig.from_pretrained('tiny-random-bert-nli');
    expect(config.model_type).toBe('bert');
    expect(config.label2id).toEqual({ contradiction: 0, entailment: 2, neutral: 1 });
  });

  it('names the variants a repository has when the requested one is missing', async () => {
    env.localModelPath = `${scratch}/`;
    const error = await AutoModelForSequenceClassification.from_pretrained('only-q8', { dtype: 'fp32' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelVariantError);
    expect((error as ModelVariantError).available).toEqual(['q8']);
    expect((error as Error).message).toMatch(/no fp32 variant \(onnx\/model.onnx not found\). Variants found: q8.*dtype: 'q8'/);
    const model = await AutoModelForSequenceClassification.from_pretrained('only-q8', { dtype: 'q8' });
    await model.dispose();
  });

  it("takes the dtype from config.json's transformers.js_config when none is given", async () => {
    env.localModelPath = `${scratch}/`;
    const model = await AutoModelForSequenceClassification.from_pretrained('config-q8');
    expect(model.sessions.model.outputNames).toEqual(['logits']);
    await model.dispose();
  });

  it('rejects an unsupported model_type and a webgpu request without an adapter', async () => {
    env.localModelPath = MODEL_FIXTURES;
    const config = { ...readFixtureJSON('tiny-random-bert-sequence-classification', 'config.json'), model_type: 'xlnet' };
    await expect(AutoModel.from_pretrained('tiny-random-bert-sequence-classification', { config })).rejects.toThrow(/Model type "xlnet" is not supported.*bert, distilbert/);
    await expect(AutoModel.from_pretrained('tiny-random-bert-sequence-classification', { device: 'webgpu' })).rejects.toThrow(/device: 'wasm'/);
  });
});
