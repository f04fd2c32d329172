import { describe, expect, it } from 'vitest';
import { createRandomSource, sampleToken } from './sampling.js';

describe('createRandomSource', () => {
  it('repeats its stream for the same seed and differs between seeds', () => {
    const a = createRandomSource(42);
    const b = createRandomSource(42);
    const c = createRandomSource(43);
    const first = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(first);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(first);
    expect(first.every((u) => u >= 0 && u < 1)).toBe(true);
  });
});

describe('sampleToken', () => {
  it('never draws a token whose score is -Infinity', () => {
    const random = createRandomSource(7);
    const scores = [-Infinity, 0.5, -Infinity, 0.1, -Infinity];
    for (let i = 0; i < 500; i++) expect([1, 3]).toContain(sampleToken(scores, random));
  });

  it('draws with the softmax probabilities', () => {
    const random = createRandomSource(123);
    const probs = [0.5, 0.3, 0.2];
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(probs.map(Math.log), random)]++;
    counts.forEach((c, i) => expect(Math.abs(c / n - probs[i])).toBeLessThan(0.02));
  });
});
