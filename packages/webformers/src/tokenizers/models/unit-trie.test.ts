import { describe, expect, it } from 'vitest';
import { NO_NODE, UnitTrie } from './unit-trie.js';

describe('UnitTrie', () => {
  const trie = new UnitTrie(new Map([['un', 1], ['under', 2], ['##s', 3], ['\u{1f600}', 4]]));

  it('finds the id of every inserted entry by walking its units', () => {
    expect(trie.idAt(trie.walk('un'))).toBe(1);
    expect(trie.idAt(trie.walk('under'))).toBe(2);
    expect(trie.idAt(trie.walk('##s'))).toBe(3);
    expect(trie.idAt(trie.walk('\u{1f600}'))).toBe(4);
  });

  it('has no id on nodes that are only prefixes of entries', () => {
    expect(trie.idAt(trie.walk('und'))).toBe(-1);
    expect(trie.idAt(trie.walk('##'))).toBe(-1);
    expect(trie.idAt(trie.walk('\ud83d'))).toBe(-1);
  });

  it('reports NO_NODE for units that leave the trie', () => {
    expect(trie.walk('ux')).toBe(NO_NODE);
    expect(trie.walk('underx')).toBe(NO_NODE);
    expect(trie.child(trie.walk('un'), 'x'.charCodeAt(0))).toBe(NO_NODE);
  });

  it('lists the entries that start a text at a position, shortest first, never the empty entry', () => {
    const withEmpty = new UnitTrie(new Map([['', 0], ['un', 1], ['under', 2], ['u', 5]]));
    const found: [number, number][] = [];
    withEmpty.forEachPrefix('an undertow', 3, (end, id) => found.push([end, id]));
    expect(found).toEqual([[4, 5], [5, 1], [8, 2]]);
    const none: number[] = [];
    withEmpty.forEachPrefix('an undertow', 0, (_, id) => none.push(id));
    expect(none).toEqual([]);
  });

  it('keeps many entries sharing hash slots apart', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const many = new UnitTrie(new Map(words.map((w, i) => [w, i])));
    words.forEach((w, i) => expect(many.idAt(many.walk(w))).toBe(i));
    expect(many.walk('x')).toBe(NO_NODE);
  });
});
