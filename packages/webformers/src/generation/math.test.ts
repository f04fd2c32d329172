import { describe, expect, it } from 'vitest';
import { argmax } from './math.js';

describe('argmax over a score row', () => {
  it('takes the first of tied maxima, as torch.argmax does', () => {
    expect(argmax(Float32Array.of(0.5, 2, -1, 2, 2))).toBe(1);
  });

  it('finds the maximum at either end and among -Infinity (banned) tokens', () => {
    expect(argmax(Float32Array.of(3, 1, 2))).toBe(0);
    expect(argmax(Float32Array.of(-Infinity, -Infinity, -5))).toBe(2);
    expect(argmax(Float32Array.of(-Infinity, -Infinity))).toBe(0);
  });
});
