/**
 * Character predicates with the meaning Rust `tokenizers` gives them (Rust's `char` methods and
 * the `unicode_categories` crate), on code points. JS regex property escapes carry the tables.
 */
import { COMBINING_CLASS_RUNS } from './unicode-ccc-table.js';

const WHITE_SPACE = /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const PUNCTUATION = /^\p{P}$/u;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const NUMERIC = /^\p{N}$/u;
const LETTER = /^\p{L}$/u;
const MARK_NONSPACING = /^\p{Mn}$/u;
const OTHER = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}]$/u;
const WORD = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;

/**
 * `property` as a code-point test. Text meets the same few hundred characters over and over, so each BMP
 * answer is kept in a table filled as characters are met: the regex runs once per character, not once per
 * occurrence (and no one-character string is built per test).
 */
function memoizedTest(property: RegExp): (cp: number) => boolean {
  /** 0: not asked yet, 1: no, 2: yes. */
  let bmp: Uint8Array | null = null;
  return (cp) => {
    if (cp > 0xffff) return property.test(String.fromCodePoint(cp));
    bmp ??= new Uint8Array(0x10000);
    let known = bmp[cp];
    if (known === 0) {
      known = property.test(String.fromCharCode(cp)) ? 2 : 1;
      bmp[cp] = known;
    }
    return known === 2;
  };
}

const hasWhiteSpace = memoizedTest(WHITE_SPACE);
const hasPunctuation = memoizedTest(PUNCTUATION);
const hasNumeric = memoizedTest(NUMERIC);
const hasLetter = memoizedTest(LETTER);
const hasMarkNonspacing = memoizedTest(MARK_NONSPACING);
const hasOther = memoizedTest(OTHER);
const hasWord = memoizedTest(WORD);

/** Rust `char::is_whitespace` (Unicode White_Space). */
export function isWhitespace(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return hasWhiteSpace(cp);
}

const ASCII_PUNCTUATION_TABLE = Uint8Array.from({ length: 0x80 }, (_, cp) => (ASCII_PUNCTUATION.test(String.fromCharCode(cp)) ? 1 : 0));

/** BERT's punctuation: every ASCII symbol or punctuation character, plus Unicode P*. */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 0x80) return ASCII_PUNCTUATION_TABLE[cp] === 1;
  return hasPunctuation(cp);
}

/** Rust `char::is_numeric` (Nd, Nl, No). */
export function isNumeric(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return hasNumeric(cp);
}

/** General category L (regex `\p{L}`). */
export function isLetter(cp: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  return hasLetter(cp);
}

/** General category Mn. */
export function isMarkNonspacing(cp: number): boolean {
  return cp >= 0x300 && hasMarkNonspacing(cp);
}

/**
 * `unicode_categories::is_other`: Cc, Cf, Cs or Co. Unassigned code points (Cn) are not
 * included there, so BERT's clean_text keeps them (the goldens confirm it).
 */
export function isOther(cp: number): boolean {
  if (cp < 0x80) return cp < 0x20 || cp === 0x7f;
  return hasOther(cp);
}

/** regex-syntax's Unicode word character, used by added tokens' `single_word`. */
export function isWordChar(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  return hasWord(cp);
}

/** Canonical combining class (0 for starters). */
export function combiningClass(cp: number): number {
  if (cp < 0x300) return 0;
  const runs = COMBINING_CLASS_RUNS;
  let lo = 0;
  let hi = runs.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = runs[mid * 3];
    if (cp < first) hi = mid - 1;
    else if (cp > first + runs[mid * 3 + 1]) lo = mid + 1;
    else return runs[mid * 3 + 2];
  }
  return 0;
}
