/**
 * Byte-Pair Encoding, as Rust `tokenizers` runs it (GPT-2 / cl100k / Llama / Gemma style files).
 * `dropout` is read but never applied: inference is deterministic, as Rust is with dropout unset.
 */
import { TokenizerConfigError, type Json, type Token } from '../types.js';
import { ID_LIMIT, MergeTable } from './bpe-merges.js';
import { applyMerges, type WordSymbols } from './bpe-word.js';
import { byteTokenIds } from './byte-tokens.js';
import { readBoolean, readOptionalString, readVocabMap } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { VocabularyModel } from './vocab-model.js';
import { WordCache } from './word-cache.js';

export interface BpeOptions {
  unkToken: string | null;
  continuingSubwordPrefix: string | null;
  endOfWordSuffix: string | null;
  fuseUnk: boolean;
  byteFallback: boolean;
  /** A word that is itself in the vocabulary becomes one token without merging (Llama-3). */
  ignoreMerges: boolean;
}

/** Rust caches words shorter than 256 bytes; we bound by UTF-16 length, which is never longer. */
const CACHEABLE_WORD_LENGTH = 256;

export class BpeModel extends VocabularyModel {
  private readonly merges: MergeTable;
  private readonly options: BpeOptions;
  /** Per word: its tokens, handed out as they are (they are read-only) each time the word comes back. */
  private readonly cache = new WordCache<readonly Token[]>();
  /**
   * Id of each BMP character that is a token by itself (-1 when not), for files without a subword prefix or
   * suffix: a new word's characters are looked up without building a string per character.
   */
  private readonly unitIds: Int32Array | null;

  /** `merges` as tokenizer.json writes them; see MergeTable. */
  constructor(vocab: Map<string, number>, merges: unknown, options: BpeOptions, component = 'model') {
    super(vocab);
    this.merges = new MergeTable(merges, vocab, options.continuingSubwordPrefix, `${component}.merges`);
    this.options = options;
    // GPT-2's file sets both to "", which changes no piece.
    const affixed = Boolean(options.continuingSubwordPrefix) || Boolean(options.endOfWordSuffix);
    this.unitIds = affixed ? null : unitIdTable(vocab);
  }

  get continuingSubwordPrefix(): string | null {
    return this.options.continuingSubwordPrefix;
  }

  static fromConfig(json: Json, component = 'model'): BpeModel {
    const vocab = readVocabMap(json, 'vocab', component);
    for (const [token, id] of vocab) {
      if (id >= ID_LIMIT) throw new TokenizerConfigError(`${component}.vocab`, `id ${id} of ${JSON.stringify(token)} is above the supported ${ID_LIMIT - 1}`);
    }
    const options: BpeOptions = {
      unkToken: readOptionalString(json, 'unk_token', component),
      continuingSubwordPrefix: readOptionalString(json, 'continuing_subword_prefix', component),
      endOfWordSuffix: readOptionalString(json, 'end_of_word_suffix', component),
      fuseUnk: readBoolean(json, 'fuse_unk', component, false),
      byteFallback: readBoolean(json, 'byte_fallback', component, false),
      ignoreMerges: readBoolean(json, 'ignore_merges', component, false),
    };
    return new BpeModel(vocab, json.merges, options, component);
  }

  tokenize(sequence: string): readonly Token[] {
    if (sequence.length === 0) return [];
    // The cache is asked first even with ignore_merges: it is far smaller than the vocabulary, and a word
    // found in the vocabulary is cached as that one token.
    let tokens = this.cache.get(sequence);
    if (tokens === undefined) {
      const id = this.options.ignoreMerges ? this.vocab.get(sequence) : undefined;
      tokens = id === undefined ? this.mergeWord(sequence) : [{ id, value: this.vocabR[id], offsets: [0, sequence.length] }];
      if (sequence.length < CACHEABLE_WORD_LENGTH) this.cache.set(sequence, tokens);
    }
    return tokens;
  }

