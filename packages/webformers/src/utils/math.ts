/**
 * Small numeric helpers the pipelines share. Everything works on plain arrays or typed-array
 * views and accumulates in float64, so a score computed here matches NumPy's float32 → float64
 * softmax of the same logits to well within the 1e-4 pipeline tolerance.
 */
import { InvalidArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

export type NumericArray = ArrayLike<number>;

/** Softmax over all values, shifted by the maximum for stability (as PyTorch and NumPy do). */
export function softmax(values: NumericArray): number[] {
  const max = maxOf(values);
  const exps = Array.from(values, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function logSoftmax(values: NumericArray): number[] {
  const max = maxOf(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  const logSum = Math.log(sum) + max;
  return Array.from(values, (v) => v - logSum);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Index of the largest value; the first one on ties, as `numpy.argmax`. */
export function argmax(values: NumericArray): number {
  if (values.length === 0) throw new InvalidArgumentError('argmax of an empty array.', { hint: 'Pass at least one value.' });
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function maxOf(values: NumericArray): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/**
 * The `k` largest values with their indices, largest first; equal values keep index order
 * (a stable sort), so ties rank the same way every run. `k` null or above the length means all.
 */
export function topK(values: NumericArray, k: number | null = null): { index: number; value: number }[] {
  const ranked = Array.from(values, (value, index) => ({ index, value })).sort((a, b) => b.value - a.value);
  return k === null ? ranked : ranked.slice(0, Math.max(0, k));
}

export function dot(a: NumericArray, b: NumericArray): number {
  if (a.length !== b.length) {
    throw new InvalidArgumentError(`Vectors differ in length (${a.length} vs ${b.length}).`, { hint: 'Compare embeddings of the same model.' });
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function l2Norm(values: NumericArray): number {
  return Math.sqrt(dot(values, values));
}

/** Cosine similarity of two vectors (the `sentence-similarity` helper of transformers.js). */
export function cos_sim(a: NumericArray, b: NumericArray): number {
  return dot(a, b) / (l2Norm(a) * l2Norm(b));
}

/** Row-wise L2 normalisation of a [rows, dim] tensor; an all-zero row stays zero (torch's eps clamp). */
export function normalizeRows(tensor: Tensor): Tensor {
  const [rows, dim] = requireFloatDims(tensor, 2, 'normalize');
  const data = tensor.data as Float32Array;
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * dim, (r + 1) * dim);
    const norm = Math.max(l2Norm(row), 1e-12);
    for (let i = 0; i < dim; i++) out[r * dim + i] = row[i] / norm;
  }
  return new Tensor('float32', out, [rows, dim]);
}

/**
 * Mean of the token vectors of a [batch, seq, dim] tensor, counting only positions whose
 * attention mask is 1 (padding must not shift the average: batches equal single inputs).
 */
export function meanPool(hidden: Tensor, attentionMask: Tensor): Tensor {
  const [batch, seq, dim] = requireFloatDims(hidden, 3, 'mean pooling');
  const data = hidden.data as Float32Array;
  const mask = attentionMask.data;
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    const sums = new Float64Array(dim);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (Number(mask[b * seq + s]) === 0) continue;
      count++;
      const base = (b * seq + s) * dim;
      for (let i = 0; i < dim; i++) sums[i] += data[base + i];
    }
    for (let i = 0; i < dim; i++) out[b * dim + i] = sums[i] / Math.max(count, 1e-9);
  }
  return new Tensor('float32', out, [batch, dim]);
}

/** The first token's vector of each row of a [batch, seq, dim] tensor (BERT's [CLS] pooling). */
export function clsPool(hidden: Tensor): Tensor {
  const [batch, seq, dim] = requireFloatDims(hidden, 3, 'cls pooling');
  const data = hidden.data as Float32Array;
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) out.set(data.subarray(b * seq * dim, b * seq * dim + dim), b * dim);
  return new Tensor('float32', out, [batch, dim]);
}

function requireFloatDims(tensor: Tensor, rank: number, what: string): number[] {
  if (tensor.type !== 'float32' || tensor.dims.length !== rank) {
    throw new InvalidArgumentError(
      `${what} needs a float32 tensor of rank ${rank}, got ${tensor.type} [${tensor.dims.join(', ')}].`,
      { hint: 'Pass the model output (e.g. last_hidden_state) as returned.' },
    );
  }
  return tensor.dims;
}
