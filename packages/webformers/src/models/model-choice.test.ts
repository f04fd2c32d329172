import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import type { ProgressInfo } from '../hub/index.js';
import { MODEL_FIXTURES, expectTensorMatchesGolden, int64, readFixtureJSON, useLocalFixtureModels, type GoldenTensor } from '../../test/support/model-goldens.js';
import { AutoModelForSequenceClassification } from './load-model.js';
import { PreTrainedModel } from './pretrained-model.js';

interface OutputCase { name: string; input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]; outputs: Record<string, GoldenTensor> }

const BERT = 'tiny-random-bert-sequence-classification';
const BART = 'tiny-random-bart';

describe("dtype: 'auto' and the reported choice (wasm, Node)", () => {
  let scratch: string;
  beforeAll(async () => {
    await useLocalFixtureModels();
    scratch = mkdtempSync(join(tmpdir(), 'webformers-model-choice-'));
    // The q8 graphs are copies of the fp32 ones, so a model loaded from them still gives the fp32 goldens.
    cpSync(join(MODEL_FIXTURES, BERT), join(scratch, 'bert-with-q8'), { recursive: true });
    cpSync(join(scratch, 'bert-with-q8/onnx/model.onnx'), join(scratch, 'bert-with-q8/onnx/model_quantized.onnx'));
    cpSync(join(MODEL_FIXTURES, BERT), join(scratch, 'bert-fp32-only'), { recursive: true });
    cpSync(join(MODEL_FIXTURES, BART), join(scratch, 'bart-q8-encoder'), { recursive: true });
    cpSync(join(scratch, 'bart-q8-encoder/onnx/encoder_model.onnx'), join(scratch, 'bart-q8-encoder/onnx/encoder_model_quantized.onnx'));
    env.localModelPath = `${scratch}/`;
  });
  afterAll(() => {
    env.localModelPath = MODEL_FIXTURES;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('picks q8 when the repository has it, reports it before the download, and the model runs', async () => {
    const events: ProgressInfo[] = [];
    const model = await AutoModelForSequenceClassification.from_pretrained('bert-with-q8', { device: 'auto', dtype: 'auto', progress_callback: (e) => events.push(e) });
    expect(model.choice).toEqual({ device: 'wasm', dtype: { model: 'q8' }, reason: expect.stringMatching(/no WebGPU adapter.*'auto' took the first of q8, int8, uint8, fp32 the repository has: model q8/) });
    expect([model.sessions.model.device, model.sessions.model.dtype]).toEqual(['wasm', 'q8']);
    const choiceAt = events.findIndex((e) => e.status === 'choice');
    expect(events[choiceAt]).toEqual({ status: 'choice', name: 'bert-with-q8', ...model.choice });
    const graphEvents = events.filter((e) => 'file' in e && e.file.startsWith('onnx/'));
    expect(new Set(graphEvents.map((e) => (e as { file: string }).file))).toEqual(new Set(['onnx/model_quantized.onnx']));
    expect(choiceAt).toBeLessThan(events.indexOf(graphEvents[0]));
    const c = readFixtureJSON<{ cases: OutputCase[] }>(BERT, 'goldens/outputs.json').cases[0];
    const out = await model({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) });
    expectTensorMatchesGolden(out.logits, c.outputs.logits, 1e-4, 'logits');
    await model.dispose();
  });

  it('picks fp32 when there is no 8-bit variant', async () => {
    const model = await AutoModelForSequenceClassification.from_pretrained('bert-fp32-only', { dtype: 'auto' });
    expect(model.choice?.dtype).toEqual({ model: 'fp32' });
    expect(model.sessions.model.dtype).toBe('fp32');
    await model.dispose();
  });

  it("keeps an explicit dtype, and the fp32 default when dtype is not 'auto' (device 'auto' included)", async () => {
    for (const options of [{ dtype: 'fp32' as const }, { device: 'auto' as const }, {}]) {
      const model = await AutoModelForSequenceClassification.from_pretrained('bert-with-q8', options);
      expect(model.choice?.dtype, JSON.stringify(options)).toEqual({ model: 'fp32' });
      expect(model.choice?.reason).toMatch(/; dtype as requested, else as config.json sets it, else fp32: model fp32\.$/);
      await model.dispose();
    }
  });

  it("settles 'auto' per session in a dtype map, leaving the other sessions as asked", async () => {
    const mixed = await PreTrainedModel.load('bart-q8-encoder', 'seq2seq-lm', { dtype: { encoder_model: 'auto', decoder_model_merged: 'fp32' } });
    expect(mixed.choice?.dtype).toEqual({ encoder_model: 'q8', decoder_model_merged: 'fp32' });
    expect(mixed.choice?.reason).toMatch(/encoder_model q8; other sessions as requested, else as config.json sets it, else fp32: decoder_model_merged fp32\./);
    expect([mixed.sessions.encoder_model.dtype, mixed.sessions.decoder_model_merged.dtype]).toEqual(['q8', 'fp32']);
    await mixed.dispose();
    const both = await PreTrainedModel.load('bart-q8-encoder', 'seq2seq-lm', { dtype: { encoder_model: 'auto', decoder_model_merged: 'auto' } });
    expect(both.choice?.dtype).toEqual({ encoder_model: 'q8', decoder_model_merged: 'fp32' });
    await both.dispose();
  });
});
