/**
 * Weight quantization arithmetic, matching onnxruntime's tools: symmetric int8 as
 * `quantize_dynamic` computes it (quant_utils.compute_scale_zp with qmin/qmax = ±127), and
 * 4- and 8-bit blocks in the layout MLAS's blockwise quantizer writes for MatMulNBits.
 */
import { FLOAT16_MAX, roundToFloat16 } from '../onnx/float16.js';
import { spreadRoundingError } from './gptq.js';

/** Smallest normal float16 (2^-14): below it float16 keeps fewer than 11 significant bits. */
const FLOAT16_MIN_NORMAL = 2 ** -14;

/**
 * A scale rounded to the nearest float16 when that keeps float16's full precision (a normal
 * float16, or 0), so that the file can store it in 2 bytes (half-scales.ts) and the values are
 * quantized against the scale that will be read back. Others stay float32 and keep their tensor
 * in float32.
 */
export function halfScale(scale: number): number {
  const magnitude = Math.abs(scale);
  if (magnitude !== 0 && (magnitude < FLOAT16_MIN_NORMAL || magnitude > FLOAT16_MAX)) return Math.fround(scale);
  return roundToFloat16(scale);
}

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

/** ||w - approx|| / ||w||, with approx(i) the dequantized value of w[i]. */
export function relativeError(w: ArrayLike<number>, approx: (i: number) => number): number {
  let err = 0;
  let norm = 0;
  for (let i = 0; i < w.length; i++) {
    const d = approx(i) - w[i];
    err += d * d;
    norm += w[i] * w[i];
  }
  return norm > 0 ? Math.sqrt(err / norm) : 0;
}

/**
 * Relative error of symmetric int8 for a weight given as its columns ([n, k] row-major): one
 * scale for the weight, or one per column with `perChannel` (what quantizeInt8Symmetric writes).
 */
export function int8RelativeError(columns: Float32Array, k: number, n: number, perChannel: boolean): number {
  const absMax = new Float32Array(perChannel ? n : 1);
  for (let i = 0; i < columns.length; i++) {
    const c = perChannel ? Math.floor(i / k) : 0;
    absMax[c] = Math.max(absMax[c], Math.abs(columns[i]));
  }
  const scales = absMax.map(int8Scale);
  return relativeError(columns, (i) => {
    const scale = scales[perChannel ? Math.floor(i / k) : 0];
    return Math.max(-127, Math.min(127, roundHalfEven(columns[i] / scale))) * scale;
  });
}

/** Symmetric int8 per row (embedding tables: one scale per token, float16-exact where it can be). */
export function quantizeInt8Rows(w: Float32Array, rows: number, cols: number): Int8Weights {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let absMax = 0;
    for (let c = 0; c < cols; c++) absMax = Math.max(absMax, Math.abs(w[r * cols + c]));
    const scale = halfScale(int8Scale(absMax));
    scales[r] = scale;
    for (let c = 0; c < cols; c++) {
      values[r * cols + c] = Math.max(-127, Math.min(127, roundHalfEven(w[r * cols + c] / scale)));
    }
  }
  return { values, scales };
}

export type BlockBits = 4 | 8;

export interface BlockQuantized {
  bits: BlockBits;
  /** [N, blocksPerColumn, blockSize * bits / 8]: column n's K values; at 4 bits two per byte, low nibble first. */
  packed: Uint8Array;
  /** [N * blocksPerColumn] */
  scales: Float32Array;
  /** [N * ceil(blocksPerColumn * bits / 8)] (4 bits: two blocks per byte, low nibble first); absent when symmetric. */
  zeroPoints?: Uint8Array;
  blocksPerColumn: number;
  /** Sum of squared errors of the stored values against the weights given (||W - Q(W)||²). */
  squaredError: number;
}

/** Writes a level into a packed row: two 4-bit levels per byte (low nibble first), or one byte. */
function pack(out: Uint8Array, index: number, level: number, bits: BlockBits): void {
  if (bits === 8) out[index] = level;
  else out[index >> 1] |= index & 1 ? level << 4 : level;
}

/**
 * Ranges tried for each 4-bit block, as fractions of its [min, max]: the one with the
 * smallest squared rounding error wins (llama.cpp's quantizers and HQQ search scales the same
 * way). Clipping a block's extremes makes every other step finer; with 16 levels that usually
 * pays, and the full range (1) is always a candidate, so no block gets worse than min/max
 * rounding. With 256 levels clipping gains next to nothing, so 8-bit blocks use the full range.
 */
const RANGE_FRACTIONS: Record<BlockBits, number[]> = { 4: [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7], 8: [1] };

