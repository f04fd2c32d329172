/**
 * The predicates answer BMP characters from tables filled on first use; every answer, first or remembered,
 * must be the Unicode property's (JS regex property escapes, the same data the tables are filled from).
 */
import { describe, expect, it } from 'vitest';
import { isBertPunctuation, isMarkNonspacing, isNumeric, isOther, isWhitespace, isWordChar } from './unicode-props.js';

const CASES: [string, (cp: number) => boolean, RegExp][] = [
  ['isWhitespace', isWhitespace, /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u],
  ['isBertPunctuation', isBertPunctuation, /^(?:\p{P}|[!-/:-@[-`{-~])$/u],
  ['isNumeric', isNumeric, /^\p{N}$/u],
  ['isMarkNonspacing', isMarkNonspacing, /^\p{Mn}$/u],
  ['isOther', isOther, /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}]$/u],
  ['isWordChar', isWordChar, /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u],
];

describe('unicode property predicates', () => {
  for (const [name, predicate, property] of CASES) {
    it(`${name} agrees with the Unicode property on every BMP code point, asked twice, and on astral ones`, () => {
      const wrong: number[] = [];
      for (let pass = 0; pass < 2; pass++) {
        for (let cp = 0; cp <= 0xffff; cp++) if (predicate(cp) !== property.test(String.fromCharCode(cp))) wrong.push(cp);
      }
      for (const cp of [0x1f600, 0x10341, 0x1d7ce, 0x1e944, 0xe0001, 0xf0000, 0x2f800]) {
        if (predicate(cp) !== property.test(String.fromCodePoint(cp))) wrong.push(cp);
      }
      expect(wrong).toEqual([]);
    });
  }
});
