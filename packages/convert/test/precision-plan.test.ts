/**
 * The mixed-precision plan: without strictDtype, the weights whose quantization error costs
 * most per byte move up a level (q4: q8's int8 form; q8: float32) within
 * PRECISION_HEADROOM of the float32 weight bytes; with it, every weight keeps the variant's
 * precision. Accuracy against the goldens is checked in variants.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { decodeModel } from '../src/onnx/codec.js';
import { inlinePayloadBytes } from '../src/onnx/external-data.js';
import { allGraphs } from '../src/graph/walk.js';
import { PRECISION_HEADROOM, quantizeModel } from '../src/index.js';
import { Q4_WEIGHT_BAR } from '../src/variants/quantize-weights.js';
import { listFixtures, readFixtureFiles } from './fixture-runner.js';

const fixture = listFixtures().find((f) => f.name === 'tiny-random-gpt2')!;
const fp32 = readFixtureFiles(fixture)['onnx/model.onnx'];
const fp32Weights = inlinePayloadBytes(decodeModel(fp32).graph);

function nodeBits(bytes: Uint8Array): number[] {
  return allGraphs(decodeModel(bytes).graph)
    .flatMap((g) => g.node)
    .filter((n) => n.opType === 'MatMulNBits')
    .map((n) => Number(n.attribute.find((a) => a.name === 'bits')!.i));
}

describe('q4', () => {
  const strict = quantizeModel(fp32, { dtype: 'q4', strictDtype: true });
  const mixed = quantizeModel(fp32, { dtype: 'q4' });

  test('strictDtype keeps every MatMulNBits at 4 bits and reports nothing kept', () => {
    expect(strict.keptWeights).toEqual([]);
    expect(new Set(nodeBits(strict.model))).toEqual(new Set([4]));
  });

  test("the plan moves some weights to q8's int8 form (no 8-bit MatMulNBits: WebGPU refuses it) and names them", () => {
    expect(mixed.keptWeights.length).toBeGreaterThan(0);
    for (const k of mixed.keptWeights) expect(k).toMatchObject({ from: 4, to: 'int8' });
    expect(new Set(nodeBits(mixed.model))).toEqual(new Set([4]));
    const graphs = allGraphs(decodeModel(mixed.model).graph);
    const int8Weights = graphs.flatMap((g) => g.node).filter((n) => n.opType === 'MatMulInteger').map((n) => n.input[1]);
    for (const k of mixed.keptWeights) expect(int8Weights.some((w) => w.startsWith(k.weight))).toBe(true);
  });

  test('the extra bytes stay within the headroom', () => {
    const extra = inlinePayloadBytes(decodeModel(mixed.model).graph) - inlinePayloadBytes(decodeModel(strict.model).graph);
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(PRECISION_HEADROOM.q4 * fp32Weights);
  });
});

test('q4 whose 4-bit form is under 1/5 of float32 spends only what is left under the ceiling (GPT-2 with its tables quantized)', () => {
  const strictBytes = inlinePayloadBytes(decodeModel(quantizeModel(fp32, { dtype: 'q4', strictDtype: true, quantizeEmbeddings: true }).model).graph);
  const mixed = quantizeModel(fp32, { dtype: 'q4', quantizeEmbeddings: true });
  const mixedBytes = inlinePayloadBytes(decodeModel(mixed.model).graph);
  expect(strictBytes).toBeLessThan(Q4_WEIGHT_BAR.bar * fp32Weights);
  expect(mixed.keptWeights.length).toBeGreaterThan(0);
  expect(mixedBytes - strictBytes).toBeLessThan(PRECISION_HEADROOM.q4 * fp32Weights);
  expect(mixedBytes).toBeLessThan(Q4_WEIGHT_BAR.bar * fp32Weights);
});

test('q8: weights the plan keeps stay float32 MatMuls', () => {
  const bert = listFixtures().find((f) => f.name === 'tiny-random-bert-sequence-classification')!;
  const { model, keptWeights } = quantizeModel(readFixtureFiles(bert)['onnx/model.onnx'], { dtype: 'q8' });
  expect(keptWeights.length).toBeGreaterThan(0);
  const nodes = allGraphs(decodeModel(model).graph).flatMap((g) => g.node);
  for (const k of keptWeights) {
    expect(k).toMatchObject({ from: 8, to: 'float' });
    expect(nodes.some((n) => (n.opType === 'MatMul' || n.opType === 'Gemm') && n.input[1] === k.weight)).toBe(true);
  }
});