/** Scale (float16-exact where it can be) and zero point for a block whose values span [min, max]. */
function blockScale(min: number, max: number, bits: BlockBits, symmetric: boolean): { scale: number; zp: number } {
  const maxLevel = (1 << bits) - 1;
  const middle = 1 << (bits - 1);
  if (symmetric) return { scale: halfScale((Math.abs(max) > Math.abs(min) ? max : min) / -middle), zp: middle };
  const low = Math.min(min, 0);
  const scale = halfScale((Math.max(max, 0) - low) / maxLevel);
  const zpFloat = scale !== 0 ? -low / scale : low;
  return { scale, zp: Math.max(0, Math.min(maxLevel, roundHalfAway(zpFloat))) };
}

/**
 * The level of a value: MLAS rounds half away from zero; the shifted value is clamped at 0,
 * so only non-negative values matter, where Math.round does the same.
 */
function level(value: number, reciprocal: number, zp: number, maxLevel: number): number {
  const x = Math.round(value * reciprocal + zp);
  return x < 0 ? 0 : x > maxLevel ? maxLevel : x;
}

function roundingError(column: Float64Array, start: number, end: number, scale: number, zp: number, maxLevel: number): number {
  const reciprocal = scale !== 0 ? Math.fround(1 / scale) : 0;
  let error = 0;
  for (let i = start; i < end; i++) {
    const d = (level(column[i], reciprocal, zp, maxLevel) - zp) * scale - column[i];
    error += d * d;
  }
  return error;
}

/**
 * Blocks along K of a [K, N] weight given as its columns ([N, K] row-major, as an embedding
 * table's rows already are, so every block reads contiguous memory), in the MatMulNBits
 * layout that onnxruntime's MatMul4BitsQuantizer writes: each block of `blockSize` values from one column; K padded
 * with zeros to whole blocks. Symmetric blocks scale by a value of largest magnitude over
 * -2^(bits-1) with an implicit middle zero point; asymmetric ones span [min(·,0), max(·,0)]
 * over 0..2^bits-1 with an explicit zero point. Unlike onnxruntime's quantizer, the range is
 * searched (RANGE_FRACTIONS) rather than always the block's full min/max.
 *
 * With `compensation` (gptq.ts: compensationFactor of the weight's calibration H, k×k), each
 * value's rounding error is spread over the values after it in its column before they are
 * rounded, and each block's range is chosen from its values as they stand when it starts.
 */
export function quantizeColumnBlocks(
  columns: Float32Array,
  k: number,
  n: number,
  blockSize: number,
  bits: BlockBits,
  symmetric: boolean,
  compensation?: Float64Array,
): BlockQuantized {
  const maxLevel = (1 << bits) - 1;
  const middle = 1 << (bits - 1);
  const blocksPerColumn = Math.ceil(k / blockSize);
  const blockBytes = (blockSize * bits) / 8;
  const packed = new Uint8Array(n * blocksPerColumn * blockBytes);
  const scales = new Float32Array(n * blocksPerColumn);
  const zpStride = Math.ceil((blocksPerColumn * bits) / 8);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpStride);
  // float64: compensation accumulates many small moves into each value.
  const column = new Float64Array(blocksPerColumn * blockSize);
  let squaredError = 0;
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
      let scale = 0;
      let zp = middle;
      let best = Infinity;
      for (const fraction of RANGE_FRACTIONS[bits]) {
        const candidate = blockScale(min * fraction, max * fraction, bits, symmetric);
        const error = roundingError(column, start, start + blockSize, candidate.scale, candidate.zp, maxLevel);
        if (error < best) {
          best = error;
          scale = candidate.scale;
          zp = candidate.zp;
        }
      }
      if (zeroPoints) pack(zeroPoints, col * zpStride * (8 / bits) + b, zp, bits);
      scales[col * blocksPerColumn + b] = scale;
      const reciprocal = scale !== 0 ? Math.fround(1 / scale) : 0;
      const base = (col * blocksPerColumn + b) * blockSize;
      // Without compensation the values are the weights, so the search's `best` is already the block's error.
      let blockError = compensation ? 0 : best;
      for (let i = start; i < start + blockSize; i++) {
        const stored = level(column[i], reciprocal, zp, maxLevel);
        pack(packed, base + i - start, stored, bits);
        if (!compensation) continue;
        const rounded = (stored - zp) * scale;
        const d = rounded - (i < k ? columns[col * k + i] : 0);
        blockError += d * d;
        if (i < k) spreadRoundingError(column, i, rounded, compensation, k);
      }
      squaredError += blockError;
    }
  }
  return { bits, packed, scales, zeroPoints, blocksPerColumn, squaredError };
}
