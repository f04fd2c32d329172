/**
 * Post-processor behaviour taken from Rust `tokenizers`' own processor tests (template piece parsing,
 * special-token counts, sequence numbering) plus the BERT fixture's template; whole-pipeline results
 * are checked against goldens in the conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { emptyEncoding } from '../encoding.js';
import { TokenizerConfigError, type EncodingData } from '../types.js';
import { postProcessorFromConfig } from './index.js';
import { parseTemplate } from './template-processing.js';

function words(tokens: string[], typeId = 0): EncodingData {
  const e = emptyEncoding();
  tokens.forEach((t, i) => {
    e.ids.push(1000 + i);
    e.tokens.push(t);
    e.offsets.push([i, i + 1]);
    e.typeIds.push(typeId);
    e.attentionMask.push(1);
    e.specialTokensMask.push(0);
    e.wordIds.push(i);
    e.sequenceIds.push(typeId);
  });
  return e;
}

const bertTemplate = {
  type: 'TemplateProcessing',
  single: '[CLS] $0 [SEP]',
  pair: '[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1',
  special_tokens: { '[CLS]': { id: '[CLS]', ids: [1], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [0], tokens: ['[SEP]'] } },
};

describe('template pieces (string form)', () => {
  it('reads $, $B, $1, $B:2 and $:1 as Rust does', () => {
    expect(parseTemplate('$ $B $1 $B:2 $:1', 'single')).toEqual([
      { kind: 'sequence', sequence: 0, typeId: 0 },
      { kind: 'sequence', sequence: 1, typeId: 0 },
      { kind: 'sequence', sequence: 0, typeId: 1 },
      { kind: 'sequence', sequence: 1, typeId: 2 },
      { kind: 'sequence', sequence: 0, typeId: 1 },
    ]);
  });

  it('rejects $C:1 and $A:', () => {
    expect(() => parseTemplate('$C:1', 'single')).toThrow(TokenizerConfigError);
    expect(() => parseTemplate('$A:', 'single')).toThrow(TokenizerConfigError);
  });
});

describe('TemplateProcessing', () => {
  const processor = postProcessorFromConfig(bertTemplate)!;

  it('counts the special tokens it adds', () => {
    expect(processor.addedTokens(false)).toBe(2);
    expect(processor.addedTokens(true)).toBe(3);
  });

  it('lays out a pair with type ids, special-token masks and sequence ids', () => {
    const out = processor.process(words(['Hello', 'there']), words(['pair'], 1), true);
    expect(out.tokens).toEqual(['[CLS]', 'Hello', 'there', '[SEP]', 'pair', '[SEP]']);
    expect(out.typeIds).toEqual([0, 0, 0, 0, 1, 1]);
    expect(out.specialTokensMask).toEqual([1, 0, 0, 1, 0, 1]);
    expect(out.sequenceIds).toEqual([null, 0, 0, null, 1, null]);
    expect(out.offsets[0]).toEqual([0, 0]);
  });

  it('adds nothing without special tokens', () => {
    expect(processor.process(words(['a']), null, false).tokens).toEqual(['a']);
  });
});

describe('Sequence of processors', () => {
  it('sums the special tokens of its parts', () => {
    const seq = postProcessorFromConfig({ type: 'Sequence', processors: [{ type: 'ByteLevel', trim_offsets: false }, bertTemplate] })!;
    expect(seq.addedTokens(true)).toBe(3);
  });
});

describe('ByteLevel offset trimming (cases from Rust byte_level.rs tests)', () => {
  const withOffsets = (tokens: string[], offsets: [number, number][]): EncodingData => ({ ...words(tokens), offsets });

  it('drops leading and trailing spaces from offsets, keeping the one add_prefix_space added', () => {
    const processor = postProcessorFromConfig({ type: 'ByteLevel', add_prefix_space: true, trim_offsets: true })!;
    const tokens = ['Ġ', 'ĠĠĠĠHelloĠĠ', 'ĠĠHello', 'HelloĠĠ', 'ĠĠĠĠ'];
    const out = processor.process(withOffsets(tokens, [[0, 1], [0, 11], [11, 18], [18, 25], [25, 29]]), null, false);
    expect(out.offsets).toEqual([[0, 0], [4, 9], [13, 18], [18, 23], [29, 29]]);
  });

  it('treats any token starting at offset 0 as first (pre-tokenized input)', () => {
    const processor = postProcessorFromConfig({ type: 'ByteLevel', add_prefix_space: true, trim_offsets: true })!;
    const offsets: [number, number][] = [[0, 1], [1, 4], [0, 1], [1, 4]];
    expect(processor.process(withOffsets(['Ġl', 'ove', 'Ġl', 'ove'], offsets), null, false).offsets).toEqual(offsets);
  });
});
