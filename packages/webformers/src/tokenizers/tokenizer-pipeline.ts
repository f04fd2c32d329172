/**
 * The tokenizer.json pipeline assembled, as Rust's `tokenizers::Tokenizer`:
 *
 *   encode: added tokens split out → normalize → pre-tokenize → model → encoding (word ids, type id)
 *           → truncation (leaving room for the post-processor's special tokens) → post-process → padding
 *   decode: ids → tokens (added tokens, optionally skipping special ones) → decoder
 *
 * Everything is built and validated in `fromJSON`, so a malformed or unsupported component fails at
 * load time with a `TokenizerConfigError` naming it, never in the middle of an encode.
 */
import { AddedVocabulary } from './added-vocabulary.js';
import { decodeIds } from './decode-ids.js';
import { decoderFromConfig } from './decoders/index.js';
import { mergeEncodings, padEncodings, truncateEncodings } from './encoding.js';
import { modelFromConfig } from './models/index.js';
import { normalizerFromConfig } from './normalizers/index.js';
import { postProcessorFromConfig } from './post-processors/index.js';
import { preTokenizerFromConfig } from './pre-tokenizers/index.js';
import { readPaddingConfig, readTruncationConfig } from './pipeline-config.js';
import {
  TokenizerConfigError,
  type AddedTokenConfig,
  type Decoder,
  type EncodingData,
  type Json,
  type Normalizer,
  type PaddingParams,
  type PostProcessor,
  type PreTokenizer,
  type TokenizerModel,
  type TruncationParams,
} from './types.js';

/** One input of a batch: a text, or a [text, text_pair] pair. */
export type EncodeInput = string | [string, string];

/** Per-call overrides of tokenizer.json's own `truncation` / `padding` (null turns them off). */
export interface EncodeOptions {
  truncation?: TruncationParams | null;
  padding?: PaddingParams | null;
}

interface Components {
  normalizer: Normalizer | null;
  preTokenizer: PreTokenizer | null;
  model: TokenizerModel;
  postProcessor: PostProcessor | null;
  decoder: Decoder | null;
  addedVocabulary: AddedVocabulary;
  truncation: TruncationParams | null;
  padding: PaddingParams | null;
}

/** Run a component factory; anything it throws that is not already a config error becomes one naming the component. */
function buildComponent<T>(component: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof TokenizerConfigError) throw err;
    throw new TokenizerConfigError(component, err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function readAddedTokens(value: unknown): AddedTokenConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TokenizerConfigError('added_tokens', 'must be a list');
  return value.map((t: Json, i) => {
    if (typeof t !== 'object' || t === null || typeof t.content !== 'string' || !Number.isInteger(t.id)) {
      throw new TokenizerConfigError('added_tokens', `entry ${i} needs an integer "id" and a string "content", got ${JSON.stringify(t)}`);
    }
    return {
      id: t.id as number,
      content: t.content,
      single_word: t.single_word === true,
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      normalized: t.normalized !== false,
      special: t.special === true,
    };
  });
}

export class TokenizerPipeline {
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly model: TokenizerModel;
  readonly postProcessor: PostProcessor | null;
  readonly decoder: Decoder | null;
  readonly addedVocabulary: AddedVocabulary;
  private readonly addedTokenById: Map<number, AddedTokenConfig>;
  /** tokenizer.json's own settings, used when a call does not override them. */
  readonly truncation: TruncationParams | null;
  readonly padding: PaddingParams | null;

  private constructor(c: Components) {
    this.normalizer = c.normalizer;
    this.preTokenizer = c.preTokenizer;
    this.model = c.model;
    this.postProcessor = c.postProcessor;
    this.decoder = c.decoder;
    this.addedVocabulary = c.addedVocabulary;
    // Ids as the added vocabulary settled them (Rust renumbers clashing ones), not as the file wrote them.
    this.addedTokenById = new Map(c.addedVocabulary.entries().map(({ id, token }) => [id, token]));
    this.truncation = c.truncation;
    this.padding = c.padding;
  }

