import { describe, expect, it } from 'vitest';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { Tensor } from '../utils/tensor.js';
import { float16ToFloat32, lastPositionLogits, positionIds } from './step-io.js';

describe('step inputs and outputs', () => {
  it('reads IEEE half bits (normal, negative, subnormal, infinity, NaN)', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x0000);
    const values = float16ToFloat32(bits);
    expect(Array.from(values.subarray(0, 2))).toEqual([1, -2]);
    expect(values[2]).toBeCloseTo(1 / 3, 3);
    expect(values[3]).toBe(2 ** -24);
    expect([values[4], values[5]]).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(values[6])).toBe(true);
    expect(values[7]).toBe(0);
  });

  it('takes the last position of each row, also from float16 logits', async () => {
    const f32 = new Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), [2, 2, 2]);
    expect(Array.from(await lastPositionLogits(f32))).toEqual([3, 4, 7, 8]);
    const f16 = new Tensor('float16', Uint16Array.of(0x3c00, 0x3c00, 0x4000, 0xc000), [1, 2, 2]);
    expect(Array.from(await lastPositionLogits(f16))).toEqual([2, -2]);
  });

  it('reads one-position steps and one-row prefills without mixing rows', async () => {
    const step = new Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [3, 1, 2]);
    expect(Array.from(await lastPositionLogits(step))).toEqual([1, 2, 3, 4, 5, 6]);
    const prefill = new Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [1, 3, 2]);
    expect(Array.from(await lastPositionLogits(prefill))).toEqual([5, 6]);
  });

  it("numbers positions from the mask as Python does (outputs.json position_ids, prefill and cached steps)", () => {
    const cases = readFixtureJSON<{ cases: { name: string; input_ids: number[][]; attention_mask: number[][]; position_ids: number[][] }[] }>('tiny-random-gpt2', 'goldens/outputs.json').cases;
    for (const c of cases) {
      const got = (positionIds(c.attention_mask, c.input_ids[0].length).tolist() as bigint[][]).map((row) => row.map(Number));
      expect(got, c.name).toEqual(c.position_ids);
    }
  });
});
