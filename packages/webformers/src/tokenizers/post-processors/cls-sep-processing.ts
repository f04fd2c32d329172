/**
 * BertProcessing (`[CLS] A [SEP]` / `... B [SEP]`, pair typed 1) and RobertaProcessing
 * (`<s> A </s>` / `... </s> B </s>`, everything typed 0, optional byte-level offset trimming).
 * Rust wraps each sequence and each of its overflowing windows separately; the merge then combines windows.
 */
import { mergeEncodings, specialTokensEncoding, withSequenceId, withTypeIds } from '../encoding.js';
import type { EncodingData } from '../types.js';
import { trimByteLevelOffsets } from './byte-level.js';
import { EncodingsProcessor } from './encodings-processor.js';

export type SpecialToken = { token: string; id: number };

interface WrapRule {
  /** Tokens put before / after sequence `index`. */
  before(index: number): SpecialToken[];
  after(index: number): SpecialToken[];
  typeId(index: number): number;
}

function wrap(e: EncodingData, index: number, rule: WrapRule): EncodingData {
  const typeId = rule.typeId(index);
  const special = (list: SpecialToken[]): EncodingData =>
    specialTokensEncoding(list.map((t) => t.id), list.map((t) => t.token), typeId);
  const body = (x: EncodingData): EncodingData => withSequenceId({ ...withTypeIds(x, typeId), overflowing: [] }, index);
  const around = (x: EncodingData): EncodingData => mergeEncodings([special(rule.before(index)), body(x), special(rule.after(index))]);
  return { ...around(e), overflowing: e.overflowing.map(around) };
}

abstract class ClsSepProcessor extends EncodingsProcessor implements WrapRule {
  constructor(
    protected readonly cls: SpecialToken,
    protected readonly sep: SpecialToken,
  ) {
    super();
  }

  abstract before(index: number): SpecialToken[];
  abstract after(index: number): SpecialToken[];
  abstract typeId(index: number): number;

  addedTokens(isPair: boolean): number {
    const n = (i: number): number => this.before(i).length + this.after(i).length;
    return n(0) + (isPair ? n(1) : 0);
  }

  protected prepare(encodings: EncodingData[]): EncodingData[] {
    return encodings;
  }

  processEncodings(encodings: EncodingData[], addSpecialTokens: boolean): EncodingData[] {
    const prepared = this.prepare(encodings);
    if (!addSpecialTokens) return prepared;
    return prepared.map((e, i) => wrap(e, i, this));
  }
}

export class BertProcessing extends ClsSepProcessor {
  before(index: number): SpecialToken[] {
    return index === 0 ? [this.cls] : [];
  }
  after(): SpecialToken[] {
    return [this.sep];
  }
  typeId(index: number): number {
    return index;
  }
}

export class RobertaProcessing extends ClsSepProcessor {
  constructor(
    cls: SpecialToken,
    sep: SpecialToken,
    private readonly trimOffsets: boolean,
    private readonly addPrefixSpace: boolean,
  ) {
    super(cls, sep);
  }

  before(index: number): SpecialToken[] {
    return [index === 0 ? this.cls : this.sep];
  }
  after(): SpecialToken[] {
    return [this.sep];
  }
  typeId(): number {
    return 0;
  }

  // RoBERTa types every token 0, even without special tokens, and trims offsets like ByteLevel.
  protected override prepare(encodings: EncodingData[]): EncodingData[] {
    return encodings.map((e) => {
      const trimmed = this.trimOffsets ? trimByteLevelOffsets(e, this.addPrefixSpace) : e;
      return withTypeIds(trimmed, 0);
    });
  }
}
