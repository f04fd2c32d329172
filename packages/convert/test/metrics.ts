/** Accuracy and size measures for a converted fixture. */
import { decodeModel } from '../src/onnx/codec.js';
import { inlinePayloadBytes } from '../src/onnx/external-data.js';
import { argmaxLastAxis, goldenArgmax, goldenData, type Comparison, type ModelFiles } from './fixture-runner.js';

/** What a variant is measured against: the golden values, or the fp32 run where the golden is a summary. */
function referenceValues(c: Comparison, reference: Comparison): ArrayLike<number> {
  return goldenData(c.golden) ?? reference.actual;
}

/**
 * Cosine over the non-padded positions; `reference` is used where the golden holds a summary.
 * One pass over the rows in place: logits of a 30k or 150k vocabulary are tens of millions of values.
 */
export function maskedCosine(c: Comparison, reference: Comparison): number {
  const expected = referenceValues(c, reference);
  const actual = c.actual;
  const rowSize = c.valid ? actual.length / c.valid.length : actual.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let row = 0; row * rowSize < actual.length; row++) {
    if (c.valid && !c.valid[row]) continue;
    for (let i = row * rowSize; i < (row + 1) * rowSize; i++) {
      dot += actual[i] * expected[i];
      na += actual[i] * actual[i];
      nb += expected[i] * expected[i];
    }
  }
  return dot / Math.sqrt(na * nb);
}

export interface ArgmaxAgreement {
  agree: number;
  total: number;
  /** Disagreements where the fp32 top-2 margin is under two float16 steps: ties at float16 resolution. */
  ties: number;
}

/** Two float16 steps at the magnitude of `x`. */
function float16Resolution(x: number): number {
  return 2 * 2 ** (Math.floor(Math.log2(Math.max(Math.abs(x), 2 ** -14))) - 10);
}

/** The two largest of values[start..end) (equal when the maximum occurs twice). */
function topTwo(values: ArrayLike<number>, start: number, end: number): [number, number] {
  let first = -Infinity;
  let second = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) second = v;
  }
  return [first, second];
}

/** Argmax over the last axis at non-padded positions, against the golden argmax. Only for logits. */
export function argmaxAgreement(c: Comparison, reference: Comparison): ArgmaxAgreement {
  const result = { agree: 0, total: 0, ties: 0 };
  if (!c.output.includes('logits')) return result;
  const last = c.shape[c.shape.length - 1];
  const actual = argmaxLastAxis(c.actual, last);
  const expected = goldenArgmax(c.golden, last);
  const expectedValues = referenceValues(c, reference);
  const rowValid = c.shape.length >= 3 && c.valid ? c.valid : undefined;
  actual.forEach((a, row) => {
    if (rowValid && !rowValid[row]) return;
    result.total++;
    if (a === expected[row]) {
      result.agree++;
      return;
    }
    const [first, second] = topTwo(expectedValues, row * last, (row + 1) * last);
    if (first - second < float16Resolution(first)) result.ties++;
  });
  return result;
}

export interface Sizes {
  fileBytes: number;
  weightBytes: number;
}

export function sizes(files: ModelFiles): Sizes {
  let fileBytes = 0;
  let weightBytes = 0;
  for (const bytes of Object.values(files)) {
    fileBytes += bytes.length;
    weightBytes += inlinePayloadBytes(decodeModel(bytes).graph);
  }
  return { fileBytes, weightBytes };
}
