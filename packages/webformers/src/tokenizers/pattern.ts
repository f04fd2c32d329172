/**
 * What `split` and `replace` search for, with Rust `tokenizers`' `Pattern::find_matches` contract:
 * the whole input is covered by consecutive pieces, each flagged as a match or not. Offsets are
 * UTF-16 units of the searched string.
 */
import { onigToJsRegExp } from './onig-regex.js';
import { scannedPatternFor } from './split-scanners.js';
import { TokenizerConfigError, type Json } from './types.js';

export interface PatternMatch {
  start: number;
  end: number;
  isMatch: boolean;
}

export interface Pattern {
  findMatches(text: string): PatternMatch[];
}

/** A regex found with Oniguruma's `find_iter` rules (what Rust uses for tokenizer.json regexes). */
export class RegexPattern implements Pattern {
  private readonly regex: RegExp;

  constructor(regex: RegExp) {
    this.regex = regex.global ? regex : new RegExp(regex.source, regex.flags + 'g');
  }

  findMatches(text: string): PatternMatch[] {
    if (text.length === 0) return [{ start: 0, end: 0, isMatch: false }];
    const out: PatternMatch[] = [];
    const re = this.regex;
    let searchFrom = 0;
    let lastMatchEnd = -1;
    let prev = 0;
    while (searchFrom <= text.length) {
      re.lastIndex = searchFrom;
      const m = re.exec(text);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      // Oniguruma's iterator refuses an empty match right where the previous match ended and
      // retries one character further; JS would accept it, which splits text Rust keeps whole.
      if (start === end && end === lastMatchEnd) {
        searchFrom += searchFrom < text.length && isHighSurrogateAt(text, searchFrom) ? 2 : 1;
        continue;
      }
      if (prev !== start) out.push({ start: prev, end: start, isMatch: false });
      out.push({ start, end, isMatch: true });
      prev = end;
      lastMatchEnd = end;
      searchFrom = end;
    }
    if (prev !== text.length) out.push({ start: prev, end: text.length, isMatch: false });
    return out;
  }
}

function isHighSurrogateAt(text: string, i: number): boolean {
  const u = text.charCodeAt(i);
  return u >= 0xd800 && u <= 0xdbff && i + 1 < text.length;
}

/** A literal string; Rust escapes it into a regex, so matches are leftmost and non-overlapping. */
export class StringPattern implements Pattern {
  constructor(readonly value: string) {}

  findMatches(text: string): PatternMatch[] {
    if (this.value.length === 0) return [{ start: 0, end: text.length, isMatch: false }];
    if (text.length === 0) return [{ start: 0, end: 0, isMatch: false }];
    const out: PatternMatch[] = [];
    let prev = 0;
    for (let at = text.indexOf(this.value); at !== -1; at = text.indexOf(this.value, prev)) {
      if (prev !== at) out.push({ start: prev, end: at, isMatch: false });
      prev = at + this.value.length;
      out.push({ start: at, end: prev, isMatch: true });
    }
    if (prev !== text.length) out.push({ start: prev, end: text.length, isMatch: false });
    return out;
  }
}

/** Every single character for which `test` holds is its own match (Rust's `Fn(char) -> bool` pattern). */
export class CharPredicatePattern implements Pattern {
  constructor(private readonly test: (codePoint: number) => boolean) {}

  findMatches(text: string): PatternMatch[] {
    if (text.length === 0) return [{ start: 0, end: 0, isMatch: false }];
    const out: PatternMatch[] = [];
    let prev = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const next = i + (cp > 0xffff ? 2 : 1);
      if (this.test(cp)) {
        if (prev < i) out.push({ start: prev, end: i, isMatch: false });
        out.push({ start: i, end: next, isMatch: true });
        prev = next;
      }
      i = next;
    }
    if (prev < text.length) out.push({ start: prev, end: text.length, isMatch: false });
    return out;
  }
}

/** Swaps matches and non-matches (Rust's `Invert`). */
export class InvertedPattern implements Pattern {
  constructor(private readonly inner: Pattern) {}

  findMatches(text: string): PatternMatch[] {
    return this.inner.findMatches(text).map((m) => ({ start: m.start, end: m.end, isMatch: !m.isMatch }));
  }
}

/** tokenizer.json's `{"String": "..."}` / `{"Regex": "..."}`. */
export function patternFromConfig(json: unknown, component: string): Pattern {
  const p = json as Json | null;
  if (p !== null && typeof p === 'object') {
    if (typeof p.String === 'string') return new StringPattern(p.String);
    if (typeof p.Regex === 'string') return scannedPatternFor(p.Regex) ?? new RegexPattern(onigToJsRegExp(p.Regex, component));
  }
  throw new TokenizerConfigError(component, `pattern must be {"String": ...} or {"Regex": ...}, got ${JSON.stringify(json)}`);
}
