/**
 * Rust `tokenizers`' `PreTokenizedString`: the input cut into pieces, each a `NormalizedString`,
 * some already final (added tokens). Pre-tokenizers split the pieces; the model then tokenizes
 * the ones without tokens; `toEncodingParts` maps every token back to original offsets.
 */
import { sizedArray } from './encoding.js';
import { NormalizedString } from './normalized-string.js';
import { TokenizationError, type Offsets, type Split, type Token } from './types.js';

export interface EncodingParts {
  ids: number[];
  tokens: string[];
  /** UTF-16 offsets into the original input. */
  offsets: Offsets[];
  /** Index of the piece each token came from (Rust's word index). */
  wordIds: number[];
}

export type SplitResult = NormalizedString | Split<NormalizedString>;

export class PreTokenizedString {
  splits: Split<NormalizedString>[];

  constructor(input: NormalizedString | Split<NormalizedString>[]) {
    this.splits = input instanceof NormalizedString ? [{ normalized: input, tokens: null }] : input;
  }

  /**
   * Replace each piece that has no tokens yet by what `splitFn` returns (its index is the piece's
   * position before this call); pieces that end up empty are dropped, as Rust does.
   */
  split(splitFn: (index: number, normalized: NormalizedString) => SplitResult[]): void {
    const next: Split<NormalizedString>[] = [];
    for (let index = 0; index < this.splits.length; index++) {
      const split = this.splits[index];
      if (split.tokens !== null) {
        next.push(split);
        continue;
      }
      for (const piece of splitFn(index, split.normalized)) {
        const asSplit = piece instanceof NormalizedString ? { normalized: piece, tokens: null } : piece;
        if (!asSplit.normalized.isEmpty()) next.push(asSplit);
      }
    }
    this.splits = next;
  }

  /** Normalize in place every piece that has no tokens yet. */
  normalize(normalizeFn: (normalized: NormalizedString) => void): void {
    for (const split of this.splits) if (split.tokens === null) normalizeFn(split.normalized);
  }

  /** Give tokens to every piece that has none yet (token offsets index into the piece's normalized text). */
  tokenize(tokenizeFn: (normalized: NormalizedString) => readonly Token[]): void {
    for (const split of this.splits) if (split.tokens === null) split.tokens = tokenizeFn(split.normalized);
  }

  /** Rust's `into_encoding` (without a forced word index): all pieces must have tokens. */
  toEncodingParts(): EncodingParts {
    let count = 0;
    for (let index = 0; index < this.splits.length; index++) {
      const { normalized, tokens } = this.splits[index];
      if (tokens === null) {
        throw new TokenizationError(`piece ${index} (${JSON.stringify(normalized.normalized)}) has no tokens`, {
          hint: 'Call tokenize() with the model before toEncodingParts().',
        });
      }
      count += tokens.length;
    }
    const parts: EncodingParts = { ids: sizedArray(count), tokens: sizedArray(count), offsets: sizedArray(count), wordIds: sizedArray(count) };
    let at = 0;
    for (let index = 0; index < this.splits.length; index++) {
      const { normalized, tokens } = this.splits[index];
      for (const token of tokens!) {
        parts.ids[at] = token.id;
        parts.tokens[at] = token.value;
        parts.offsets[at] = normalized.originalOffsets(token.offsets);
        parts.wordIds[at] = index;
        at++;
      }
    }
    return parts;
  }
}
