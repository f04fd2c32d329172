/**
 * Unigram (SentencePiece, T5): the most likely segmentation of each word by Viterbi over a trie of
 * pieces, as Rust `tokenizers`' optimized encoder computes it. A character with no piece of its own
 * costs (lowest score − 10) as unknown, consecutive unknowns fuse into one token, and on equal
 * scores the path found first (the one whose last piece starts earliest) wins.
 */
import { TokenizerConfigError, type Json, type Token } from '../types.js';
import { byteTokenIds, byteTokensOf } from './byte-tokens.js';
import { readBoolean, readOptionalCount } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { UnitTrie } from './unit-trie.js';
import { VocabularyModel } from './vocab-model.js';
import { WordCache } from './word-cache.js';

const UNKNOWN_PENALTY = 10;

export class UnigramModel extends VocabularyModel {
  private readonly scores: number[];
  /** The pieces, a later duplicate keeping its id as Rust's token → id map does. */
  private readonly trie: UnitTrie;
  private readonly unkScore: number;
  /** Per word: the tokens of its best path (unknown runs fused), handed out as they are. */
  private readonly cache = new WordCache<readonly Token[]>();

  constructor(
    pieces: readonly (readonly [string, number])[],
    private readonly unkId: number | null,
    private readonly byteFallback: boolean,
  ) {
    const vocab = new Map<string, number>();
    pieces.forEach(([piece], id) => vocab.set(piece, id));
    super(vocab);
    this.scores = pieces.map(([, score]) => score);
    this.trie = new UnitTrie(vocab);
    this.unkScore = this.scores.reduce((min, s) => Math.min(min, s), Infinity) - UNKNOWN_PENALTY;
  }

  static fromConfig(json: Json, component = 'model'): UnigramModel {
    const raw = json.vocab;
    if (!Array.isArray(raw)) throw new TokenizerConfigError(`${component}.vocab`, 'expected an array of [piece, score] pairs');
    const pieces = raw.map((entry: unknown, i) => {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        throw new TokenizerConfigError(`${component}.vocab[${i}]`, `expected [piece, score], got ${JSON.stringify(entry)}`);
      }
      return entry as [string, number];
    });
    const unkId = readOptionalCount(json, 'unk_id', component);
    if (unkId !== null && unkId >= pieces.length) {
      throw new TokenizerConfigError(`${component}.unk_id`, `${unkId} is outside the vocabulary of ${pieces.length} pieces`);
    }
    return new UnigramModel(pieces, unkId, readBoolean(json, 'byte_fallback', component, false));
  }

  tokenize(sequence: string): readonly Token[] {
    let tokens = this.cache.get(sequence);
    if (tokens === undefined) {
      tokens = this.tokensOf(this.bestPath(sequence));
      this.cache.set(sequence, tokens);
    }
    return tokens;
  }

  /** The best path's pieces as tokens: vocabulary pieces, else byte tokens, else unknown. */
  private tokensOf(pieces: readonly string[]): Token[] {
    const tokens: Token[] = [];
    let offset = 0;
    for (const piece of pieces) {
      const offsets: [number, number] = [offset, offset + piece.length];
      offset += piece.length;
      const id = this.vocab.get(piece);
      if (id !== undefined) {
        tokens.push({ id, value: piece, offsets });
        continue;
      }
      const byteIds = this.byteFallback ? byteTokenIds(piece, this.vocab) : null;
      if (byteIds) {
        const values = byteTokensOf(piece);
        byteIds.forEach((byteId, i) => tokens.push({ id: byteId, value: values[i], offsets: [...offsets] }));
        continue;
      }
      if (this.unkId === null) throw missingUnkError('Unigram', 'unk_id', null);
      // Rust keeps the unknown text itself as the token's value, not the unk piece.
      tokens.push({ id: this.unkId, value: piece, offsets });
    }
    return tokens;
  }

  /** Viterbi: best[end] is the best-scoring path over sequence[0, end), ending in one piece. */
  private bestPath(sequence: string): string[] {
    const n = sequence.length;
    if (n === 0) return [];
    const score = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const pieceId = new Int32Array(n + 1);
    const offer = (start: number, end: number, id: number, candidate: number) => {
      if (from[end] === -1 || candidate > score[end]) {
        score[end] = candidate;
        from[end] = start;
        pieceId[end] = id;
      }
    };
    for (let start = 0; start < n; ) {
      const charLength = sequence.codePointAt(start)! > 0xffff ? 2 : 1;
      const here = score[start];
      let hasSingleCharPiece = false;
      this.trie.forEachPrefix(sequence, start, (end, id) => {
        offer(start, end, id, here + this.scores[id]);
        if (end - start === charLength) hasSingleCharPiece = true;
      });
      if (!hasSingleCharPiece) {
        if (this.unkId === null) throw missingUnkError('Unigram', 'unk_id', null);
        offer(start, start + charLength, this.unkId, here + this.unkScore);
      }
      start += charLength;
    }
    const pieces: string[] = [];
    let unknownRunStart = -1;
    let unknownRunEnd = -1;
    for (let end = n; end > 0; ) {
      const start = from[end];
      if (pieceId[end] === this.unkId) {
        if (unknownRunEnd === -1) unknownRunEnd = end;
        unknownRunStart = start;
      } else {
        if (unknownRunEnd !== -1) pieces.push(sequence.slice(unknownRunStart, unknownRunEnd));
        unknownRunEnd = -1;
        pieces.push(sequence.slice(start, end));
      }
      end = start;
    }
    if (unknownRunEnd !== -1) pieces.push(sequence.slice(unknownRunStart, unknownRunEnd));
    return pieces.reverse();
  }
}
