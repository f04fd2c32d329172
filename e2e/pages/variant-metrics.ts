// How close a weight variant's outputs are to fp32, measured in the page: the outputs are tens of
// millions of floats (a 150k-word vocabulary at 64 positions), too many to hand to the spec. The
// measures are the ones packages/convert/test/metrics.ts defines for the Node runs (that module
// reads files through fixture-runner.ts, so a page cannot import it).
import { goldenNumber, type GoldenTensor } from '../../packages/webformers/test/support/golden-compare.js';

/** One output of one golden case, as a variant produced it. */
export interface OutputComparison {
  where: string;
  output: string;
  dims: readonly number[];
  actual: Float32Array;
  golden: GoldenTensor;
  /**
   * Per (batch, position) row: false where attention_mask is 0. Padded rows come from fully
   * masked attention, whose values only say how "-inf" was approximated; nothing reads them.
   */
  valid?: boolean[];
}

export interface ArgmaxAgreement {
  agree: number;
  total: number;
  /** Disagreements where the fp32 top-2 gap is under two float16 steps: ties at float16 resolution. */
  ties: number;
}

/** The golden's values, or the page's fp32 run where the golden holds only a summary. */
export function referenceValues(c: OutputComparison, fp32: OutputComparison): ArrayLike<number> {
  return 'data' in c.golden ? (c.golden.data as unknown[]).flat(Infinity).map(goldenNumber) : fp32.actual;
}

function rowWidth(c: OutputComparison): number {
  return c.valid ? c.actual.length / c.valid.length : c.actual.length;
}

/** Cosine between the variant and the reference over the rows that are not padding. */
export function maskedCosine(c: OutputComparison, expected: ArrayLike<number>): number {
  const width = rowWidth(c);
  let dot = 0;
  let actualSq = 0;
  let expectedSq = 0;
  for (let start = 0; start < c.actual.length; start += width) {
    if (c.valid && !c.valid[start / width]) continue;
    for (let i = start; i < start + width; i++) {
      dot += c.actual[i] * expected[i];
      actualSq += c.actual[i] * c.actual[i];
      expectedSq += expected[i] * expected[i];
    }
  }
  return dot / Math.sqrt(actualSq * expectedSq);
}

/** Index of the largest value in [start, end), and the largest and second largest values. */
function topTwo(values: ArrayLike<number>, start: number, end: number): { index: number; first: number; second: number } {
  let index = start;
  let first = -Infinity;
  let second = -Infinity;
  for (let i = start; i < end; i++) {
    if (values[i] > first) {
      second = first;
      first = values[i];
      index = i;
    } else if (values[i] > second) second = values[i];
  }
  return { index: index - start, first, second };
}

/** Two float16 steps at the magnitude of `x`. */
function float16Resolution(x: number): number {
  return 2 ** (Math.floor(Math.log2(Math.max(Math.abs(x), 2 ** -14))) - 9);
}

/** Last-axis argmax of a logits output against the reference's, at rows that are not padding. */
export function argmaxAgreement(c: OutputComparison, expected: ArrayLike<number>): ArgmaxAgreement {
  const result = { agree: 0, total: 0, ties: 0 };
  if (!c.output.includes('logits')) return result;
  const width = c.dims[c.dims.length - 1];
  // Rows are positions only for [batch, positions, vocabulary] logits; QA's [batch, positions] has one row per batch.
  const rowValid = c.dims.length >= 3 ? c.valid : undefined;
  for (let start = 0; start < c.actual.length; start += width) {
    if (rowValid && !rowValid[start / width]) continue;
    result.total++;
    const want = topTwo(expected, start, start + width);
    if (topTwo(c.actual, start, start + width).index === want.index) result.agree++;
    else if (want.first - want.second < float16Resolution(want.first)) result.ties++;
  }
  return result;
}