  static fromJSON(tokenizerJson: unknown): TokenizerPipeline {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null || Array.isArray(tokenizerJson)) {
      throw new TokenizerConfigError('root', 'tokenizer.json must hold a JSON object');
    }
    const json = tokenizerJson as Json;
    if (typeof json.model !== 'object' || json.model === null) {
      throw new TokenizerConfigError('model', 'tokenizer.json has no "model" object');
    }
    const model = buildComponent('model', () => modelFromConfig(json.model as Json));
    const addedTokens = readAddedTokens(json.added_tokens);
    const normalizer = buildComponent('normalizer', () => normalizerFromConfig(json.normalizer ?? null));
    return new TokenizerPipeline({
      normalizer,
      preTokenizer: buildComponent('pre_tokenizer', () => preTokenizerFromConfig(json.pre_tokenizer ?? null)),
      model,
      postProcessor: buildComponent('post_processor', () => postProcessorFromConfig(json.post_processor ?? null)),
      decoder: buildComponent('decoder', () => decoderFromConfig(json.decoder ?? null)),
      addedVocabulary: buildComponent('added_tokens', () => new AddedVocabulary(addedTokens, model, normalizer)),
      truncation: readTruncationConfig(json.truncation),
      padding: readPaddingConfig(json.padding),
    });
  }

  /** One sequence through added-token splitting, normalizer, pre-tokenizer and model. */
  private encodeSequence(text: string, typeId: 0 | 1): EncodingData {
    const pre = this.addedVocabulary.extractAndNormalize(text, this.normalizer);
    this.preTokenizer?.preTokenize(pre);
    pre.tokenize((piece) => this.model.tokenize(piece.normalized));
    const { ids, tokens, offsets, wordIds } = pre.toEncodingParts();
    const n = ids.length;
    return {
      ids,
      tokens,
      offsets,
      typeIds: new Array<number>(n).fill(typeId),
      attentionMask: new Array<number>(n).fill(1),
      specialTokensMask: new Array<number>(n).fill(0),
      wordIds,
      // Rust numbers sequences only in post-processors, so with none a pair reports sequence 0 for both
      // halves; numbering here gives the second half 1 in that case too (a deliberate difference).
      sequenceIds: new Array<number>(n).fill(typeId),
      overflowing: [],
    };
  }

  /** Rust `Tokenizer::post_process`: truncate (room kept for special tokens), add special tokens, merge. */
  private postProcess(
    first: EncodingData,
    pair: EncodingData | null,
    addSpecialTokens: boolean,
    truncation: TruncationParams | null,
  ): EncodingData {
    if (truncation) {
      const added = this.postProcessor?.addedTokens(pair !== null) ?? 0;
      const params = addSpecialTokens && added > 0 ? { ...truncation, maxLength: Math.max(0, truncation.maxLength - added) } : truncation;
      [first, pair] = truncateEncodings(first, pair, params);
    }
    if (this.postProcessor) return this.postProcessor.process(first, pair, addSpecialTokens);
    // Without a post-processor Rust concatenates; the pair already carries type id 1 from encodeSequence.
    return pair ? mergeEncodings([first, pair]) : first;
  }

  private encodeOne(input: EncodeInput, addSpecialTokens: boolean, truncation: TruncationParams | null): EncodingData {
    const [text, pairText] = typeof input === 'string' ? [input, null] : input;
    const first = this.encodeSequence(text, 0);
    const pair = pairText === null ? null : this.encodeSequence(pairText, 1);
    return this.postProcess(first, pair, addSpecialTokens, truncation);
  }

  encode(text: string, pair: string | null = null, addSpecialTokens = true, options: EncodeOptions = {}): EncodingData {
    return this.encodeBatch([pair === null ? text : [text, pair]], addSpecialTokens, options)[0];
  }

  /** Rust `encode_batch`: each input is padded on its own (fixed lengths), then the batch together. */
  encodeBatch(inputs: EncodeInput[], addSpecialTokens = true, options: EncodeOptions = {}): EncodingData[] {
    const truncation = options.truncation === undefined ? this.truncation : options.truncation;
    const padding = options.padding === undefined ? this.padding : options.padding;
    const encodings = inputs.map((input) => {
      const e = this.encodeOne(input, addSpecialTokens, truncation);
      return padding ? padEncodings([e], padding)[0] : e;
    });
    return padding ? padEncodings(encodings, padding) : encodings;
  }

  decode(ids: readonly number[], skipSpecialTokens = false): string {
    return decodeIds(ids, {
      model: this.model,
      addedTokens: this.addedTokenById,
      decoder: this.decoder,
      skipSpecialTokens,
    });
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.tokenToId(token) ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedVocabulary.idToToken(id) ?? this.model.idToToken(id);
  }

  /** Token → id; with added tokens, those override the model's entries as in Rust. */
  getVocab(withAddedTokens = true): Map<string, number> {
    const vocab = new Map(this.model.getVocab());
    if (withAddedTokens) {
      for (const [id, t] of this.addedTokenById) vocab.set(t.content, id);
    }
    return vocab;
  }

  getVocabSize(withAddedTokens = true): number {
    return this.getVocab(withAddedTokens).size;
  }
}
