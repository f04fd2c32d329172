import { describe, expect, it } from 'vitest';
import { expectAllClose, readFixtureJSON } from '../../test/support/model-goldens.js';
import { argmax, clsPool, cos_sim, logSoftmax, meanPool, normalizeRows, sigmoid, softmax, topK } from './math.js';
import { Tensor } from './tensor.js';

const SEQ = 'tiny-random-bert-sequence-classification';
const FE = 'tiny-random-bert-feature-extraction';
const logitsCase = readFixtureJSON(SEQ, 'goldens/outputs.json').cases.find((c: { name: string }) => c.name === 'hello');
const pipelineCase = readFixtureJSON(SEQ, 'goldens/pipeline.json')['text-classification'][0];
const feCase = readFixtureJSON(FE, 'goldens/pipeline.json')['feature-extraction'][0];
const feBatch = readFixtureJSON(FE, 'goldens/outputs.json').cases.find((c: { name: string }) => c.name === 'batch_padded');

describe('math', () => {
  it('softmax of golden logits gives the Python pipeline probabilities', () => {
    const [negative, positive] = softmax(logitsCase.outputs.logits.data[0]);
    expectAllClose([positive, negative], pipelineCase.output.map((o: { score: number }) => o.score), 1e-4, 'softmax');
    expectAllClose(logSoftmax(logitsCase.outputs.logits.data[0]).map(Math.exp), [negative, positive], 1e-12, 'logSoftmax');
  });

  it('is stable for large logits and sigmoid matches two-class softmax', () => {
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
    expect(sigmoid(2 - 0.5)).toBeCloseTo(softmax([0.5, 2])[1], 12);
  });

  it('argmax takes the first maximum and topK keeps index order among ties', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(topK([1, 3, 3, 2], 3)).toEqual([{ index: 1, value: 3 }, { index: 2, value: 3 }, { index: 3, value: 2 }]);
    expect(topK([1, 2])).toHaveLength(2);
    expect(() => argmax([])).toThrow(/empty/);
  });

  it('mean pooling with the attention mask and normalisation match the golden embeddings', () => {
    const hidden = feCase.output as { shape: number[]; data: number[][][] };
    const tensor = new Tensor('float32', Float32Array.from(hidden.data.flat(2)), hidden.shape);
    const mask = new Tensor('int64', new Array(hidden.shape[1]).fill(1n), [1, hidden.shape[1]]);
    const pooled = meanPool(tensor, mask);
    expectAllClose(pooled.data as Float32Array, feCase.mean_pooled, 1e-4, 'mean');
    expectAllClose(normalizeRows(pooled).data as Float32Array, feCase.mean_pooled_normalized, 1e-4, 'normalized');
    expectAllClose(clsPool(tensor).data as Float32Array, hidden.data[0][0], 1e-6, 'cls');
    expect(cos_sim(feCase.mean_pooled, feCase.mean_pooled)).toBeCloseTo(1, 6);
  });

  it('mean pooling ignores padded positions', () => {
    const hidden = feBatch.outputs.last_hidden_state as { shape: number[]; data: number[][][] };
    const tensor = new Tensor('float32', Float32Array.from(hidden.data.flat(2)), hidden.shape);
    const mask = new Tensor('int64', feBatch.attention_mask.flat().map(BigInt), [3, hidden.shape[1]]);
    const pooled = meanPool(tensor, mask);
    const kept = feBatch.attention_mask[0].filter((m: number) => m === 1).length;
    const manual = Array.from({ length: 32 }, (_, d) => hidden.data[0].slice(0, kept).reduce((s, row) => s + row[d], 0) / kept);
    expectAllClose((pooled.data as Float32Array).subarray(0, 32), manual, 1e-6, 'row 0');
  });

  it('rejects tensors of the wrong rank', () => {
    expect(() => meanPool(new Tensor('float32', [1, 2], [2]), new Tensor('int64', [1n, 1n], [1, 2]))).toThrow(/rank 3/);
  });
});
