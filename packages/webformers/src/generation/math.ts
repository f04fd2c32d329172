/**
 * Float32 vector math for scores. Python runs these on float32 tensors; rounding each result with
 * `Math.fround` keeps our values (and so threshold comparisons such as top-p's) on the same grid.
 */

/** Softmax in float32; -inf entries get probability 0. */
export function softmax(scores: ArrayLike<number>): Float32Array {
  const out = new Float32Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i] / sum;
  return out;
}

/** log(softmax(x)) = x - max - log(sum(exp(x - max))), as torch computes it, in place. */
export function logSoftmaxInPlace(scores: Float32Array): void {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i] - max);
  const shift = max + Math.log(sum);
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i] - shift;
}

/**
 * Index of the largest value; the first one on ties, as `torch.argmax`. Greedy decoding calls it on
 * a whole vocabulary row every step, so the running maximum is kept in a local rather than re-read.
 */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  let bestValue = values[0];
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** Indices ordered by value (stable: equal values keep index order). */
export function argsort(values: ArrayLike<number>, descending: boolean): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  const sign = descending ? -1 : 1;
  return order.sort((a, b) => sign * (values[a] - values[b]) || a - b);
}

/** Running sum in float32, as `torch.cumsum` on a float32 tensor. */
export function cumsumF32(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    acc = Math.fround(acc + values[i]);
    out[i] = acc;
  }
  return out;
}
