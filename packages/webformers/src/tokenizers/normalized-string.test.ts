/**
 * NormalizedString bookkeeping. Expected alignments are those asserted by Rust `tokenizers`'
 * own tests for `NormalizedString` (tokenizer/normalizer.rs), converted from UTF-8 bytes to UTF-16
 * units (identical for ASCII; one unit per BMP character, two per astral one).
 */
import { describe, expect, it } from 'vitest';
import { CharEdits } from './char-edits.js';
import { NormalizedString } from './normalized-string.js';
import { CharPredicatePattern, RegexPattern, StringPattern } from './pattern.js';
import { isMarkNonspacing, isWhitespace } from './unicode-props.js';

function alignments(s: NormalizedString): [number, number][] {
  return Array.from({ length: s.length }, (_, i) => s.alignmentAt(i));
}

function originalOf(s: NormalizedString, start: number, end: number, whole: string): string {
  const [a, b] = s.originalOffsets([start, end]);
  return whole.slice(a, b);
}

function edits(list: [string, number][]): CharEdits {
  const e = new CharEdits();
  for (const [c, change] of list) e.push(c.codePointAt(0)!, change);
  return e;
}

describe('NormalizedString.transformRange', () => {
  it('drops leading characters through initialOffset', () => {
    const s = new NormalizedString('Hello friend');
    s.transformRange(0, 4, edits([['Y', 0]]), 3);
    expect(s.normalized).toBe('Yo friend');
    expect(alignments(s)).toEqual([[3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9], [9, 10], [10, 11], [11, 12]]);
  });

  it('removes characters in the middle with a negative change', () => {
    const s = new NormalizedString('Hello friend');
    s.transformRange(3, 10, edits([['_', 0], ['F', 0], ['R', -2]]), 2);
    expect(s.normalized).toBe('Hel_FRnd');
    expect(alignments(s)).toEqual([[0, 1], [1, 2], [2, 3], [5, 6], [6, 7], [7, 8], [10, 11], [11, 12]]);
  });

  it('removes characters at the end with a negative change', () => {
    const s = new NormalizedString('Hello friend');
    s.transformRange(5, 12, edits([['_', 0], ['F', -5]]), 0);
    expect(s.normalized).toBe('Hello_F');
    expect(alignments(s)).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7]]);
  });

  it('aligns a character inserted at the very start to an empty span', () => {
    const s = new NormalizedString('Hello friend');
    s.transformRange(0, 1, edits([['H', 1], ['H', 0]]), 0);
    expect(s.normalized).toBe('HHello friend');
    expect(alignments(s).slice(0, 3)).toEqual([[0, 0], [0, 1], [1, 2]]);
  });

  it('gives inserted characters the alignment of the character before them', () => {
    const s = new NormalizedString('野口 No');
    s.expandChars((cp, e) => {
      if (cp > 0x4e00) {
        e.push(0x20, 0);
        e.push(cp, 1);
        e.push(0x20, 1);
      } else e.push(cp, 0);
    });
    expect(s.normalized).toBe(' 野  口  No');
    expect(alignments(s)).toEqual([[0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [1, 2], [2, 3], [3, 4], [4, 5]]);
  });
});

describe('NormalizedString edits', () => {
  it('prepend aligns the prefix with the first character', () => {
    const s = new NormalizedString('there');
    s.prepend('Hey ');
    expect(s.normalized).toBe('Hey there');
    expect(alignments(s)).toEqual([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
    expect(s.originalOffsets([0, 4])).toEqual([0, 1]);
  });

  it('append aligns the suffix with the last character', () => {
    const s = new NormalizedString('Hey');
    s.append(' there');
    expect(s.normalized).toBe('Hey there');
    expect(alignments(s)).toEqual([[0, 1], [1, 2], [2, 3], [2, 3], [2, 3], [2, 3], [2, 3], [2, 3], [2, 3]]);
  });

  it('filter keeps the alignments of kept characters, also at both edges', () => {
    const s = new NormalizedString('  Hello  ');
    s.filter((cp) => !isWhitespace(cp));
    expect(s.normalized).toBe('Hello');
    expect(originalOf(s, 0, 5, '  Hello  ')).toBe('Hello');
    expect(originalOf(s, 1, 4, '  Hello  ')).toBe('ell');
  });

  it('maps normalized ranges back through filter and lowercase', () => {
    const text = 'Hello_______ World!';
    const s = new NormalizedString(text);
    s.filter((cp) => cp !== 0x5f);
    s.lowercase();
    expect(s.normalized.slice(6, 11)).toBe('world');
    expect(s.originalOffsets([6, 11])).toEqual([13, 18]);
  });

  it('NFD then dropping marks keeps each base letter on its source character', () => {
    const s = new NormalizedString('élégant');
    s.normalizeUnicode('NFD');
    expect(alignments(s).slice(0, 4)).toEqual([[0, 1], [0, 1], [1, 2], [2, 3]]);
    s.filter((cp) => !isMarkNonspacing(cp));
    expect(s.normalized).toBe('elegant');
    expect(alignments(s)).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7]]);
  });

  it('lowercase is per character (no final-sigma rule, like Rust char::to_lowercase)', () => {
    const s = new NormalizedString('ΟΔΟΣ');
    s.lowercase();
    expect(s.normalized).toBe('οδοσ');
  });

  it('strip removes whitespace on the requested sides only', () => {
    const left = new NormalizedString('  This is an example  ');
    left.strip(true, false);
    expect(left.normalized).toBe('This is an example  ');
    const both = new NormalizedString('  This is an example  ');
    both.strip(true, true);
    expect(both.normalized).toBe('This is an example');
    expect(both.originalOffsets([0, both.length])).toEqual([2, 20]);
  });

  it('replace handles single characters, non-overlapping literals and regexes', () => {
    const a = new NormalizedString(' Hello   friend ');
    a.replace(new StringPattern(' '), '_');
    expect(a.normalized).toBe('_Hello___friend_');
    const b = new NormalizedString('aaaab');
    b.replace(new StringPattern('aaa'), 'b');
    expect(b.normalized).toBe('bab');
    const c = new NormalizedString(' Hello   friend ');
    c.replace(new RegexPattern(/\s+/gu), '_');
    expect(c.normalized).toBe('_Hello_friend_');
    // The replacement is aligned with the last replaced character.
    expect(c.alignmentAt(6)).toEqual([8, 9]);
  });
});

