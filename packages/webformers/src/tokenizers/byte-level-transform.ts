/**
 * Rewrite a piece's text as GPT-2 byte characters: each character becomes one alphabet character
 * per UTF-8 byte, all of them aligned with the character they came from (what Rust's ByteLevel
 * normalizer and pre-tokenizer do).
 */
import { BYTE_TO_CHAR, BYTE_TO_CODE_POINT } from './byte-level-alphabet.js';
import type { NormalizedString } from './normalized-string.js';

const REMAPPED_ASCII = /[\0-\x20\x7f]/g;
const remapAscii = (c: string): string => BYTE_TO_CHAR[c.charCodeAt(0)];

/** Reused output buffers (encoding is synchronous): alphabet units, and the source unit each came from. */
let units = new Uint16Array(1024);
let from = new Int32Array(1024);

/** Arguments per `String.fromCharCode` call, well under engines' argument-count limits. */
const CHUNK = 8192;

function unitsToString(length: number): string {
  if (length <= CHUNK) return String.fromCharCode.apply(null, units.subarray(0, length) as unknown as number[]);
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(i + CHUNK, length)) as unknown as number[]);
  }
  return out;
}

/** Bytes the alphabet moves: controls, space and DEL (printable ASCII stands for itself). */
const isRemappedAscii = (u: number): boolean => u <= 0x20 || u === 0x7f;

/**
 * The ASCII text's byte-level form, or null when `text` is not all ASCII. Split pieces are mostly a word with
 * one leading space, so that case is built without a regex pass.
 */
function asciiToByteLevel(text: string): string | null {
  let remapped = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u >= 0x80) return null;
    if (isRemappedAscii(u)) remapped++;
  }
  if (remapped === 0) return text;
  const first = text.charCodeAt(0);
  if (remapped === 1 && isRemappedAscii(first)) return BYTE_TO_CHAR[first] + text.slice(1);
  return text.replace(REMAPPED_ASCII, remapAscii);
}

/** Write `byte`'s alphabet unit, from source unit `at`, at output position `n`; returns the next position. */
function put(n: number, byte: number, at: number): number {
  units[n] = BYTE_TO_CODE_POINT[byte];
  from[n] = at;
  return n + 1;
}

export function toByteLevelChars(s: NormalizedString): void {
  const text = s.normalized;
  if (text.length === 0) return;
  const ascii = asciiToByteLevel(text);
  if (ascii !== null) {
    // One byte per character, and the alphabet keeps ASCII in the BMP: a unit-for-unit rewrite.
    if (ascii !== text) s.replaceUnitForUnit(ascii);
    return;
  }
  // At most three bytes per UTF-16 unit (a surrogate pair is two units for four bytes).
  if (units.length < text.length * 3) {
    units = new Uint16Array(text.length * 3);
    from = new Int32Array(text.length * 3);
  }
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if (cp < 0x80) {
      n = put(n, cp, i);
    } else if (cp < 0x800) {
      n = put(n, 0xc0 | (cp >> 6), i);
      n = put(n, 0x80 | (cp & 0x3f), i);
    } else if (cp < 0x10000) {
      n = put(n, 0xe0 | (cp >> 12), i);
      n = put(n, 0x80 | ((cp >> 6) & 0x3f), i);
      n = put(n, 0x80 | (cp & 0x3f), i);
    } else {
      n = put(n, 0xf0 | (cp >> 18), i);
      n = put(n, 0x80 | ((cp >> 12) & 0x3f), i);
      n = put(n, 0x80 | ((cp >> 6) & 0x3f), i);
      n = put(n, 0x80 | (cp & 0x3f), i);
    }
    i += cp > 0xffff ? 2 : 1;
  }
  s.rewriteUnits(unitsToString(n), from.subarray(0, n));
}
