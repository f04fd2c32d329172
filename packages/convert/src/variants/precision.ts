/**
 * Mixed precision within a byte headroom, decided from the weights alone (no calibration
 * data), in the spirit of llama.cpp's Q4_K_M, which spends extra bits on the tensors that
 * matter most. Each weight is one stage of the signal path and adds its relative error
 * ||W - Q(W)|| / ||W|| to the output's, whatever its size; so the plan buys the largest
 * drop in squared relative error (counted once per node that reads the weight: a table tied
 * to the LM head counts twice) per extra byte, moving weights one level up (4-bit blocks to
 * q8's int8 form; int8 to float32) until the extra bytes reach the headroom. Not 8-bit
 * MatMulNBits blocks: onnxruntime-web's WebGPU MatMulNBits refuses bits = 8 (1.30), and a variant
 * must run on every backend. Small matrices and weights with outliers move first. `strict`
 * turns the plan off.
 */
import { quantizeColumnBlocks, type BlockBits, type BlockQuantized } from './quant-math.js';

/** A level up: q8's int8 form (per output column scales) or float32. */
export type UpLevel = 'float' | 'int8';
export type Precision = UpLevel | BlockBits;

export interface PrecisionChoice {
  bits: Precision;
  /** Values per block along K (4 and 8 bits). */
  blockSize: number;
}

/** A weight the plan stored at a higher precision than the variant's, and why. */
export interface KeptWeight {
  weight: string;
  from: BlockBits;
  to: UpLevel;
  /** Relative quantization error at `from`; undefined where the caller asked for the level (`keepWeights`). */
  error?: number;
}

/** A weight the variant quantizes: an initializer read by weighted MatMuls and/or Gathers. */
export interface WeightCandidate {
  name: string;
  /** Values per column (a table's row width) and columns (a table's rows). */
  k: number;
  n: number;
  /** The weight's columns one after another: [n, k] row-major. */
  columns: () => Float32Array;
  /** Nodes that read it (a tied table: its Gathers and the LM head). */
  readers: number;
  /** Read by a Gather: blocks must divide a row. */
  table: boolean;
  /** Also read by a MatMul (a table tied to the LM head). */
  matmul: boolean;
  /** WeightedMatMul.cacheKey that `columns` are the columns of (undefined: not reusable). */
  key?: string;
}

export interface PrecisionPlanOptions {
  /** The variant's level. */
  bits: BlockBits;
  blockSize: number;
  /** The level a weight moves up to. */
  up: UpLevel;
  /** Relative error at the `int8` level. */
  int8Error?: (columns: Float32Array, k: number, n: number) => number;
  /** Blocks along K must not be padded (block quantizers): blockSize is the largest that divides K. */
  wholeBlocks: boolean;
  symmetric: boolean;
  /** Every weight at the variant's level. */
  strict: boolean;
  /** Extra bytes the plan may spend, as a fraction of the candidates' float32 bytes. */
  headroom: number;
  /**
   * A size bar on the candidates' stored bytes that the plan must not push the variant over:
   * where the variant's level alone is under `bar`, the headroom shrinks to what is left under
   * `ceiling` (a little below the bar); where it is not, the bar is out of reach anyway and the
   * headroom applies as it is.
   */
  sizeBar?: { bar: number; ceiling: number };
  /** Levels the caller sets for some weights, by name (the accuracy-guided search); the headroom is spent on the others. */
  forced?: ReadonlyMap<string, UpLevel>;
  /** Relative error at the variant's level (defaults to the block quantizer's). */
  error?: (columns: Float32Array, k: number, n: number, bits: BlockBits, blockSize: number) => number;
  /** Stored bytes per value of a level for rows of k values (defaults to MatMulNBits blocks with float16 scales). */
  bytesPerValue?: (bits: Precision, blockSize: number, k: number) => number;
}

/**
 * Bytes of a block's or an int8 row's scale as stored: float16 (half-scales.ts; q4f16's float16
 * pass gives the same).
 */
export const SCALE_BYTES = 2;

/**
 * Largest power-of-two block, from `preferred` down to 16, that divides K (a table's row);
 * undefined if none. Smaller blocks cost bytes (a 16-value block's scale and zero point are
 * 0.16 bytes per value, against 0.08 for 32), but far less than the int8 or float32 a K of 16
 * or 48 would otherwise take: tiny models' hidden sizes.
 */
export function wholeBlock(k: number, preferred: number): number | undefined {
  for (let block = preferred; block >= 16; block /= 2) if (k % block === 0) return block;
  return undefined;
}

function squaredNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}

export class PrecisionPlan {
  private readonly choices = new Map<string, PrecisionChoice>();
  /** Blocks computed while measuring, by weight name, with the key of their orientation. */
  private readonly measured = new Map<string, { key?: string; q: BlockQuantized }>();
  readonly kept: KeptWeight[] = [];