describe('NormalizedString.split and slice', () => {
  const s = new NormalizedString('The-final--countdown');
  const dash = new CharPredicatePattern((cp) => cp === 0x2d);
  const texts = (behavior: Parameters<NormalizedString['split']>[1]) => s.split(dash, behavior).map((p) => p.normalized);

  it('supports every delimiter behavior', () => {
    expect(texts('removed')).toEqual(['The', 'final', 'countdown']);
    expect(texts('isolated')).toEqual(['The', '-', 'final', '-', '-', 'countdown']);
    expect(texts('merged_with_previous')).toEqual(['The-', 'final-', '-', 'countdown']);
    expect(texts('merged_with_next')).toEqual(['The', '-final', '-', '-countdown']);
    expect(texts('contiguous')).toEqual(['The', '-', 'final', '--', 'countdown']);
  });

  it('pieces keep absolute original offsets', () => {
    const pieces = s.split(dash, 'removed');
    expect(pieces.map((p) => p.offsetsOriginal())).toEqual([[0, 3], [4, 9], [11, 20]]);
    expect(pieces[2].originalOffsets([1, 3])).toEqual([12, 14]);
  });

  it('a slice of an NFKC string covers the astral characters it came from', () => {
    const text = '𝔾𝕠𝕠𝕕 𝕞𝕠𝕣𝕟𝕚𝕟𝕘';
    const n = new NormalizedString(text);
    n.normalizeUnicode('NFKC');
    const good = n.slice(0, 4);
    expect(good.normalized).toBe('Good');
    expect(good.original).toBe('𝔾𝕠𝕠𝕕');
  });
});

describe('NormalizedString one-pass rewrites', () => {
  // Expected alignments come from the per-character edits above (Rust's transform bookkeeping).
  const text = 'xa€😀b';
  const widths = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

  it('rewriteUnits aligns every unit with the whole span of its source character, as inserted edits do', () => {
    const viaEdits = new NormalizedString(text).slice(1, text.length);
    viaEdits.expandChars((cp, e) => {
      e.push(0x41, 0);
      for (let k = 1; k < widths(cp); k++) e.push(0x41, 1);
    });
    const rewritten = new NormalizedString(text).slice(1, text.length);
    const from: number[] = [];
    for (let i = 0; i < rewritten.length; ) {
      const cp = rewritten.normalized.codePointAt(i)!;
      for (let k = 0; k < widths(cp); k++) from.push(i);
      i += cp > 0xffff ? 2 : 1;
    }
    rewritten.rewriteUnits('A'.repeat(from.length), Int32Array.from(from));
    expect(rewritten.normalized).toBe(viaEdits.normalized);
    expect(alignments(rewritten)).toEqual(alignments(viaEdits));
  });

  it('replaceUnitForUnit keeps every alignment and refuses a text of another length', () => {
    const s = new NormalizedString(text);
    const before = alignments(s);
    s.replaceUnitForUnit(text.toUpperCase());
    expect(s.normalized).toBe(text.toUpperCase());
    expect(alignments(s)).toEqual(before);
    expect(() => s.replaceUnitForUnit('short')).toThrow(RangeError);
  });

  it('replaceEachChar with one BMP character per character aligns as per-character edits do', () => {
    // After a removal the piece has an alignment array, so the one-for-one shortcut must keep that array's spans.
    const source = 'ÀbÉ\u0301cÎ';
    const upper = (cp: number) => String.fromCodePoint(cp).toUpperCase();
    const viaEdits = new NormalizedString(source);
    viaEdits.filter((cp) => cp !== 0x301);
    const replaced = new NormalizedString(source);
    replaced.filter((cp) => cp !== 0x301);
    viaEdits.expandChars((cp, e) => e.push(upper(cp).codePointAt(0)!, 0));
    replaced.replaceEachChar(upper);
    expect(replaced.normalized).toBe(viaEdits.normalized);
    expect(alignments(replaced)).toEqual(alignments(viaEdits));
    const plain = new NormalizedString(source).slice(1, source.length);
    const plainEdits = new NormalizedString(source).slice(1, source.length);
    plain.replaceEachChar(upper);
    plainEdits.expandChars((cp, e) => e.push(upper(cp).codePointAt(0)!, 0));
    expect(plain.normalized).toBe('BÉ\u0301CÎ');
    expect(alignments(plain)).toEqual(alignments(plainEdits));
  });
});
