/**
 * The tokenizer.json pipeline, as Hugging Face's Rust `tokenizers` defines it, typed for JS.
 *
 *   text ─▶ added tokens split out ─▶ Normalizer ─▶ PreTokenizer ─▶ Model ─▶ PostProcessor ─▶ Encoding
 *   ids  ─▶ tokens ─▶ Decoder ─▶ text
 *
 * Offsets everywhere in this layer are UTF-16 code-unit indices, so `text.slice(start, end)` is
 * the span a token came from. (Rust reports Unicode code points; tests convert the goldens.)
 * Each component kind has a `from…Config(json)` factory beside its implementations that throws
 * `TokenizerConfigError` for an unknown `type` or a malformed field, at load time.
 */
import { WebformersError, type WebformersErrorDetails } from '../utils/errors.js';

/** [start, end) in UTF-16 code units. */
export type Offsets = [number, number];

/** A model's output token. `offsets` index into the string that was given to `tokenize`. */
export interface Token {
  readonly id: number;
  readonly value: string;
  readonly offsets: Readonly<Offsets>;
}

/**
 * A string being normalized that remembers, for each UTF-16 unit of `normalized`, the span of the
 * original string it came from (`alignments`). Implemented in `normalized-string.ts`.
 * Both units of a surrogate pair carry the same alignment; inserted characters carry the alignment
 * of the character they were derived from (as Rust's `NormalizedString::transform` does).
 */
export interface NormalizedStringLike {
  /** The original text this piece covers (Rust's `get_original`: the whole input before any split, then each piece's own span). */
  readonly original: string;
  /** The current (normalized) text. */
  readonly normalized: string;
  /** Map a [start, end) range of `normalized` to the corresponding range of the original string. */
  originalOffsets(range: Readonly<Offsets>): Offsets;
}

/** The pieces a pre-tokenizer produced; a piece whose `tokens` is set is final (an added token, or after the model ran). */
export interface Split<NS extends NormalizedStringLike = NormalizedStringLike> {
  normalized: NS;
  tokens: readonly Token[] | null;
}

export interface Normalizer {
  /** Normalize in place (the string keeps its alignments up to date). */
  normalize(s: import('./normalized-string.js').NormalizedString): void;
}

export interface PreTokenizer {
  preTokenize(p: import('./pre-tokenized-string.js').PreTokenizedString): void;
}

export interface TokenizerModel {
  /**
   * Tokenize one pre-tokenized piece; offsets index into `sequence`. The tokens may be shared with other
   * calls (models cache them per word, and a word repeats), hence read-only.
   */
  tokenize(sequence: string): readonly Token[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Token → id for the model's own vocabulary (not added tokens). */
  getVocab(): Map<string, number>;
  readonly vocabSize: number;
  /**
   * The prefix that marks a word's later pieces (WordPiece '##', some BPE models), or null. Python exposes it
   * on the model, and its token classification reads it to tell word pieces apart.
   */
  readonly continuingSubwordPrefix?: string | null;
}

/** Rust's `Decoder::decode_chain`: tokens in, string pieces out; the final text is their concatenation. */
export interface Decoder {
  decodeChain(tokens: string[]): string[];
}

/** The raw result of one sequence or a pair, like Rust's `Encoding`. All arrays have equal length. */
export interface EncodingData {
  ids: number[];
  tokens: string[];
  /** Relative to the sequence each token belongs to; special tokens added by a post-processor get [0, 0]. */
  offsets: Offsets[];
  typeIds: number[];
  attentionMask: number[];
  specialTokensMask: number[];
  /** Index of the pre-tokenized word each token belongs to; null for special tokens. */
  wordIds: (number | null)[];
  /** 0 or 1 for tokens of the first / second sequence; null for special tokens. */
  sequenceIds: (number | null)[];
  /** Windows cut off by truncation (with `stride` tokens of overlap), each itself an encoding. */
  overflowing: EncodingData[];
}

export interface PostProcessor {
  /** How many special tokens `process` adds for a single sequence or a pair. */
  addedTokens(isPair: boolean): number;
  /** Add special tokens / type ids. Inputs are already truncated. Applies to overflowing encodings too. */
  process(first: EncodingData, pair: EncodingData | null, addSpecialTokens: boolean): EncodingData;
}

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';
export type Direction = 'left' | 'right';

export interface TruncationParams {
  maxLength: number;
  strategy: TruncationStrategy;
  direction: Direction;
  stride: number;
}

export interface PaddingParams {
  /** 'longest' pads to the longest in the batch; a number pads to that length. */
  length: 'longest' | number;
  direction: Direction;
  padToMultipleOf?: number;
  padId: number;
  padTypeId: number;
  padToken: string;
}

/** tokenizer.json's `added_tokens` entries. */
export interface AddedTokenConfig {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A tokenizer.json (or tokenizer_config.json) is malformed or uses a component we do not support. */
export class TokenizerConfigError extends WebformersError {
  readonly component: string;
  constructor(component: string, message: string, details: WebformersErrorDetails = {}) {
    super('tokenizer_config', `tokenizer.json ${component}: ${message}`, {
      hint: 'Check that tokenizer.json was written by Hugging Face tokenizers (or transformers) and is complete; report an unsupported component with its JSON.',
      ...details,
    });
    this.component = component;
  }
}

/** Input that cannot be encoded as asked (e.g. truncation that cannot fit, a pair to a model without pair support). */
export class TokenizationError extends WebformersError {
  constructor(message: string, details: WebformersErrorDetails = {}) {
    super('tokenization', message, details);
  }
}

/** A JSON object as read from tokenizer.json. */
export type Json = Record<string, unknown>;
