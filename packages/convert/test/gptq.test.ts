/**
 * Error-compensated rounding (variants/gptq.ts) through the block quantizer that writes
 * MatMulNBits data: the linear algebra, a 2×2 case computed by hand, identity H as plain
 * rounding, and the output error ‖X·(W − Ŵ)‖ against rounding to nearest on seeded data.
 */
import { describe, expect, test } from 'vitest';
import { generator } from '../src/accuracy/probes.js';
import { roundToFloat16 } from '../src/onnx/float16.js';
import { accumulateGram, cholesky, compensationFactor, GPTQ_DAMPING, lowerInverse } from '../src/variants/gptq.js';
import { quantizeColumnBlocks, type BlockQuantized } from '../src/variants/quant-math.js';

function gaussian(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function multiply(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let p = 0; p < k; p++) out[i * k + j] += a[i * k + p] * b[p * k + j];
  return out;
}

function transpose(a: Float64Array, k: number): Float64Array {
  return Float64Array.from({ length: k * k }, (_, i) => a[(i % k) * k + Math.floor(i / k)]);
}

function identity(k: number): Float64Array {
  return Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
}

/** Rows of k correlated values (a random mix of independent ones), as activations are. */
function activations(rows: number, k: number, next: () => number, mix: Float64Array): Float32Array {
  const x = new Float32Array(rows * k);
  const z = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) z[i] = next();
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += z[i] * mix[i * k + j];
      x[r * k + j] = sum;
    }
  }
  return x;
}

/** The values MatMulNBits reads back from 4-bit blocks with zero points: columns [n, k]. */
function dequantize(q: BlockQuantized, k: number, n: number, blockSize: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < k; i++) {
      const b = Math.floor(i / blockSize);
      const index = (c * q.blocksPerColumn + b) * blockSize + (i % blockSize);
      const nibble = (q.packed[index >> 1] >> ((index & 1) * 4)) & 0xf;
      const zpIndex = c * Math.ceil(q.blocksPerColumn / 2) * 2 + b;
      const zp = (q.zeroPoints![zpIndex >> 1] >> ((zpIndex & 1) * 4)) & 0xf;
      out[c * k + i] = (nibble - zp) * q.scales[c * q.blocksPerColumn + b];
    }
  }
  return out;
}

/** ‖X·(W − Ŵ)‖² for rows of x and columns of w / ŵ. */
function outputError(x: Float32Array, k: number, w: Float32Array, approx: Float64Array, n: number): number {
  let sum = 0;
  for (let r = 0; r < x.length / k; r++) {
    for (let c = 0; c < n; c++) {
      let d = 0;
      for (let i = 0; i < k; i++) d += x[r * k + i] * (w[c * k + i] - approx[c * k + i]);
      sum += d * d;
    }
  }
  return sum;
}

describe('linear algebra (float64)', () => {
  const k = 6;
  const next = gaussian(generator(7));
  const m = Float64Array.from({ length: k * k }, next);
  const spd = multiply(m, transpose(m, k), k).map((v, i) => v + (i % (k + 1) === 0 ? 0.5 : 0));

  test('cholesky gives L with L·Lᵀ = A, and refuses a matrix that is not positive definite', () => {
    const l = cholesky(spd, k)!;
    multiply(l, transpose(l, k), k).forEach((v, i) => expect(v).toBeCloseTo(spd[i], 12));
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) expect(l[i * k + j]).toBe(0);
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
  });

  test('lowerInverse inverts a lower triangular matrix', () => {
    const l = cholesky(spd, k)!;
    multiply(l, lowerInverse(l, k), k).forEach((v, i) => expect(v).toBeCloseTo(identity(k)[i], 12));
  });

  test('compensationFactor is the upper factor U of the damped H⁻¹ (UᵀU = (H + λ·mean(diag H)·I)⁻¹)', () => {
    const u = compensationFactor(spd, k)!;
    let trace = 0;
    for (let i = 0; i < k; i++) trace += spd[i * k + i];
    const damped = spd.map((v, i) => v + (i % (k + 1) === 0 ? (GPTQ_DAMPING * trace) / k : 0));
    for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect(u[i * k + j]).toBe(0);
    multiply(damped, multiply(transpose(u, k), u, k), k).forEach((v, i) => expect(v).toBeCloseTo(identity(k)[i], 10));
  });

  test('an input calibration never saw (H[i][i] = 0) spreads its error nowhere', () => {
    const h = Float64Array.from(spd);
    for (let j = 0; j < k; j++) h[2 * k + j] = h[j * k + 2] = 0;
    const u = compensationFactor(h, k)!;
    for (let j = 0; j < k; j++) if (j !== 2) expect(u[2 * k + j]).toBe(0);
    expect(u[2 * k + 2]).toBeGreaterThan(0);
  });

  test('accumulateGram adds xᵀx of each row', () => {
    const h = new Float64Array(4);
    accumulateGram(h, [1, 2, 3, -1], 2);
    expect([...h]).toEqual([1 + 9, 2 - 3, 2 - 3, 4 + 1]);
  });
});

