/** IEEE 754 binary16 <-> binary32, round-to-nearest-even like numpy's astype(float16). */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export const FLOAT16_MAX = 65504;

export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let out = mantissa >>> shift;
    if (rest > half || (rest === half && out & 1)) out++;
    return sign | out;
  }
  const rest = mantissa & 0x1fff;
  let out = (e << 10) | (mantissa >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && out & 1)) out++;
  return sign | out;
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The float16 nearest to `value`, as a number. */
export function roundToFloat16(value: number): number {
  return float16BitsToFloat32(float32ToFloat16Bits(value));
}

/** float16 bit patterns as float32 values. */
export function fromFloat16Array(bits: Uint16Array): Float32Array {
  return Float32Array.from(bits, float16BitsToFloat32);
}

/**
 * Weights and constants headed for float16. Finite values beyond the float16 range are
 * clamped to ±65504 rather than becoming infinities: exporters write attention masks as
 * float32's lowest value, and an infinite mask turns a fully masked row into NaN
 * (onnxconverter-common clamps the same way). Infinities stay infinite.
 */
export function toFloat16Array(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const clamped = v > FLOAT16_MAX && v !== Infinity ? FLOAT16_MAX : v < -FLOAT16_MAX && v !== -Infinity ? -FLOAT16_MAX : v;
    out[i] = float32ToFloat16Bits(clamped);
  }
  return out;
}
