import { describe, expect, it } from 'vitest';
import { Tensor } from './tensor.js';

describe('Tensor', () => {
  it('nests data by dims in tolist()', () => {
    const t = new Tensor('int64', [1, 2, 3, 4, 5, 6], [2, 3]);
    expect(t.data).toBeInstanceOf(BigInt64Array);
    expect(t.tolist()).toEqual([[1n, 2n, 3n], [4n, 5n, 6n]]);
  });
  it('refuses data that does not fit the dims', () => {
    expect(() => new Tensor('float32', [1, 2, 3], [2, 2])).toThrow(/3 values but dims \[2, 2\] need 4/);
  });
});
