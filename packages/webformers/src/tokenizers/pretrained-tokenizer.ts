/**
 * The user-facing tokenizer with the Python transformers / transformers.js API: call it on text(s)
 * (`tokenizer(texts, { padding: true })`), `encode`, `decode`, `batch_decode`, token/id conversion,
 * special-token getters and `apply_chat_template`. The work is done by `TokenizerPipeline` (the
 * tokenizer.json pipeline, Rust semantics); this layer adds tokenizer_config.json's settings and
 * Python's conventions on top (defaults, cleanup of decoded text, output shapes).
 */
import { InvalidArgumentError } from '../utils/errors.js';
import { Tensor } from '../utils/tensor.js';
import { buildBatchEncoding, type BatchEncoding } from './batch-encoding.js';
import { resolveTruncationAndPadding, type TokenizerCallOptions } from './call-options.js';
import { Callable } from './callable.js';
import { renderChatTemplate, selectChatTemplate, type ChatMessage, type ChatTemplateOptions } from './chat-template.js';
import { cleanUpTokenization } from './clean-up-tokenization.js';
import { readTokenizerSettings, SPECIAL_TOKEN_NAMES, type TokenizerSettings } from './tokenizer-config.js';
import { TokenizerPipeline, type EncodeInput } from './tokenizer-pipeline.js';
import type { EncodingData, Json } from './types.js';

export interface DecodeOptions {
  /** Default false. */
  skip_special_tokens?: boolean;
  /** Default: tokenizer_config `clean_up_tokenization_spaces` (false when absent). */
  clean_up_tokenization_spaces?: boolean;
}

/** `encode` options: as for a call, and truncation follows the same defaults. */
export type EncodeTextOptions = Pick<TokenizerCallOptions, 'add_special_tokens' | 'truncation' | 'max_length' | 'stride' | 'truncation_side'> & {
  text_pair?: string | null;
};

export interface ApplyChatTemplateOptions extends ChatTemplateOptions {
  /** Default true: return token ids instead of the rendered text. */
  tokenize?: boolean;
  /** Default true: ids as an int64 Tensor [1, length]. */
  return_tensor?: boolean;
  /** Return the whole `tokenizer(...)` dictionary instead of only the ids. Default false. */
  return_dict?: boolean;
  padding?: TokenizerCallOptions['padding'];
  truncation?: TokenizerCallOptions['truncation'];
  max_length?: number | null;
}

type Ids = readonly number[] | readonly bigint[] | Tensor;

function idList(ids: Ids): number[] {
  const values = ids instanceof Tensor ? Array.from(ids.data as ArrayLike<number | bigint | string>) : Array.from(ids as ArrayLike<number | bigint>);
  return values.map((v) => Number(v));
}

/** A tensor or nested array of ids → one list per row. */
function idRows(batch: Ids | readonly Ids[]): number[][] {
  if (batch instanceof Tensor) {
    if (batch.dims.length !== 2) throw new InvalidArgumentError(`batch_decode needs a 2-D tensor, got dims [${batch.dims.join(', ')}].`, { hint: 'Pass [batch, length] ids.' });
    const width = batch.dims[1];
    const flat = idList(batch);
    return Array.from({ length: batch.dims[0] }, (_, i) => flat.slice(i * width, (i + 1) * width));
  }
  return (batch as readonly Ids[]).map(idList);
}

export interface PreTrainedTokenizer {
  (text: string | string[], options?: TokenizerCallOptions): BatchEncoding;
}

export class PreTrainedTokenizer extends Callable<[string | string[], TokenizerCallOptions?], BatchEncoding> {
  declare readonly pipeline: TokenizerPipeline;
  declare readonly settings: TokenizerSettings;
  declare readonly config: Json;

  constructor(pipeline: TokenizerPipeline, config: Json) {
    super();
    // `this` is the function object Callable returned; declared (not initialized) fields keep it that way.
    Object.assign(this, { pipeline, config, settings: readTokenizerSettings(config) });
  }

  /** Build from parsed tokenizer.json and tokenizer_config.json. */
  static fromJSON(tokenizerJson: unknown, tokenizerConfig: Json = {}): PreTrainedTokenizer {
    return new PreTrainedTokenizer(TokenizerPipeline.fromJSON(tokenizerJson), tokenizerConfig ?? {});
  }

  protected _call(text: string | string[], options: TokenizerCallOptions = {}): BatchEncoding {
    const isBatch = Array.isArray(text);
    const encodings = this.encodeTexts(isBatch ? text : [text], options);
    const tensor = options.return_tensor ?? true;
    const overflowing = options.return_overflowing_tokens ?? false;
    return buildBatchEncoding(encodings, {
      tensor,
      unbatch: !isBatch && !tensor && !overflowing,
      attentionMask: options.return_attention_mask ?? true,
      tokenTypeIds: options.return_token_type_ids ?? this.settings.modelInputNames.includes('token_type_ids'),
      offsets: options.return_offsets_mapping ?? false,
      overflowing,
      specialTokensMask: options.return_special_tokens_mask ?? false,
      wordIds: options.return_word_ids ?? false,
      sequenceIds: options.return_sequence_ids ?? false,
    });
  }