describe('quantizeColumnBlocks with compensation', () => {
  test('identity H gives exactly the rounding to nearest', () => {
    const next = gaussian(generator(3));
    const columns = Float32Array.from({ length: 64 * 4 }, next);
    const plain = quantizeColumnBlocks(columns, 64, 4, 32, 4, false);
    const compensated = quantizeColumnBlocks(columns, 64, 4, 32, 4, false, compensationFactor(identity(64), 64));
    expect(compensated).toEqual(plain);
  });

  test('the second weight moves by (w0 − ŵ0)·H01/H11 before it is rounded (H worked by hand)', () => {
    // H = [[4, 2, 0], [2, 3, 0], [0, 0, 1]], damped by λ·mean(diag) = λ·8/3: the first input's
    // error reaches the second only, and the third (the block's largest value, 0.3, which
    // sets a step of 0.02) is left alone. One block: K padded to 16.
    const h = Float64Array.of(4, 2, 0, 2, 3, 0, 0, 0, 1);
    const h11 = 3 + (GPTQ_DAMPING * 8) / 3;
    const w = Float32Array.of(0.115, 0.151, 0.3);
    const plain = dequantize(quantizeColumnBlocks(w, 3, 1, 16, 4, false), 3, 1, 16);
    const q = quantizeColumnBlocks(w, 3, 1, 16, 4, false, compensationFactor(h, 3));
    const [w0, w1, w2] = dequantize(q, 3, 1, 16);
    const scale = q.scales[0];
    const zp = q.zeroPoints![0] & 0xf;
    // 0.02 as stored: the nearest float16 (0.0200043).
    expect(scale).toBe(roundToFloat16(0.02));
    // The block's range comes from the weights as given (nothing has moved when it starts).
    expect([w0, w2]).toEqual([plain[0], plain[2]]);
    const moved = Math.fround(0.151) + ((Math.fround(0.115) - w0) * 2) / h11;
    expect(w1).toBeCloseTo((Math.round(moved / scale + zp) - zp) * scale, 12);
    // 0.115 rounds up to 0.12; 0.151 alone would round to 0.16, moved (0.1477) it rounds to 0.14.
    expect(plain[1]).toBeCloseTo(8 * scale, 12);
    expect(w1).toBeCloseTo(7 * scale, 12);
  });

  test('the output error ‖X·(W − Ŵ)‖ is smaller than rounding to nearest, on the calibration rows and on new rows', () => {
    const k = 64;
    const n = 8;
    const next = gaussian(generator(11));
    const mix = Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0) + 0.3 * next());
    const calibration = activations(256, k, next, mix);
    const held = activations(256, k, next, mix);
    const columns = Float32Array.from({ length: k * n }, next);
    const h = new Float64Array(k * k);
    accumulateGram(h, calibration, k);
    const plain = dequantize(quantizeColumnBlocks(columns, k, n, 32, 4, false), k, n, 32);
    const compensated = dequantize(quantizeColumnBlocks(columns, k, n, 32, 4, false, compensationFactor(h, k)), k, n, 32);
    expect(outputError(calibration, k, columns, compensated, n)).toBeLessThan(outputError(calibration, k, columns, plain, n));
    expect(outputError(held, k, columns, compensated, n)).toBeLessThan(outputError(held, k, columns, plain, n));
  });
});
