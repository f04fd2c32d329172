/**
 * Rust `tokenizers`' `AddedVocabulary`: the tokenizer.json `added_tokens`, cut out of the input
 * before the model sees it. Tokens with `normalized: false` are found in the raw text; the pieces
 * between them are normalized, and tokens with `normalized: true` are then found in those pieces
 * (matching their own normalized form). Matching is leftmost-longest, like the Aho-Corasick
 * automaton Rust builds, and `single_word` / `lstrip` / `rstrip` adjust each match as Rust does.
 */
import { NormalizedString } from './normalized-string.js';
import { PreTokenizedString, type SplitResult } from './pre-tokenized-string.js';
import type { AddedTokenConfig, Normalizer, TokenizerModel } from './types.js';
import { isWhitespace, isWordChar } from './unicode-props.js';

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Id of the token whose pattern ends here, or -1. */
  id: number;
}

/** Leftmost-longest multi-pattern search over UTF-16 units. */
class TokenMatcher {
  private readonly root: TrieNode = { next: new Map(), id: -1 };
  /** Units some pattern starts with: most positions of a text start none, and a table says so cheaply. */
  private readonly firstUnits = new Uint8Array(0x10000);
  readonly isEmpty: boolean;

  constructor(patterns: readonly { pattern: string; id: number }[]) {
    let count = 0;
    for (const { pattern, id } of patterns) {
      if (pattern.length === 0) continue;
      this.firstUnits[pattern.charCodeAt(0)] = 1;
      let node = this.root;
      for (let i = 0; i < pattern.length; i++) {
        const unit = pattern.charCodeAt(i);
        let child = node.next.get(unit);
        if (child === undefined) {
          child = { next: new Map(), id: -1 };
          node.next.set(unit, child);
        }
        node = child;
      }
      // With two identical patterns the automaton reports the one added first.
      if (node.id < 0) node.id = id;
      count++;
    }
    this.isEmpty = count === 0;
  }

  /** The next match at or after `from`: [start, end, id], or null. */
  findFrom(text: string, from: number): [number, number, number] | null {
    for (let start = from; start < text.length; start++) {
      if (this.firstUnits[text.charCodeAt(start)] === 0) continue;
      let node: TrieNode | undefined = this.root;
      let bestEnd = -1;
      let bestId = -1;
      for (let i = start; i < text.length; i++) {
        node = node.next.get(text.charCodeAt(i));
        if (node === undefined) break;
        if (node.id >= 0) {
          bestEnd = i + 1;
          bestId = node.id;
        }
      }
      if (bestEnd >= 0) return [start, bestEnd, bestId];
    }
    return null;
  }
}

export class AddedVocabulary {
  private readonly tokenById = new Map<number, AddedTokenConfig>();
  private readonly idByContent = new Map<string, number>();
  private readonly specialContents = new Set<string>();
  private readonly special: AddedTokenConfig[] = [];
  private readonly nonSpecial: AddedTokenConfig[] = [];
  private readonly rawMatcher: TokenMatcher;
  private normalizedMatcher: { normalizer: Normalizer | null; matcher: TokenMatcher } | null = null;

  /**
   * Registers `addedTokens` in order, giving ids the way Rust's `add_tokens` does. The matcher for `normalizer`
   * (the one the pipeline will pass) is built now, so the first encode does not pay for it.
   */
  constructor(addedTokens: readonly AddedTokenConfig[], private readonly model: TokenizerModel, normalizer: Normalizer | null = null) {
    for (const token of addedTokens) this.add(token);
    this.rawMatcher = new TokenMatcher(this.patterns(false, (t) => t.content));
    this.matcherForNormalized(normalizer);
  }

  private add(token: AddedTokenConfig): void {
    if (token.special && token.content !== '' && !this.specialContents.has(token.content)) {
      this.special.push(token);
      this.specialContents.add(token.content);
    }
    if (token.content === '' || [...this.tokenById.values()].some((t) => sameToken(t, token))) return;
    // Rust keeps the id a token already has (here or in the model) and numbers new ones after
    // the larger of the model's vocabulary and the added ids; tokenizer.json ids only warn there.
    let id = this.idByContent.get(token.content) ?? this.model.tokenToId(token.content);
    if (id === undefined) {
      const vocabSize = this.model.vocabSize;
      const ids = [...this.idByContent.values()];
      const max = ids.length === 0 ? -1 : Math.max(...ids);
      id = max < 0 ? vocabSize : max >= vocabSize || vocabSize === 0 ? max + 1 : vocabSize;
    }
    this.idByContent.set(token.content, id);
    this.tokenById.set(id, token);
    if (!this.specialContents.has(token.content)) this.nonSpecial.push(token);
  }

  private patterns(normalized: boolean, patternOf: (t: AddedTokenConfig) => string): { pattern: string; id: number }[] {
    return [...this.special, ...this.nonSpecial]
      .filter((t) => t.normalized === normalized)
      .map((t) => ({ pattern: patternOf(t), id: this.idByContent.get(t.content)! }));
  }

