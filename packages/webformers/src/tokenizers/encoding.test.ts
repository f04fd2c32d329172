/**
 * Structural properties of the Rust `Encoding` operations (window overlap, kept side, pad placement,
 * pair budget, error cases). Exact values against Rust are checked by the conformance suite's batch goldens.
 */
import { describe, expect, it } from 'vitest';
import { mergeEncodings, padEncodings, truncateEncoding, truncateEncodings } from './encoding.js';
import { TokenizationError, type EncodingData, type PaddingParams } from './types.js';

function sequence(n: number, typeId = 0): EncodingData {
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    ids: idx, tokens: idx.map(String), offsets: idx.map((i): [number, number] => [i, i + 1]), typeIds: idx.map(() => typeId),
    attentionMask: idx.map(() => 1), specialTokensMask: idx.map(() => 0), wordIds: idx, sequenceIds: idx.map(() => typeId), overflowing: [],
  };
}

const pad = (length: PaddingParams['length'], direction: 'left' | 'right', padToMultipleOf?: number): PaddingParams =>
  ({ length, direction, padToMultipleOf, padId: -1, padTypeId: 0, padToken: '[PAD]' });

describe('truncateEncoding', () => {
  it('keeps the first max tokens (right) and cuts the rest into windows overlapping by stride', () => {
    const e = truncateEncoding(sequence(23), 8, 3, 'right');
    const windows = [e, ...e.overflowing];
    expect(e.ids).toEqual(sequence(23).ids.slice(0, 8));
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i].ids.slice(0, 3)).toEqual(windows[i - 1].ids.slice(-3));
      expect(windows[i].ids.length).toBeLessThanOrEqual(8);
    }
    expect(windows.at(-1)!.ids.at(-1)).toBe(22);
  });

  it('keeps the last max tokens when truncating from the left', () => {
    const e = truncateEncoding(sequence(10), 4, 0, 'left');
    expect(e.ids).toEqual(sequence(10).ids.slice(6));
    expect(e.overflowing.map((o) => o.ids)).toEqual([sequence(10).ids.slice(2, 6), sequence(10).ids.slice(0, 2)]);
  });

  it('moves everything into overflowing for max length 0 and leaves short encodings alone', () => {
    expect(truncateEncoding(sequence(3), 0, 0, 'right').overflowing[0].ids).toEqual(sequence(3).ids);
    expect(truncateEncoding(sequence(3), 5, 0, 'right')).toEqual(sequence(3));
  });
});

describe('truncateEncodings for pairs', () => {
  it('longest_first shortens the longer sequence first', () => {
    const [a, b] = truncateEncodings(sequence(3), sequence(20, 1), { maxLength: 10, stride: 0, strategy: 'longest_first', direction: 'right' });
    expect([a.ids.length, b!.ids.length]).toEqual([3, 7]);
  });

  it('only_second fails when the second sequence cannot give up enough tokens', () => {
    expect(() => truncateEncodings(sequence(12), sequence(2, 1), { maxLength: 10, stride: 0, strategy: 'only_second', direction: 'right' })).toThrow(TokenizationError);
  });

  it('only_second without a second sequence fails', () => {
    expect(() => truncateEncodings(sequence(12), null, { maxLength: 10, stride: 0, strategy: 'only_second', direction: 'right' })).toThrow(TokenizationError);
  });
});

describe('padEncodings', () => {
  it('pads to the longest, on the chosen side, with masked special pad tokens, rounding up to a multiple', () => {
    const [short, long] = padEncodings([sequence(2), sequence(5)], pad('longest', 'left', 4));
    expect(short.ids.length).toBe(8);
    expect(long.ids.length).toBe(8);
    expect(short.ids.slice(0, 6).every((id) => id === -1)).toBe(true);
    expect(short.attentionMask.slice(0, 6).every((m) => m === 0)).toBe(true);
    expect(short.specialTokensMask.slice(0, 6).every((m) => m === 1)).toBe(true);
    expect(short.wordIds.slice(0, 6).every((w) => w === null)).toBe(true);
  });

  it('pads overflowing windows too', () => {
    const [e] = padEncodings([truncateEncoding(sequence(7), 4, 0, 'right')], pad(6, 'right'));
    expect(e.overflowing[0].ids.length).toBe(6);
  });
});

describe('mergeEncodings', () => {
  it('combines overflowing windows of one side with the other side', () => {
    const merged = mergeEncodings([truncateEncoding(sequence(6), 4, 0, 'right'), sequence(1, 1)]);
    expect(merged.ids.length).toBe(5);
    expect(merged.overflowing.map((o) => o.ids.length)).toEqual([3]);
  });
});
