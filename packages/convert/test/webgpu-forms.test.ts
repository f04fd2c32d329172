/**
 * Weights whose MatMulNBits form onnxruntime-web's WebGPU kernel (1.30) cannot run get another
 * form: K not a whole number of blocks (the kernel reads the activation past the row) takes q8's
 * int8 form (K a multiple of 16 but not of 32 takes 16-value blocks instead); zero points that do
 * not fill 32-bit words (the kernel views them as u32) get zero columns up to a multiple of 4, and
 * a Slice takes them off. Only tiny models have such shapes.
 */
import * as ort from 'onnxruntime-web';
import { expect, test } from 'vitest';
import { decodeModel, encodeModel } from '../src/onnx/codec.js';
import { DataType } from '../src/onnx/types.js';
import { quantize } from '../src/index.js';
import { blockSizeOf, matMulProduct, relativeDifference, sixteenValueBlockGraphs } from './block-graphs.js';
import { makeTensor, singleNodeModel, valueInfo } from './model-builder.js';

const weightsOf = (k: number, n: number) => Float32Array.from({ length: k * n }, (_, i) => Math.sin(i * 0.37) * 0.1);

function q4Model(k: number, n: number) {
  const fp32 = singleNodeModel('MatMul', [valueInfo('a', DataType.FLOAT)], [valueInfo('y', DataType.FLOAT)], [], [
    makeTensor('w', DataType.FLOAT, [k, n], weightsOf(k, n)),
  ]);
  return decodeModel(quantize(fp32, { dtype: 'q4', strictDtype: true }));
}

const q4Graph = (k: number, n: number) => q4Model(k, n).graph;

test('a weight whose K is not whole blocks takes the int8 form, which onnxruntime (wasm) runs within int8 rounding', async () => {
  const [k, n] = [37, 32];
  const graph = q4Graph(k, n);
  expect(graph.node.map((node) => node.opType)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul']);
  expect(graph.initializer.find((t) => t.dims.join() === `${k},${n}`)?.dataType).toBe(DataType.INT8);
  const w = weightsOf(k, n);
  const a = Float32Array.from({ length: 2 * k }, (_, i) => Math.cos(i * 0.3));
  const session = await ort.InferenceSession.create(encodeModel(q4Model(k, n)));
  const y = (await session.run({ a: new ort.Tensor('float32', a, [2, k]) })).y.data as Float32Array;
  await session.release();
  expect(relativeDifference(y, matMulProduct(a, w, 2, k, n))).toBeLessThan(0.02);
});

test('K (or a table row) a multiple of 16 but not of 32 takes 16-value blocks, which onnxruntime (wasm) reads as the float reference', async () => {
  for (const graph of sixteenValueBlockGraphs()) {
    expect(blockSizeOf(graph), graph.name).toBe(16);
    const session = await ort.InferenceSession.create(Uint8Array.from(graph.model));
    const { name, type, dims, data } = graph.input;
    const feed = type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(data, BigInt), dims) : new ort.Tensor('float32', Float32Array.from(data), dims);
    const y = (await session.run({ [name]: feed })).y;
    await session.release();
    expect(y.dims, graph.name).toEqual(graph.expected.dims);
    expect(relativeDifference(y.data as Float32Array, graph.expected.data), graph.name).toBeLessThan(1e-5);
  }
});

test('a weight whose zero points would not fill 32-bit words gets zero columns up to a multiple of 4, sliced off after', () => {
  const ragged = q4Graph(32, 37);
  expect(ragged.node.map((n) => n.opType)).toEqual(['Cast', 'MatMulNBits', 'Slice']);
  expect(Number(ragged.node[1].attribute.find((a) => a.name === 'N')!.i)).toBe(40);
  expect(ragged.initializer.slice(0, 3).map((t) => t.dims)).toEqual([[40, 1, 16], [40], [40]]);
  const aligned = q4Graph(32, 36);
  expect(aligned.node.map((n) => n.opType)).toEqual(['Cast', 'MatMulNBits']);
  expect(aligned.initializer.map((t) => t.dims)).toEqual([[36, 1, 16], [36], [36]]);
});

test('the sliced product is what the unpadded columns compute (onnxruntime)', async () => {
  const k = 32;
  const wide = Float32Array.from({ length: k * 37 }, (_, i) => Math.sin(i * 0.37) * 0.1);
  // Columns are quantized one by one, so the first 36 columns alone need no padding and give the same blocks.
  const narrow = Float32Array.from({ length: k * 36 }, (_, i) => wide[Math.floor(i / 36) * 37 + (i % 36)]);
  const a = Float32Array.from({ length: 2 * k }, (_, i) => Math.cos(i * 0.3));
  const run = async (w: Float32Array, n: number) => {
    const fp32 = singleNodeModel('MatMul', [valueInfo('a', DataType.FLOAT)], [valueInfo('y', DataType.FLOAT)], [], [makeTensor('w', DataType.FLOAT, [k, n], w)]);
    const session = await ort.InferenceSession.create(quantize(fp32, { dtype: 'q4', strictDtype: true }));
    const y = (await session.run({ a: new ort.Tensor('float32', a, [2, k]) })).y;
    await session.release();
    return y;
  };
  const [padded, plain] = [await run(wide, 37), await run(narrow, 36)];
  expect(padded.dims).toEqual([2, 37]);
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 36; col++) {
      expect((padded.data as Float32Array)[row * 37 + col]).toBeCloseTo((plain.data as Float32Array)[row * 36 + col], 5);
    }
  }
});