  /** Split into initial symbols as Rust's `merge_word` does, then merge. */
  private mergeWord(word: string): Token[] {
    const symbols = this.unitSymbols(word) ?? this.initialSymbols(word);
    const kept = applyMerges(symbols, this.merges);
    const tokens: Token[] = [];
    for (let s = 0; s < kept; s++) {
      const id = symbols.ids[s];
      tokens.push({ id, value: this.vocabR[id], offsets: [symbols.starts[s], symbols.ends[s]] });
    }
    return tokens;
  }

  /**
   * One symbol per unit when every unit of `word` is a token by itself (always so for byte-level files),
   * else null: the general loop below gives the same symbols, with bookkeeping this case never needs.
   */
  private unitSymbols(word: string): WordSymbols | null {
    const { unitIds } = this;
    if (unitIds === null) return null;
    const n = word.length;
    const ids = new Array<number>(n);
    const starts = new Array<number>(n);
    const ends = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const id = unitIds[word.charCodeAt(i)];
      if (id === -1) return null;
      ids[i] = id;
      starts[i] = i;
      ends[i] = i + 1;
    }
    return { ids, starts, ends };
  }

  /** Initial symbols with prefix/suffix, byte fallback and unk, as Rust's `merge_word` makes them. */
  private initialSymbols(word: string): WordSymbols {
    const { vocab, options } = this;
    const symbols: WordSymbols = { ids: [], starts: [], ends: [] };
    const add = (id: number, start: number, end: number) => {
      symbols.ids.push(id);
      symbols.starts.push(start);
      symbols.ends.push(end);
    };
    // Rust derives offsets by summing the lengths of the symbols in the order it adds them. So a character
    // dropped for lack of an unk token shifts the offsets after it, and byte tokens added while an unk is
    // pending come before that unk. `cursor` reproduces both.
    let cursor = 0;
    const addSpan = (id: number, length: number) => add(id, cursor, cursor + length);
    let pendingUnk: { id: number; length: number } | null = null;
    const flushUnk = () => {
      if (pendingUnk === null) return;
      addSpan(pendingUnk.id, pendingUnk.length);
      cursor += pendingUnk.length;
      pendingUnk = null;
    };
    const { unitIds } = this;
    for (let i = 0; i < word.length; ) {
      const unitId = unitIds === null ? -1 : unitIds[word.charCodeAt(i)];
      if (unitId !== -1) {
        flushUnk();
        addSpan(unitId, 1);
        cursor += 1;
        i += 1;
        continue;
      }
      const charLength = word.codePointAt(i)! > 0xffff ? 2 : 1;
      const char = word.slice(i, i + charLength);
      i += charLength;
      let piece = char;
      if (i > charLength && options.continuingSubwordPrefix !== null) piece = options.continuingSubwordPrefix + piece;
      if (i === word.length && options.endOfWordSuffix !== null) piece += options.endOfWordSuffix;

      const id = vocab.get(piece);
      if (id !== undefined) {
        flushUnk();
        addSpan(id, charLength);
        cursor += charLength;
        continue;
      }
      const byteIds = options.byteFallback ? byteTokenIds(piece, vocab) : null;
      if (byteIds) {
        // Each byte token carries the whole character's span.
        for (const byteId of byteIds) addSpan(byteId, charLength);
        cursor += charLength;
        continue;
      }
      if (options.unkToken === null) continue;
      const unkId = vocab.get(options.unkToken);
      if (unkId === undefined) {
        throw missingUnkError('BPE', 'unk_token', options.unkToken);
      }
      if (pendingUnk !== null && options.fuseUnk) {
        pendingUnk.length += charLength;
      } else {
        flushUnk();
        pendingUnk = { id: unkId, length: charLength };
      }
    }
    flushUnk();
    return symbols;
  }
}

/** `BpeModel.unitIds` for `vocab`; surrogate halves are never tokens by themselves, so they stay -1. */
function unitIdTable(vocab: ReadonlyMap<string, number>): Int32Array {
  const table = new Int32Array(0x10000).fill(-1);
  for (const [token, id] of vocab) {
    if (token.length !== 1) continue;
    const unit = token.charCodeAt(0);
    if (unit < 0xd800 || unit > 0xdfff) table[unit] = id;
  }
  return table;
}
