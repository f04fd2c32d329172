/** Accuracy and size measures for a converted fixture. */
import { decodeModel } from '../src/onnx/codec.js';
import { inlinePayloadBytes } from '../src/onnx/external-data.js';
import { argmaxLastAxis, cosine, goldenArgmax, goldenData, type Comparison, type ModelFiles } from './fixture-runner.js';

function validRows(c: Comparison, values: ArrayLike<number>): number[] {
  if (!c.valid) return Array.from(values);
  const rowSize = values.length / c.valid.length;
  const out: number[] = [];
  c.valid.forEach((ok, row) => {
    if (ok) for (let i = row * rowSize; i < (row + 1) * rowSize; i++) out.push(values[i]);
  });
  return out;
}

/** Cosine over the non-padded positions; `reference` is used where the golden holds a summary. */
export function maskedCosine(c: Comparison, reference: Comparison): number {
  const golden = goldenData(c.golden) ?? Array.from(reference.actual);
  return cosine(validRows(c, c.actual), validRows(c, golden));
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

/** Argmax over the last axis at non-padded positions, against the golden argmax. Only for logits. */
export function argmaxAgreement(c: Comparison, reference: Comparison): ArgmaxAgreement {
  const result = { agree: 0, total: 0, ties: 0 };
  if (!c.output.includes('logits')) return result;
  const last = c.shape[c.shape.length - 1];
  const actual = argmaxLastAxis(c.actual, last);
  const expected = goldenArgmax(c.golden, last);
  const referenceValues = goldenData(c.golden) ?? Array.from(reference.actual);
  const rowValid = c.shape.length >= 3 && c.valid ? c.valid : undefined;
  actual.forEach((a, row) => {
    if (rowValid && !rowValid[row]) return;
    result.total++;
    if (a === expected[row]) {
      result.agree++;
      return;
    }
    const values = referenceValues.slice(row * last, (row + 1) * last).sort((x, y) => y - x);
    if (values[0] - values[1] < float16Resolution(values[0])) result.ties++;
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
