/**
 * Hand-written scanners for the split regexes that byte-level BPE files carry most: GPT-2's, and the
 * cl100k-style one of Llama 3 (digits in runs of up to three) and Qwen 2 / 3 (single digits). A scanner
 * is used only when tokenizer.json's pattern string is one of these exactly; anything else goes through
 * the translated regex. They cut the same pieces as that regex (split-scanners.test.ts compares the two
 * over the conformance corpus and edge cases) without running a regex engine per piece.
 *
 * Every character starts a match of these regexes (letters, numbers, whitespace and everything else each
 * have an alternative, and none matches empty), so the matches tile the text: a scanner only has to say
 * where the match starting at a given index ends.
 */
import type { Pattern, PatternMatch } from './pattern.js';
import { isLetter, isNumeric, isWhitespace } from './unicode-props.js';

/** GPT-2's split regex, in the Oniguruma form Rust compiles. */
export const GPT2_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
/** Llama 3's (OpenAI cl100k's) split regex as its tokenizer.json writes it. */
export const LLAMA3_SPLIT_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/** Qwen 2 / 3's: Llama 3's with one digit per piece. */
export const QWEN2_SPLIT_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The classes these regexes tell apart: `\p{L}`, `\p{N}`, `\s` (Unicode White_Space) and the rest. */
const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;

/** Class of each BMP character, filled as characters are met (0: not asked yet). */
let bmpClasses: Uint8Array | null = null;

function classify(cp: number): number {
  if (isLetter(cp)) return LETTER;
  if (isNumeric(cp)) return NUMBER;
  return isWhitespace(cp) ? SPACE : OTHER;
}

function classOf(cp: number): number {
  if (cp > 0xffff) return classify(cp);
  bmpClasses ??= new Uint8Array(0x10000);
  let known = bmpClasses[cp];
  if (known === 0) {
    known = classify(cp);
    bmpClasses[cp] = known;
  }
  return known;
}

/** Class of the character at `i` (a lone surrogate is a character of class OTHER, as in a `u` regex). */
function classAt(text: string, i: number): number {
  return classOf(text.codePointAt(i)!);
}

/** End of the run of characters of class `cls` that starts at `i`. */
function runEnd(text: string, i: number, cls: number): number {
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (classOf(cp) !== cls) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** End of at most `max` characters of class NUMBER from `i` (the first is known to be one). */
function digitsEnd(text: string, i: number, max: number): number {
  for (let n = 0; n < max && i < text.length; n++) {
    const cp = text.codePointAt(i)!;
    if (classOf(cp) !== NUMBER) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** End of the `[\r\n]*` run from `i`. */
function lineBreaksEnd(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d)) i++;
  return i;
}

/**
 * `'s|'t|'re|'ve|'m|'ll|'d` at the apostrophe at `i`: where it ends, or -1. With `ignoreCase`, each letter
 * also matches its ASCII capital (the translated `(?i:...)` does the same; `| 0x20` folds only A-Z onto
 * these letters).
 */
function contractionEnd(text: string, i: number, ignoreCase: boolean): number {
  const fold = ignoreCase ? 0x20 : 0;
  const a = text.charCodeAt(i + 1) | fold;
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return i + 2;
  const b = text.charCodeAt(i + 2) | fold;
  if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) return i + 3;
  return -1;
}

/**
 * `\s+(?!\S)|\s+` on the whitespace run [start, end): the run, less its last character when a
 * non-space follows and that leaves something (White_Space is all BMP, one unit per character).
 */
function spaceRunEnd(text: string, start: number, end: number): number {
  return end === text.length || end - 1 === start ? end : end - 1;
}

/** End of GPT-2's match at `start`. */
function gpt2MatchEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === 0x27) {
    const end = contractionEnd(text, start, false);
    if (end !== -1) return end;
  }
  if (c === 0x20 && start + 1 < text.length) {
    // ` ?\p{L}+`, ` ?\p{N}+` and ` ?[^\s\p{L}\p{N}]+` all take the space along.
    const next = classAt(text, start + 1);
    if (next !== SPACE) return runEnd(text, start + 1, next);
  }
  const cls = classAt(text, start);
  if (cls !== SPACE) return runEnd(text, start, cls);
  return spaceRunEnd(text, start, runEnd(text, start, SPACE));
}

/** End of the cl100k-style match at `start`, with numbers cut into runs of at most `maxDigits`. */
function cl100kMatchEnd(text: string, start: number, maxDigits: number): number {
  const cp = text.codePointAt(start)!;
  if (cp === 0x27) {
    const end = contractionEnd(text, start, true);
    if (end !== -1) return end;
  }
  const cls = classOf(cp);
  if (cls === LETTER) return runEnd(text, start, LETTER);
  // `[^\r\n\p{L}\p{N}]?\p{L}+`: one character that is no line break, letter or number, then letters.
  const next = start + (cp > 0xffff ? 2 : 1);
  if (cls !== NUMBER && cp !== 0x0a && cp !== 0x0d && next < text.length && classAt(text, next) === LETTER) {
    return runEnd(text, next, LETTER);
  }
  if (cls === NUMBER) return digitsEnd(text, start, maxDigits);
  // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
  if (cp === 0x20 && next < text.length && classAt(text, next) === OTHER) return lineBreaksEnd(text, runEnd(text, next, OTHER));
  if (cls === OTHER) return lineBreaksEnd(text, runEnd(text, start, OTHER));
  // `\s*[\r\n]+`: the whitespace run up to and including its last line break; else `\s+(?!\S)|\s+`.
  const end = runEnd(text, start, SPACE);
  for (let k = end - 1; k >= start; k--) {
    const u = text.charCodeAt(k);
    if (u === 0x0a || u === 0x0d) return k + 1;
  }
  return spaceRunEnd(text, start, end);
}

/** A pattern whose matches tile the text, found by `matchEnd` instead of a regex. */
export class ScannedPattern implements Pattern {
  constructor(private readonly matchEnd: (text: string, start: number) => number) {}

  findMatches(text: string): PatternMatch[] {
    if (text.length === 0) return [{ start: 0, end: 0, isMatch: false }];
    const out: PatternMatch[] = [];
    for (let start = 0; start < text.length; ) {
      const end = this.matchEnd(text, start);
      out.push({ start, end, isMatch: true });
      start = end;
    }
    return out;
  }
}

export const gpt2SplitPattern = new ScannedPattern(gpt2MatchEnd);

const SCANNED: ReadonlyMap<string, ScannedPattern> = new Map([
  [GPT2_SPLIT_REGEX, gpt2SplitPattern],
  [LLAMA3_SPLIT_REGEX, new ScannedPattern((text, start) => cl100kMatchEnd(text, start, 3))],
  [QWEN2_SPLIT_REGEX, new ScannedPattern((text, start) => cl100kMatchEnd(text, start, 1))],
]);

/** The scanner for `regex` when it is one of the known split regexes exactly, else null. */
export function scannedPatternFor(regex: string): ScannedPattern | null {
  return SCANNED.get(regex) ?? null;
}
