import { describe, expect, it } from 'vitest';
import { Tensor, type DataType } from '../utils/tensor.js';
import { NotSupportedError } from '../utils/errors.js';
import { ortBackend } from './ort-backend.js';
import { rowGatherModel, sessionRowGather } from './row-gather.js';
import type { SessionValue } from './types.js';

/** `dims` filled with 0, 1, 2, ... so every element says where it came from. */
function counting(type: DataType, dims: number[]): Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = type === 'float16' ? Uint16Array.from({ length: size }, (_, i) => i) : Float32Array.from({ length: size }, (_, i) => i);
  return new Tensor(type, data, dims);
}

/** Row i of the answer must be row `indices[i]` of `source`, element for element. */
function expectRowsOf(out: SessionValue, source: Tensor, indices: number[]): void {
  const [, ...rest] = source.dims;
  const width = rest.reduce((a, b) => a * b, 1);
  expect(out.dims).toEqual([indices.length, ...rest]);
  const got = Array.from((out as Tensor).data as ArrayLike<number>);
  const want = indices.flatMap((r) => Array.from({ length: width }, (_, j) => r * width + j));
  expect(got).toEqual(want);
}

describe('row gather graph', () => {
  it('is an ONNX model onnxruntime reads back with the declared names, dtypes and symbolic dims', async () => {
    const session = await ortBackend.createSession(rowGatherModel('float16', 4), { device: 'wasm' });
    expect(session.inputs).toEqual([
      { name: 'data', dtype: 'float16', dims: ['rows_in', 'dim_1', 'dim_2', 'dim_3'] },
      { name: 'indices', dtype: 'int64', dims: ['rows_out'] },
    ]);
    expect(session.outputNames).toEqual(['rows']);
    await session.release();
  });

  for (const [type, dims] of [['float32', [3, 2, 4, 5]], ['float16', [3, 2, 4, 5]], ['float32', [2, 7, 3]]] as const) {
    it(`reorders, repeats and drops rows of ${type} [${dims.join(', ')}] (beam search's reorder)`, async () => {
      const gather = sessionRowGather(ortBackend, 'wasm');
      const source = counting(type, [...dims]);
      const indices = dims[0] === 3 ? [2, 2, 0, 1, 0, 0] : [1, 1];
      expectRowsOf(await gather(source, indices), source, indices);
    });
  }

  it('a session per dtype and rank is started once and reused', async () => {
    let started = 0;
    const counted = { ...ortBackend, createSession: (...args: Parameters<typeof ortBackend.createSession>) => { started++; return ortBackend.createSession(...args); } };
    const gather = sessionRowGather(counted, 'wasm');
    const source = counting('float32', [2, 1, 1, 3]);
    await Promise.all([gather(source, [1, 0]), gather(source, [0, 0])]);
    expectRowsOf(await gather(source, [1]), source, [1]);
    await gather(counting('float32', [2, 3]), [1, 0]);
    expect(started).toBe(2);
  });

  it('refuses a dtype ONNX graphs cannot declare here', () => {
    expect(() => rowGatherModel('string', 2)).toThrow(NotSupportedError);
  });
});
