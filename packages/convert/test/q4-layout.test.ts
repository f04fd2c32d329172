/**
 * MatMulNBits layout: onnxruntime's own kernel reads the initializers we write; its output
 * must equal A x dequantize(B) with the dequantization the contrib-op schema defines
 * (value = (nibble - zero_point) * scale, blocks of block_size along K per column N, low
 * nibble first, zero point 8 when absent).
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, test } from 'vitest';
import { decodeModel } from '../src/onnx/codec.js';
import { fromFloat16Array, roundToFloat16 } from '../src/onnx/float16.js';
import { DataType, type TensorProto } from '../src/onnx/types.js';
import { quantize } from '../src/index.js';
import { makeTensor, singleNodeModel, valueInfo } from './model-builder.js';

// Whole blocks of 16 and 32, and zero points that fill 32-bit words (forms WebGPU runs; see webgpu-forms.test.ts).
const K = 96;
const N = 8;

function weights(): Float32Array {
  // Deterministic, signed, uneven magnitudes per column.
  return Float32Array.from({ length: K * N }, (_, i) => Math.sin(i * 0.37) * (1 + (i % N)) * 0.1);
}

function bytesOf(t: TensorProto): Uint8Array {
  return t.rawData!;
}

/** Scales are stored as float16 (cast back to float32 in the graph). */
function scalesOf(t: TensorProto): Float32Array {
  expect(t.dataType).toBe(DataType.FLOAT16);
  return fromFloat16Array(new Uint16Array(bytesOf(t).slice().buffer));
}

function dequantize(init: TensorProto[], blockSize: number): Float32Array {
  const [packed, scalesT, zeroPointsT] = init;
  const scales = scalesOf(scalesT);
  const zeroPoints = zeroPointsT ? bytesOf(zeroPointsT) : undefined;
  const blocks = Math.ceil(K / blockSize);
  const data = bytesOf(packed);
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const byte = data[(n * blocks + b) * (blockSize / 2) + Math.floor((k % blockSize) / 2)];
      const nibble = k % 2 === 0 ? byte & 0xf : byte >> 4;
      const zpByte = zeroPoints ? zeroPoints[n * Math.ceil(blocks / 2) + (b >> 1)] : 0x88;
      const zp = b % 2 === 0 ? zpByte & 0xf : zpByte >> 4;
      out[k * N + n] = (nibble - zp) * scales[n * blocks + b];
    }
  }
  return out;
}

/**
 * A value after rounding with its block's full range (MLAS: symmetric maps the largest magnitude
 * to -8), with the scale as stored (float16).
 */
function minMaxRounding(block: number[], v: number, symmetric: boolean): number {
  const round = (x: number) => Math.sign(x) * Math.round(Math.abs(x));
  const lo = Math.min(0, ...block);
  const hi = Math.max(0, ...block);
  const largest = Math.abs(hi) > Math.abs(lo) ? hi : lo;
  const scale = roundToFloat16(symmetric ? largest / -8 : (hi - lo) / 15);
  const zp = symmetric ? 8 : Math.max(0, Math.min(15, round(-lo / scale)));
  return (Math.max(0, Math.min(15, round(v / scale + zp))) - zp) * scale;
}

describe.each([
  { symmetric: false, blockSize: 32 },
  { symmetric: true, blockSize: 32 },
  { symmetric: false, blockSize: 16 },
])('MatMulNBits symmetric=$symmetric block=$blockSize', ({ symmetric, blockSize }) => {
  const w = weights();
  const fp32 = singleNodeModel('MatMul', [valueInfo('a', DataType.FLOAT)], [valueInfo('y', DataType.FLOAT)], [], [
    makeTensor('w', DataType.FLOAT, [K, N], w),
  ]);
  const q4 = quantize(fp32, { dtype: 'q4', symmetric, blockSize, strictDtype: true });
  const graph = decodeModel(q4).graph;

  test('writes one MatMulNBits with K, N, bits, block_size and onnxruntime shapes, its scales cast from float16', () => {
    expect(graph.node.map((n) => `${n.domain}.${n.opType}`)).toEqual(['.Cast', 'com.microsoft.MatMulNBits']);
    const [cast, matmul] = graph.node;
    expect([cast.input[0], Number(cast.attribute[0].i)]).toEqual([graph.initializer[1].name, DataType.FLOAT]);
    expect(matmul.input[2]).toBe(cast.output[0]);
    const attrs = Object.fromEntries(matmul.attribute.map((a) => [a.name, Number(a.i)]));
    expect(attrs).toEqual({ K, N, bits: 4, block_size: blockSize });
    const blocks = Math.ceil(K / blockSize);
    expect(graph.initializer.map((t) => t.dims)).toEqual(
      symmetric ? [[N, blocks, blockSize / 2], [N * blocks]] : [[N, blocks, blockSize / 2], [N * blocks], [N * Math.ceil(blocks / 2)]],
    );
  });

  // The reference is plain min/max rounding, MLAS's scale rule: the range search may clip a
  // block's extremes, but only where that lowers the block's squared error.
  test('each block rounds no worse than min/max rounding, and in-range values within half a step', () => {
    const deq = dequantize(graph.initializer, blockSize);
    const scales = scalesOf(graph.initializer[1]);
    const blocks = Math.ceil(K / blockSize);
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < blocks; b++) {
        const rows = Array.from({ length: Math.min(blockSize, K - b * blockSize) }, (_, i) => b * blockSize + i);
        const values = rows.map((k) => w[k * N + n]);
        const plain = values.reduce((sum, v) => sum + (minMaxRounding(values, v, symmetric) - v) ** 2, 0);
        const ours = rows.reduce((sum, k) => sum + (deq[k * N + n] - w[k * N + n]) ** 2, 0);
        expect(ours).toBeLessThanOrEqual(plain * (1 + 1e-4) + 1e-12);
        const ourStep = Math.abs(scales[n * blocks + b]);
        for (const k of rows) {
          const inRange = Math.abs(w[k * N + n]) <= ourStep * 7;
          if (inRange) expect(Math.abs(deq[k * N + n] - w[k * N + n])).toBeLessThanOrEqual(ourStep / 2 + 1e-6);
        }
      }
    }
  });

  test('onnxruntime computes A x dequantize(B) from what we wrote', async () => {
    const a = Float32Array.from({ length: 2 * K }, (_, i) => Math.cos(i * 0.11));
    const session = await ort.InferenceSession.create(q4);
    const y = (await session.run({ a: new ort.Tensor('float32', a, [2, K]) })).y.data as Float32Array;
    await session.release();
    const deq = dequantize(graph.initializer, blockSize);
    for (let m = 0; m < 2; m++) {
      for (let n = 0; n < N; n++) {
        let expected = 0;
        for (let k = 0; k < K; k++) expected += a[m * K + k] * deq[k * N + n];
        expect(y[m * N + n]).toBeCloseTo(expected, 4);
      }
    }
  });
});
