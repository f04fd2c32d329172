/**
 * Error-compensated rounding for y = x·W (GPTQ, Frantar et al. 2022). With H = 2·XᵀX over
 * calibration activations X, the output error of a rounded weight column Δ is ΔᵀHΔ; rounding
 * the K entries of a column one at a time, in order, and moving every not-yet-rounded entry to
 * cancel what the rounded one got wrong keeps that error small. The move is a row of the upper
 * Cholesky factor U of H⁻¹ (H⁻¹ = UᵀU): after rounding entry i from w to r, the entries j > i
 * take -(w - r) / U[i][i] · U[i][j] more. All arithmetic on H is float64: its inverse squares
 * the condition number that float32 would make visible at these sizes.
 */

/**
 * Compensation factors (compensationFactor) of the weights calibration saw, by
 * WeightedMatMul.cacheKey (a MatMul's weight: its initializer name). Weights without one
 * are rounded to nearest.
 */
export type WeightCalibration = ReadonlyMap<string, Float64Array>;

/**
 * H's diagonal gains this fraction of its mean. GPTQ's default is 0.01; ten times more here
 * because calibration inputs are drawn ids, not text: with 0.01 the weights fitted their
 * activations too well, e.g. bert-nli (sentence pairs, token type 1, which the probes never
 * use) fell from 0.998 to 0.985 on the goldens; with 0.1 no fixture is worse than rounding to
 * nearest by more than 1e-4 (README: Error-compensated 4-bit blocks).
 */
export const GPTQ_DAMPING = 0.1;

/** Adds xᵀx of the rows of `x` (row-major, k values a row) to `h` (k×k). */
export function accumulateGram(h: Float64Array, x: ArrayLike<number>, k: number): void {
  const row = new Float64Array(k);
  for (let start = 0; start + k <= x.length; start += k) {
    for (let i = 0; i < k; i++) row[i] = x[start + i];
    for (let i = 0; i < k; i++) {
      const xi = row[i];
      if (xi === 0) continue;
      for (let j = i; j < k; j++) h[i * k + j] += xi * row[j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) h[i * k + j] = h[j * k + i];
}

/** The lower Cholesky factor of a symmetric k×k matrix, or undefined when it is not positive definite. */
export function cholesky(a: Float64Array, k: number): Float64Array | undefined {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let diagonal = a[j * k + j];
    for (let p = 0; p < j; p++) diagonal -= l[j * k + p] * l[j * k + p];
    if (!(diagonal > 0)) return undefined;
    const pivot = Math.sqrt(diagonal);
    l[j * k + j] = pivot;
    for (let i = j + 1; i < k; i++) {
      let sum = a[i * k + j];
      for (let p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = sum / pivot;
    }
  }
  return l;
}

/**
 * The inverse of a lower triangular k×k matrix (lower triangular too), by forward
 * substitution a row at a time: each row is a combination of the rows above it, read
 * contiguously (a column at a time strides through memory, which dominates at K in thousands).
 */
export function lowerInverse(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    for (let p = 0; p < i; p++) {
      const a = l[row + p];
      if (a === 0) continue;
      for (let c = 0, from = p * k; c <= p; c++) inv[row + c] -= a * inv[from + c];
    }
    const pivot = l[row + i];
    for (let c = 0; c < i; c++) inv[row + c] /= pivot;
    inv[row + i] = 1 / pivot;
  }
  return inv;
}

/**
 * The row-major upper Cholesky factor U of (H + damping)⁻¹ that spreadRoundingError reads, for
 * a k×k H (left unchanged). An input that calibration never saw non-zero (H[i][i] = 0) gets
 * H[i][i] = 1: its entries are rounded as without calibration and their error goes nowhere.
 * GPTQ's reference code also zeroes such weights; we keep them, because calibration inputs are
 * a few dozen tokens, and a unit silent on all of them (a ReLU's) may fire on others.
 * Undefined when H is not positive definite even after damping (rounding without compensation
 * is then the safe answer).
 */
export function compensationFactor(hessian: Float64Array, k: number): Float64Array | undefined {
  const h = Float64Array.from(hessian);
  let trace = 0;
  for (let i = 0; i < k; i++) {
    if (h[i * k + i] === 0) h[i * k + i] = 1;
    trace += h[i * k + i];
  }
  const damping = (GPTQ_DAMPING * trace) / k;
  for (let i = 0; i < k; i++) h[i * k + i] += damping;
  // With J the order reversal, J·H·J = M·Mᵀ gives H = V·Vᵀ for the upper V = J·M·J, so
  // H⁻¹ = (V⁻¹)ᵀ·V⁻¹ and U = V⁻¹ = J·M⁻¹·J: one factorization and one triangular inverse
  // instead of inverting H and factoring the inverse (half the arithmetic).
  const reversed = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) reversed[i * k + j] = h[(k - 1 - i) * k + (k - 1 - j)];
  const m = cholesky(reversed, k);
  if (!m) return undefined;
  const inverse = lowerInverse(m, k);
  const upper = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) upper[i * k + j] = inverse[(k - 1 - i) * k + (k - 1 - j)];
  return upper;
}

/** After `column[index]` was rounded to `rounded`: moves the entries after it by the factor's row (see above). */
export function spreadRoundingError(column: Float64Array, index: number, rounded: number, factor: Float64Array, k: number): void {
  const row = index * k;
  const error = (column[index] - rounded) / factor[row + index];
  for (let j = index + 1; j < k; j++) column[j] -= error * factor[row + j];
}
