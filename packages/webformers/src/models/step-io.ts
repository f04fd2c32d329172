/**
 * What decoder steps share: token rows as int64 tensors, position ids from the mask, the last
 * position's logits read back as float32, and freeing the GPU outputs a step does not keep.
 */
import { isDeviceTensor, type SessionValue } from '../backend/index.js';
import { Tensor } from '../utils/tensor.js';

type Rows = readonly (readonly number[])[];

export function int64Rows(rows: Rows): Tensor {
  return new Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0]?.length ?? 0]);
}

export function boolScalar(value: boolean): Tensor {
  return new Tensor('bool', Uint8Array.of(value ? 1 : 0), [1]);
}

/**
 * `cumsum(mask) - 1` with padded positions set to 1, for the last `length` columns: Python's
 * `prepare_inputs_for_generation` rule (the 1 is arbitrary; those positions are masked anyway).
 */
export function positionIds(mask: Rows, length: number): Tensor {
  return int64Rows(mask.map((row) => {
    let seen = 0;
    const ids = row.map((m) => (m === 1 ? seen++ : 1));
    return ids.slice(ids.length - length);
  }));
}

/** `[rows, length, vocab]` logits → the last position of each row, `[rows * vocab]` float32. */
export async function lastPositionLogits(value: SessionValue): Promise<Float32Array> {
  const logits = isDeviceTensor(value) ? await value.download() : value;
  const [rows, length, vocab] = logits.dims;
  const data = logits.type === 'float16' ? float16ToFloat32(logits.data as Uint16Array) : (logits.data as Float32Array);
  // The output is this step's own copy, so a view is safe where the rows already lie back to back
  // (every decode step, and a one-row prefill): a vocabulary-sized copy per step is mostly GC work.
  if (length === 1) return data;
  if (rows === 1) return data.subarray((length - 1) * vocab, length * vocab);
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) out.set(data.subarray((r * length + length - 1) * vocab, (r * length + length) * vocab), r * vocab);
  return out;
}

/** IEEE 754 half bits → float32 values. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * 2 ** -14 * (fraction / 1024);
    else if (exponent === 0x1f) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}

/** Frees every GPU output of a run that was not kept. */
export function releaseUnused(outputs: Record<string, SessionValue>, kept: ReadonlySet<SessionValue>): void {
  for (const value of Object.values(outputs)) if (isDeviceTensor(value) && !kept.has(value)) value.dispose();
}

export function withoutUndefined<T>(inputs: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(inputs).filter((e): e is [string, T] => e[1] !== undefined));
}

/** A `[rows, width]` integer tensor as nested numbers. */
export function tensorRows(tensor: Tensor): number[][] {
  const [rows, width] = tensor.dims;
  const flat = Array.from(tensor.data as ArrayLike<number | bigint>, Number);
  return Array.from({ length: rows }, (_, r) => flat.slice(r * width, (r + 1) * width));
}
