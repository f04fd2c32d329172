import * as ort from 'onnxruntime-web';
import { expect, test } from 'vitest';
import { intAttribute } from '../src/graph/edit.js';
import { float16BitsToFloat32, float32ToFloat16Bits, toFloat16Array } from '../src/onnx/float16.js';
import { DataType } from '../src/onnx/types.js';
import { singleNodeModel, valueInfo } from './model-builder.js';

/** onnxruntime's Cast is the reference for float32 <-> float16. */
async function ortCast(from: 'float32' | 'float16', values: Float32Array | Uint16Array): Promise<Float32Array | Uint16Array> {
  const [inType, outType] = from === 'float32' ? [DataType.FLOAT, DataType.FLOAT16] : [DataType.FLOAT16, DataType.FLOAT];
  const model = singleNodeModel('Cast', [valueInfo('x', inType)], [valueInfo('y', outType)], [intAttribute('to', outType)]);
  const session = await ort.InferenceSession.create(model);
  const out = await session.run({ x: new ort.Tensor(from, values, [values.length]) });
  await session.release();
  return out.y.data as Float32Array | Uint16Array;
}

const SAMPLES = Float32Array.from([
  0, -0, 1, -1, 0.1, 1 / 3, 65504, 65519, 65520, -70000, 1e-8, 3e-8, 6e-8, 5.960464477539063e-8, 1e-5, 6.1e-5,
  1.00048828125, 1.0009765625, 1.00146484375, 2049, 2051, 3.4e38, -3.4e38, Infinity, -Infinity, 12345.678,
]);

test('float32 -> float16 rounds like onnxruntime Cast (ties to even, overflow to infinity, subnormals)', async () => {
  const expected = await ortCast('float32', SAMPLES);
  expect(Array.from(SAMPLES, float32ToFloat16Bits)).toEqual(Array.from(expected));
});

test('float16 -> float32 decodes every bit pattern like onnxruntime Cast', async () => {
  const all = Uint16Array.from({ length: 65536 }, (_, i) => i).filter((bits) => (bits & 0x7c00) !== 0x7c00 || (bits & 0x3ff) === 0);
  const expected = await ortCast('float16', all);
  expect(Array.from(all, float16BitsToFloat32)).toEqual(Array.from(expected));
});

test('weights headed for float16 clamp finite out-of-range values to ±65504 but keep infinities', () => {
  const out = toFloat16Array(Float32Array.from([-3.4e38, 1e6, Infinity, -Infinity]));
  expect(Array.from(out, float16BitsToFloat32)).toEqual([-65504, 65504, Infinity, -Infinity]);
});