  /** The pipeline's encodings for a call's texts, with the call's pairs, truncation and padding applied. */
  private encodeTexts(texts: string[], options: TokenizerCallOptions): EncodingData[] {
    const pairs = options.text_pair === undefined || options.text_pair === null ? null : Array.isArray(options.text_pair) ? options.text_pair : [options.text_pair];
    if (pairs && pairs.length !== texts.length) {
      throw new InvalidArgumentError(`Got ${texts.length} texts but ${pairs.length} text_pair entries.`, { hint: 'Pass one text_pair per text.' });
    }
    const inputs: EncodeInput[] = texts.map((t, i) => (pairs ? [t, pairs[i]] : t));
    const { truncation, padding } = resolveTruncationAndPadding(options, {
      modelMaxLength: this.settings.modelMaxLength,
      paddingSide: this.settings.paddingSide,
      truncationSide: this.settings.truncationSide,
      pad: this.padToken(),
    });
    return this.pipeline.encodeBatch(inputs, options.add_special_tokens ?? true, { truncation, padding });
  }

  /** The pad token; a model without one (GPT-2, ...) pads with its eos token, as the Python goldens do (pad_token = eos_token). */
  private padToken(): { id: number; token: string } | null {
    const token = this.settings.specialTokens.pad_token ?? this.settings.specialTokens.eos_token;
    const id = token === null ? undefined : this.pipeline.tokenToId(token);
    return token === null || id === undefined ? null : { id, token };
  }

  /** Python's `encode`: the ids of one text (or pair), as `tokenizer(text).input_ids` without a batch axis. */
  encode(text: string, options: EncodeTextOptions = {}): number[] {
    // What `_call` would return as input_ids for one text without tensors: the main encoding's ids.
    return this.encodeTexts([text], options)[0].ids;
  }

  decode(ids: Ids, options: DecodeOptions = {}): string {
    const text = this.pipeline.decode(idList(ids), options.skip_special_tokens ?? false);
    const cleanUp = options.clean_up_tokenization_spaces ?? this.settings.cleanUpTokenizationSpaces;
    return cleanUp ? cleanUpTokenization(text) : text;
  }

  batch_decode(batch: Ids | readonly Ids[], options: DecodeOptions = {}): string[] {
    return idRows(batch).map((ids) => this.decode(ids, options));
  }

  convert_ids_to_tokens(ids: number): string | undefined;
  convert_ids_to_tokens(ids: readonly number[]): (string | undefined)[];
  convert_ids_to_tokens(ids: number | readonly number[]): string | undefined | (string | undefined)[] {
    return typeof ids === 'number' ? this.pipeline.idToToken(ids) : ids.map((id) => this.pipeline.idToToken(id));
  }

  /** Unknown tokens map to the unk token's id (undefined when there is none), as in Python. */
  convert_tokens_to_ids(tokens: string): number | undefined;
  convert_tokens_to_ids(tokens: readonly string[]): (number | undefined)[];
  convert_tokens_to_ids(tokens: string | readonly string[]): number | undefined | (number | undefined)[] {
    const one = (t: string): number | undefined => this.pipeline.tokenToId(t) ?? this.unk_token_id ?? undefined;
    return typeof tokens === 'string' ? one(tokens) : tokens.map(one);
  }

  get_vocab(): Map<string, number> {
    return this.pipeline.getVocab(true);
  }

  get model_max_length(): number {
    return this.settings.modelMaxLength;
  }

  private tokenId(token: string | null): number | null {
    return token === null ? null : (this.pipeline.tokenToId(token) ?? null);
  }

  get bos_token(): string | null { return this.settings.specialTokens.bos_token; }
  get eos_token(): string | null { return this.settings.specialTokens.eos_token; }
  get unk_token(): string | null { return this.settings.specialTokens.unk_token; }
  get sep_token(): string | null { return this.settings.specialTokens.sep_token; }
  get pad_token(): string | null { return this.settings.specialTokens.pad_token; }
  get cls_token(): string | null { return this.settings.specialTokens.cls_token; }
  get mask_token(): string | null { return this.settings.specialTokens.mask_token; }
  get bos_token_id(): number | null { return this.tokenId(this.bos_token); }
  get eos_token_id(): number | null { return this.tokenId(this.eos_token); }
  get unk_token_id(): number | null { return this.tokenId(this.unk_token); }
  get sep_token_id(): number | null { return this.tokenId(this.sep_token); }
  get pad_token_id(): number | null { return this.tokenId(this.pad_token); }
  get cls_token_id(): number | null { return this.tokenId(this.cls_token); }
  get mask_token_id(): number | null { return this.tokenId(this.mask_token); }

  /** The special tokens that are set, by name, plus `additional_special_tokens` (Python's `special_tokens_map`, also given to chat templates). */
  get special_tokens_map(): Record<string, string | string[]> {
    const map: Record<string, string | string[]> = {};
    for (const name of SPECIAL_TOKEN_NAMES) {
      const token = this.settings.specialTokens[name];
      if (token !== null) map[name] = token;
    }
    if (this.settings.additionalSpecialTokens.length > 0) map.additional_special_tokens = [...this.settings.additionalSpecialTokens];
    return map;
  }

  apply_chat_template(messages: ChatMessage[], options: ApplyChatTemplateOptions & { tokenize: false }): string;
  apply_chat_template(messages: ChatMessage[], options?: ApplyChatTemplateOptions): string | number[] | Tensor | BatchEncoding;
  apply_chat_template(messages: ChatMessage[], options: ApplyChatTemplateOptions = {}): string | number[] | Tensor | BatchEncoding {
    const template = selectChatTemplate(this.settings.chatTemplate, options.chat_template, (options.tools?.length ?? 0) > 0);
    const rendered = renderChatTemplate(template, messages, options, this.special_tokens_map);
    if (options.tokenize === false) return rendered;
    // The template already wrote every special token it wants.
    const out = this._call(rendered, {
      add_special_tokens: false,
      padding: options.padding,
      truncation: options.truncation,
      max_length: options.max_length,
      return_tensor: options.return_tensor ?? true,
    });
    return options.return_dict ? out : (out.input_ids as number[] | Tensor);
  }
}
