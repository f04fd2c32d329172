/**
 * q4f16 keeps q8's int8 form for some weights (K not whole blocks, or moved up by the plan). Its
 * int32 accumulator and its scale do not fit float16: they must be rescaled in float32. onnxruntime's
 * CPU kernels compute float16 arithmetic in float32, so wasm cannot show the overflow (WebGPU with
 * 'shader-f16' did: e2e/variants.spec.ts); the graph's precision is what is checked here, and that
 * the form still computes the product.
 */
import * as ort from 'onnxruntime-web';
import { expect, test } from 'vitest';
import { quantize } from '../src/index.js';
import { decodeModel } from '../src/onnx/codec.js';
import { DataType } from '../src/onnx/types.js';
import { matMulProduct, relativeDifference } from './block-graphs.js';
import { makeTensor, singleNodeModel, valueInfo } from './model-builder.js';

// K = 37 is not whole blocks, so the weight takes the int8 form; the int32 sums reach about
// 37 · 255 · 127 ≈ 1.2e6, far past float16's 65504.
const [M, K, N] = [2, 37, 8];
const w = Float32Array.from({ length: K * N }, (_, i) => Math.sin(i * 0.37) * 0.05);
const a = Float32Array.from({ length: M * K }, (_, i) => 30 * Math.cos(i * 0.3));

test('q4f16: the int8 product is cast and rescaled in float32, and is as close to the exact product as q4', async () => {
  const fp32 = singleNodeModel('MatMul', [valueInfo('a', DataType.FLOAT)], [valueInfo('y', DataType.FLOAT)], [], [makeTensor('w', DataType.FLOAT, [K, N], w)]);
  const q4f16 = quantize(fp32, { dtype: 'q4f16' });
  const graph = decodeModel(q4f16).graph;
  const integer = graph.node.find((n) => n.opType === 'MatMulInteger')!;
  const cast = graph.node.find((n) => n.opType === 'Cast' && n.input[0] === integer.output[0])!;
  expect(Number(cast.attribute[0].i)).toBe(DataType.FLOAT);
  const rescale = graph.node.find((n) => n.opType === 'Mul' && n.input.includes(cast.output[0]))!;
  const scale = graph.node.find((n) => n.output[0] === rescale.input.find((x) => x !== cast.output[0]))!;
  // Both Muls read float32 (no Cast to float16 between them and the accumulator or the scales).
  const toFloat16 = (name: string) => graph.node.some((n) => n.output[0] === name && n.opType === 'Cast' && Number(n.attribute[0].i) === DataType.FLOAT16);
  for (const mul of [rescale, scale]) for (const input of mul.input) expect(toFloat16(input), input).toBe(false);

  const run = async (model: Uint8Array) => {
    const session = await ort.InferenceSession.create(model);
    const y = (await session.run({ a: new ort.Tensor('float32', a, [M, K]) })).y.data as Float32Array;
    await session.release();
    return y;
  };
  // q4 writes the same int8 form in float32.
  const [half, full] = [await run(q4f16), await run(quantize(fp32, { dtype: 'q4' }))];
  expect(half.every(Number.isFinite)).toBe(true);
  const exact = matMulProduct(a, w, M, K, N);
  // Activations rounded to float16 before DynamicQuantizeLinear may land on the other side of a
  // step, so q4f16 is held to q4's own error against the exact product, not to q4's outputs.
  expect(relativeDifference(half, exact)).toBeLessThan(1.25 * relativeDifference(full, exact));
});