  private matcherForNormalized(normalizer: Normalizer | null): TokenMatcher {
    if (this.normalizedMatcher === null || this.normalizedMatcher.normalizer !== normalizer) {
      const matcher = new TokenMatcher(
        this.patterns(true, (t) => {
          const s = new NormalizedString(t.content);
          normalizer?.normalize(s);
          return s.normalized;
        }),
      );
      this.normalizedMatcher = { normalizer, matcher };
    }
    return this.normalizedMatcher.matcher;
  }

  /** Split `text` on added tokens and normalize the rest (Rust's `extract_and_normalize`). */
  extractAndNormalize(text: string, normalizer: Normalizer | null): PreTokenizedString {
    const pre = new PreTokenizedString(new NormalizedString(text));
    pre.split((_, piece) => this.splitOnTokens(piece, this.rawMatcher));
    const normalizedMatcher = this.matcherForNormalized(normalizer);
    pre.split((_, piece) => {
      normalizer?.normalize(piece);
      return this.splitOnTokens(piece, normalizedMatcher);
    });
    return pre;
  }

  private splitOnTokens(piece: NormalizedString, matcher: TokenMatcher): SplitResult[] {
    if (matcher.isEmpty) return [piece];
    return this.findMatches(piece.normalized, matcher).map(([id, start, end]) => {
      const slice = piece.slice(start, end);
      if (id < 0) return slice;
      return { normalized: slice, tokens: [{ id, value: slice.normalized, offsets: [0, slice.length] }] };
    });
  }

  /** [id or -1, start, end] pieces covering `sentence`, with the token flags applied. */
  private findMatches(sentence: string, matcher: TokenMatcher): [number, number, number][] {
    if (sentence.length === 0) return [[-1, 0, 0]];
    const out: [number, number, number][] = [];
    let startOffset = 0;
    for (let m = matcher.findFrom(sentence, 0); m !== null; m = matcher.findFrom(sentence, m[1])) {
      let [start, stop] = m;
      const id = m[2];
      const token = this.tokenById.get(id)!;
      if (token.single_word) {
        const startSpace = start === 0 || !endsWithWordChar(sentence, start);
        const stopSpace = stop === sentence.length || !startsWithWordChar(sentence, stop);
        if (!startSpace || !stopSpace) continue;
      }
      if (token.lstrip) {
        // Spaces that an earlier match already took stay with it.
        start = Math.max(leadingSpaceStart(sentence, start), startOffset);
      }
      if (token.rstrip) stop = trailingSpaceEnd(sentence, stop);
      if (startOffset < start) out.push([-1, startOffset, start]);
      out.push([id, start, stop]);
      startOffset = stop;
    }
    if (startOffset !== sentence.length) out.push([-1, startOffset, sentence.length]);
    return out;
  }

  tokenToId(content: string): number | undefined {
    return this.idByContent.get(content);
  }

  idToToken(id: number): string | undefined {
    return this.tokenById.get(id)?.content;
  }

  /** True for the id of an added token marked `special` (what `skip_special_tokens` drops). */
  isSpecialId(id: number): boolean {
    const token = this.tokenById.get(id);
    return token !== undefined && this.specialContents.has(token.content);
  }

  isSpecialToken(content: string): boolean {
    return this.specialContents.has(content);
  }

  /** The special added tokens, in the order they were added. */
  specialTokens(): AddedTokenConfig[] {
    return [...this.special];
  }

  /** Every added token with its final id. */
  entries(): { id: number; token: AddedTokenConfig }[] {
    return [...this.tokenById.entries()].map(([id, token]) => ({ id, token }));
  }
}

function sameToken(a: AddedTokenConfig, b: AddedTokenConfig): boolean {
  return (
    a.content === b.content &&
    a.single_word === b.single_word &&
    a.lstrip === b.lstrip &&
    a.rstrip === b.rstrip &&
    a.normalized === b.normalized &&
    a.special === b.special
  );
}

function endsWithWordChar(text: string, end: number): boolean {
  return isWordChar(text.codePointAt(charStartBefore(text, end))!);
}

/** Index where the character that ends at `end` starts (steps over a surrogate pair). */
function charStartBefore(text: string, end: number): number {
  const unit = text.charCodeAt(end - 1);
  return unit >= 0xdc00 && unit <= 0xdfff && end >= 2 ? end - 2 : end - 1;
}

function startsWithWordChar(text: string, start: number): boolean {
  return isWordChar(text.codePointAt(start)!);
}

/** Start of the run of whitespace that ends at `end` (Rust's `space_leftmost_at_end`). */
function leadingSpaceStart(text: string, end: number): number {
  let i = end;
  while (i > 0) {
    const prev = charStartBefore(text, i);
    if (!isWhitespace(text.codePointAt(prev)!)) break;
    i = prev;
  }
  return i;
}

/** End of the run of whitespace that starts at `start` (Rust's `space_rightmost_at_start`). */
function trailingSpaceEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (!isWhitespace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}
