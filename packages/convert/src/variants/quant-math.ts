/**
 * Weight quantization arithmetic, matching onnxruntime's tools: symmetric int8 as
 * `quantize_dynamic` computes it (quant_utils.compute_scale_zp with qmin/qmax = ±127), and
 * 4-bit blocks as MLAS's blockwise quantizer lays them out for MatMulNBits.
 */
import { transpose2d } from '../onnx/tensor-data.js';

/** numpy's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** C's roundf(): halves go away from zero (what MLAS uses). */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export interface Int8Weights {
  values: Int8Array;
  /** One scale (per tensor) or one per column. Zero points are all 0 (symmetric). */
  scales: Float32Array;
}

function int8Scale(absMax: number): number {
  const scale = absMax / 127;
  // quant_utils: a zero range would divide by zero; onnxruntime uses scale 1 there.
  return scale > 0 ? scale : 1;
}

/**
 * Symmetric int8 for a row-major [rows, cols] MatMul weight; per channel means one scale per
 * output column (the weight's last axis), as quantize_dynamic(per_channel=True) does for MatMul.
 */
export function quantizeInt8Symmetric(w: Float32Array, rows: number, cols: number, perChannel: boolean): Int8Weights {
  const scales = new Float32Array(perChannel ? cols : 1);
  const absMax = new Float32Array(scales.length);
  const channel = perChannel ? 1 : 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * cols; c < cols; c++, i++) absMax[c * channel] = Math.max(absMax[c * channel], Math.abs(w[i]));
  }
  for (let c = 0; c < scales.length; c++) scales[c] = int8Scale(absMax[c]);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * cols; c < cols; c++, i++) {
      values[i] = Math.max(-127, Math.min(127, roundHalfEven(w[i] / scales[c * channel])));
    }
  }
  return { values, scales };
}

/** Symmetric int8 per row (embedding tables: one scale per token). */
export function quantizeInt8Rows(w: Float32Array, rows: number, cols: number): Int8Weights {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let absMax = 0;
    for (let c = 0; c < cols; c++) absMax = Math.max(absMax, Math.abs(w[r * cols + c]));
    const scale = int8Scale(absMax);
    scales[r] = scale;
    for (let c = 0; c < cols; c++) {
      values[r * cols + c] = Math.max(-127, Math.min(127, roundHalfEven(w[r * cols + c] / scale)));
    }
  }
  return { values, scales };
}

export interface Int4Blocks {
  /** [N, blocksPerColumn, blockSize / 2]: column n's K values, two per byte, low nibble first. */
  packed: Uint8Array;
  /** [N * blocksPerColumn] */
  scales: Float32Array;
  /** [N * ceil(blocksPerColumn / 2)], two blocks per byte, low nibble first; absent when symmetric. */
  zeroPoints?: Uint8Array;
  blocksPerColumn: number;
}

/**
 * 4-bit blocks along K for a row-major [K, N] weight, the MatMulNBits layout that
 * onnxruntime's MatMul4BitsQuantizer writes: each block of `blockSize` values from one
 * column; K padded with zeros to whole blocks. Symmetric blocks scale by the value of largest
 * magnitude over -8 (so it maps to -8 exactly) with an implicit zero point 8; asymmetric ones
 * span [min(·,0), max(·,0)] over 0..15 with an explicit zero point.
 */
export function quantizeInt4Blocks(w: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean): Int4Blocks {
  return quantizeInt4Columns(transpose2d(w, k, n), k, n, blockSize, symmetric);
}

/**
 * The same blocks from the weight's columns laid out one after another ([N, K] row-major, as
 * an embedding table's rows already are): every block then reads contiguous memory, where
 * walking a [K, N] column strides a whole row per value (150k wide for a Qwen vocabulary).
 */
export function quantizeInt4Columns(columns: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean): Int4Blocks {
  const blocksPerColumn = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(n * blocksPerColumn * blob);
  const scales = new Float32Array(n * blocksPerColumn);
  const zpStride = Math.ceil(blocksPerColumn / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpStride);
  const column = new Float32Array(blocksPerColumn * blockSize);
  for (let col = 0; col < n; col++) {
    column.set(columns.subarray(col * k, (col + 1) * k));
    for (let b = 0; b < blocksPerColumn; b++) {
      const start = b * blockSize;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < start + blockSize; i++) {
        min = Math.min(min, column[i]);
        max = Math.max(max, column[i]);
      }
      let scale: number;
      let zp = 8;
      if (symmetric) {
        scale = Math.fround((Math.abs(max) > Math.abs(min) ? max : min) / -8);
      } else {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
        scale = Math.fround((max - min) / 15);
        const zpFloat = scale !== 0 ? -min / scale : min;
        zp = Math.max(0, Math.min(15, roundHalfAway(zpFloat)));
        zeroPoints![col * zpStride + (b >> 1)] |= b & 1 ? zp << 4 : zp;
      }
      scales[col * blocksPerColumn + b] = scale;
      const reciprocal = scale !== 0 ? Math.fround(1 / scale) : 0;
      const base = (col * blocksPerColumn + b) * blob;
      for (let i = 0; i < blockSize; i += 2) {
        const q0 = Math.max(0, Math.min(15, roundHalfAway(column[start + i] * reciprocal + zp)));
        const q1 = Math.max(0, Math.min(15, roundHalfAway(column[start + i + 1] * reciprocal + zp)));
        packed[base + i / 2] = q0 | (q1 << 4);
      }
    }
  }
  return { packed, scales, zeroPoints, blocksPerColumn };
}