  constructor(private readonly options: PrecisionPlanOptions, candidates: WeightCandidate[]) {
    const planned: { candidate: WeightCandidate; blockSize: number; error: number; gain: number; extra: number }[] = [];
    let left = 0;
    let levelBytes = 0;
    for (const c of candidates) {
      const values = c.k * c.n;
      left += values * 4 * options.headroom;
      const blockSize = options.wholeBlocks ? wholeBlock(c.k, options.blockSize) : options.blockSize;
      // A table whose rows are not whole blocks cannot be gathered from MatMulNBits data: it takes int8 rows, which a
      // tied LM head reads too in q8's form (or, without that form, one float32 copy serves both). A MatMul whose K is
      // not whole blocks takes q8's form (float32 where the model's opset has no DynamicQuantizeLinear), never padded
      // blocks: onnxruntime-web's WebGPU MatMulNBits (1.30) reads the activation up to the padded K, past the row's
      // end, and turns stale NaNs there into NaN outputs.
      if (blockSize === undefined) {
        const level = (c.table && !c.matmul) || options.up === 'int8' ? 'int8' : 'float';
        this.choices.set(c.name, { bits: options.forced?.get(c.name) ?? level, blockSize: options.blockSize });
        levelBytes += values * this.bytesPerValue(level, options.blockSize, c.k);
        continue;
      }
      this.choices.set(c.name, { bits: options.bits, blockSize });
      levelBytes += values * this.bytesPerValue(options.bits, blockSize, c.k);
      const forced = options.forced?.get(c.name);
      if (forced) {
        this.choices.set(c.name, { bits: forced, blockSize });
        this.kept.push({ weight: c.name, from: options.bits, to: forced });
        continue;
      }
      if (options.strict) continue;
      const error = this.error(c, blockSize);
      const upError = options.up === 'int8' ? options.int8Error!(c.columns(), c.k, c.n) : 0;
      const extra = values * (this.bytesPerValue(options.up, blockSize, c.k) - this.bytesPerValue(options.bits, blockSize, c.k));
      planned.push({ candidate: c, blockSize, error, gain: (error * error - upError * upError) * c.readers, extra });
    }
    if (options.sizeBar && levelBytes <= options.sizeBar.bar) left = Math.max(0, Math.min(left, options.sizeBar.ceiling - levelBytes));
    planned.sort((a, b) => b.gain / b.extra - a.gain / a.extra);
    for (const p of planned) {
      if (p.extra > left) continue;
      left -= p.extra;
      this.choices.set(p.candidate.name, { bits: options.up, blockSize: p.blockSize });
      this.measured.delete(p.candidate.name);
      this.kept.push({ weight: p.candidate.name, from: options.bits, to: options.up, error: p.error });
    }
  }

  private bytesPerValue(bits: Precision, blockSize: number, k: number): number {
    if (this.options.bytesPerValue) return this.options.bytesPerValue(bits, blockSize, k);
    if (bits === 'float') return 4;
    // int8 values, a float32 scale and an int8 zero point per column.
    if (bits === 'int8') return 1 + 5 / k;
    const zeroPoint = this.options.symmetric ? 0 : bits / 8;
    // K is padded to whole blocks.
    return ((bits / 8 + (SCALE_BYTES + zeroPoint) / blockSize) * Math.ceil(k / blockSize) * blockSize) / k;
  }

  private error(c: WeightCandidate, blockSize: number): number {
    const { bits, symmetric } = this.options;
    const columns = c.columns();
    if (this.options.error) return this.options.error(columns, c.k, c.n, bits, blockSize);
    const q = quantizeColumnBlocks(columns, c.k, c.n, blockSize, bits, symmetric);
    this.measured.set(c.name, { key: c.key, q });
    const norm = squaredNorm(columns);
    return norm > 0 ? Math.sqrt(q.squaredError / norm) : 0;
  }

  /**
   * The blocks measured for a weight kept at the variant's level, if they were measured in
   * the orientation `key` names; once (the store takes them instead of quantizing again).
   */
  takeMeasured(name: string, key: string): BlockQuantized | undefined {
    const measured = this.measured.get(name);
    if (!measured || measured.key !== key) return undefined;
    this.measured.delete(name);
    return measured.q;
  }

  /** Every weight's precision, by initializer name. */
  levels(): Map<string, Precision> {
    return new Map([...this.choices].map(([name, choice]) => [name, choice.bits]));
  }

  /** The precision of one weight, by initializer name (the same for every reader). */
  choose(name: string): PrecisionChoice {
    return this.choices.get(name) ?? { bits: this.options.bits, blockSize: this.options.blockSize };
  }
}
