/** PreTokenizedString: splitting skips final pieces, empty pieces vanish, tokens map to original offsets (Rust's `into_encoding`). */
import { describe, expect, it } from 'vitest';
import { NormalizedString } from './normalized-string.js';
import { CharPredicatePattern } from './pattern.js';
import { PreTokenizedString } from './pre-tokenized-string.js';
import { TokenizationError } from './types.js';

const space = new CharPredicatePattern((cp) => cp === 0x20);

describe('PreTokenizedString', () => {
  it('splits only pieces without tokens and drops empty pieces', () => {
    const p = new PreTokenizedString([
      { normalized: new NormalizedString('a b'), tokens: null },
      { normalized: new NormalizedString('<s>', 3), tokens: [{ id: 9, value: '<s>', offsets: [0, 3] }] },
      { normalized: new NormalizedString(' c ', 6), tokens: null },
    ]);
    const seen: number[] = [];
    p.split((index, piece) => {
      seen.push(index);
      return piece.split(space, 'removed');
    });
    expect(seen).toEqual([0, 2]);
    expect(p.splits.map((s) => s.normalized.normalized)).toEqual(['a', 'b', '<s>', 'c']);
  });

  it('maps token offsets through alignments and numbers words by piece', () => {
    const whole = new NormalizedString('Ab cd');
    whole.lowercase();
    const p = new PreTokenizedString(whole);
    p.split((_, piece) => piece.split(space, 'removed'));
    p.normalize((piece) => piece.prepend('_'));
    p.tokenize((piece) => [
      { id: 1, value: piece.normalized.slice(0, 2), offsets: [0, 2] },
      { id: 2, value: piece.normalized.slice(2), offsets: [2, piece.length] },
    ]);
    expect(p.toEncodingParts()).toEqual({
      ids: [1, 2, 1, 2],
      tokens: ['_a', 'b', '_c', 'd'],
      offsets: [[0, 1], [1, 2], [3, 4], [4, 5]],
      wordIds: [0, 0, 1, 1],
    });
  });

  it('refuses to build an encoding while a piece has no tokens', () => {
    const p = new PreTokenizedString(new NormalizedString('x'));
    expect(() => p.toEncodingParts()).toThrow(TokenizationError);
  });
});
