/**
 * The Oniguruma → JS translation: the Oniguruma semantics we must keep (documented in Oniguruma's
 * RE syntax doc, Ruby syntax) on the constructs the 14 conformance tokenizers use, plus the ones
 * JS lacks outright. Whole-pipeline agreement with Rust is checked in test/tokenizers-split-boundaries.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { onigToJsRegExp } from './onig-regex.js';
import { RegexPattern } from './pattern.js';
import { TokenizerConfigError } from './types.js';

const all = (pattern: string, text: string) => [...text.matchAll(onigToJsRegExp(pattern, 'test'))].map((m) => m[0]);

// The split regexes of gpt35turbo / llama3 (cl100k), gpt4o / gptoss (o200k) and deepseek_v3, as tokenizer.json writes them.
const CL100K = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const O200K =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const DEEPSEEK = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

describe('onigToJsRegExp', () => {
  it('compiles the regexes of the conformance tokenizers', () => {
    for (const p of [CL100K, O200K, DEEPSEEK, '\\p{N}{1,3}', '[一-龥぀-ゟ゠-ヿ]+']) expect(() => onigToJsRegExp(p, 'test')).not.toThrow();
  });

  it('expands (?i:...) by hand', () => {
    expect(all(CL100K, "IT'S HE'LL")).toEqual(['IT', "'S", ' HE', "'LL"]);
    expect(all("(?i:ab)c", 'ABc AbC aBc')).toEqual(['ABc', 'aBc']);
  });

  it('keeps \\s as Unicode White_Space: U+0085 is a space, U+FEFF is not', () => {
    expect(all('\\s+', 'a\u0085b\ufeffc\u3000')).toEqual(['\u0085', '\u3000']);
    expect(all('\\S+', 'a\u0085b\ufeffc')).toEqual(['a', 'b\ufeffc']);
  });

  it('treats . as anything but a newline, and ^ / $ as line anchors', () => {
    expect(all('.+', 'a\rb\u2028c\nd')).toEqual(['a\rb\u2028c', 'd']);
    expect(all('^x', 'x\nx')).toEqual(['x', 'x']);
    expect(all('x$', 'x\nx')).toEqual(['x', 'x']);
  });

  it('emulates possessive quantifiers and atomic groups (no backtracking into them)', () => {
    expect(all('a++a', 'aaaa')).toEqual([]);
    expect(all('a+a', 'aaaa')).toEqual(['aaaa']);
    expect(all('(?>a|ab)c', 'abc ac')).toEqual(['ac']);
    expect(all('(x)\\1(?>y+)z', 'xxyyz')).toEqual(['xxyyz']);
  });

  it('reads { that starts no quantifier as a literal, and {,n} as {0,n}', () => {
    expect(all('a{', 'a{')).toEqual(['a{']);
    expect(all('ba{,2}', 'baaa')).toEqual(['baa']);
  });

  it('reads escaped punctuation as literals inside and outside classes', () => {
    expect(all('a\\-b\\\'', "a-b'")).toEqual(["a-b'"]);
    expect(all('[\\-\\]\\\\]+', 'x-]\\y')).toEqual(['-]\\']);
  });

  it('maps \\p{Script} names and \\h', () => {
    expect(all('\\p{Han}+', 'ab漢字c')).toEqual(['漢字']);
    expect(all('\\h+', 'xyz0fA9')).toEqual(['0fA9']);
  });

  it('rejects what it cannot translate with a config error', () => {
    expect(() => onigToJsRegExp('[[:alpha:]]', 'pre_tokenizer Split')).toThrow(TokenizerConfigError);
    expect(() => onigToJsRegExp('(?<name', 'pre_tokenizer Split')).toThrow(TokenizerConfigError);
  });
});

describe('RegexPattern.findMatches', () => {
  it('covers the text with matches and the gaps between them', () => {
    expect(new RegexPattern(/\d+/gu).findMatches('ab12cd3')).toEqual([
      { start: 0, end: 2, isMatch: false },
      { start: 2, end: 4, isMatch: true },
      { start: 4, end: 6, isMatch: false },
      { start: 6, end: 7, isMatch: true },
    ]);
  });

  it('skips an empty match right after the previous match, as Oniguruma iteration does', () => {
    const spans = new RegexPattern(/a*/gu).findMatches('aab').map((m) => [m.start, m.end, m.isMatch]);
    expect(spans).toEqual([[0, 2, true], [2, 3, false], [3, 3, true]]);
  });
});
