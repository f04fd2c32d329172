/**
 * Choosing the next token from processed scores. Greedy takes the argmax (first index on ties, like
 * `torch.argmax`). Sampling draws from softmax(scores) with our own seeded generator: torch's
 * Mersenne-Twister stream cannot be reproduced here, so sampled tokens are reproducible run to run
 * for a given seed, not equal to Python's.
 */
import { argmax, softmax } from './math.js';

export { argmax as greedyToken };

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state word, period 2^32, fast and
 * good enough to pick tokens; identical streams across engines because it only uses 32-bit integer
 * ops (`Math.imul`, shifts). Negative or > 32-bit seeds are folded into 32 bits.
 */
export function createRandomSource(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random 32-bit seed, used when the caller gives none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

/**
 * One draw from the categorical distribution softmax(scores), by inverse CDF. Tokens at -Infinity
 * have probability 0 and are never drawn.
 */
export function sampleToken(scores: ArrayLike<number>, random: RandomSource): number {
  const probs = softmax(scores);
  const u = random();
  let acc = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    acc += probs[i];
    last = i;
    if (u < acc) return i;
  }
  // Float rounding can leave the total a hair under 1: the draw then belongs to the last live token.
  return last === -1 ? argmax(scores) : last;
}
