/**
 * Generation settings with the names and defaults of Python transformers' `GenerationConfig`
 * (4.47): a model's `generation_config.json` is overlaid by the call's options, as
 * `generation_config.update(**kwargs)` does, then checked once before any model work starts.
 */
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';

export type EarlyStopping = boolean | 'never';

export interface GenerationConfig {
  /** Total sequence length (prompt or decoder start included). Default 20. */
  max_length: number;
  /** New tokens to generate; when set it wins over `max_length`. */
  max_new_tokens: number | null;
  /** Minimum total length before EOS may be produced. Default 0. */
  min_length: number;
  min_new_tokens: number | null;
  do_sample: boolean;
  /** Softmax temperature (sampling only). Default 1. */
  temperature: number;
  /** Keep the k most likely tokens (sampling only); 0 disables. Default 50. */
  top_k: number;
  /** Nucleus mass (sampling only). Default 1 (off). */
  top_p: number;
  min_p: number | null;
  /** Locally typical mass (sampling only). Default 1 (off). */
  typical_p: number;
  repetition_penalty: number;
  no_repeat_ngram_size: number;
  bad_words_ids: number[][] | null;
  num_beams: number;
  /** Refused above 1: diverse (group) beam search is not implemented. */
  num_beam_groups: number;
  length_penalty: number;
  early_stopping: EarlyStopping;
  num_return_sequences: number;
  eos_token_id: number | number[] | null;
  pad_token_id: number | null;
  bos_token_id: number | null;
  decoder_start_token_id: number | null;
  forced_bos_token_id: number | null;
  forced_eos_token_id: number | number[] | null;
  suppress_tokens: number[] | null;
  begin_suppress_tokens: number[] | null;
  stop_strings: string | string[] | null;
  /** Seed of the sampling generator; absent = a fresh random seed per call. */
  seed: number | null;
  return_dict_in_generate: boolean;
  output_scores: boolean;
}

export const DEFAULT_GENERATION_CONFIG: Readonly<GenerationConfig> = Object.freeze({
  max_length: 20,
  max_new_tokens: null,
  min_length: 0,
  min_new_tokens: null,
  do_sample: false,
  temperature: 1.0,
  top_k: 50,
  top_p: 1.0,
  min_p: null,
  typical_p: 1.0,
  repetition_penalty: 1.0,
  no_repeat_ngram_size: 0,
  bad_words_ids: null,
  num_beams: 1,
  num_beam_groups: 1,
  length_penalty: 1.0,
  early_stopping: false,
  num_return_sequences: 1,
  eos_token_id: null,
  pad_token_id: null,
  bos_token_id: null,
  decoder_start_token_id: null,
  forced_bos_token_id: null,
  forced_eos_token_id: null,
  suppress_tokens: null,
  begin_suppress_tokens: null,
  stop_strings: null,
  seed: null,
  return_dict_in_generate: false,
  output_scores: false,
});

export type GenerationOptions = Partial<{ [K in keyof GenerationConfig]: GenerationConfig[K] | undefined }>;

const KNOWN_KEYS = new Set(Object.keys(DEFAULT_GENERATION_CONFIG));

/**
 * Defaults < `generation_config.json` < call options. `undefined` means "not given"; `null` clears a
 * value, as passing `None` does in Python. Keys that are not generation settings are ignored, since
 * `generation_config.json` also carries bookkeeping such as `transformers_version`.
 */
export function mergeGenerationConfig(
  modelConfig: Record<string, unknown> | null | undefined,
  callOptions: GenerationOptions | Record<string, unknown> = {},
): GenerationConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_GENERATION_CONFIG };
  for (const layer of [modelConfig ?? {}, callOptions]) {
    for (const [key, value] of Object.entries(layer)) {
      if (KNOWN_KEYS.has(key) && value !== undefined) merged[key] = value;
    }
  }
  return merged as unknown as GenerationConfig;
}

/** EOS ids as a list, whichever form the config used. */
export function eosTokenIds(config: Pick<GenerationConfig, 'eos_token_id'>): number[] {
  const eos = config.eos_token_id;
  return eos === null ? [] : Array.isArray(eos) ? [...eos] : [eos];
}

function fail(option: string, value: unknown, expected: string): never {
  throw new InvalidArgumentError(`Generation option ${option}=${JSON.stringify(value)} is invalid: expected ${expected}.`, {
    hint: `Pass ${option} as ${expected}, or leave it out to use the default.`,
  });
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function checkTokenList(option: string, value: unknown): void {
  if (value === null) return;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((id) => isInt(id) && id >= 0)) fail(option, value, 'a token id or a list of token ids (integers >= 0)');
}

/** Rejects settings Python rejects (or that would make the loop misbehave), before any model call. */
export function validateGenerationConfig(config: GenerationConfig): void {
  if (!isInt(config.max_length) || config.max_length < 1) fail('max_length', config.max_length, 'an integer >= 1');
  if (config.max_new_tokens !== null && (!isInt(config.max_new_tokens) || config.max_new_tokens <= 0)) {
    fail('max_new_tokens', config.max_new_tokens, 'an integer > 0');
  }
  if (!isInt(config.min_length) || config.min_length < 0) fail('min_length', config.min_length, 'an integer >= 0');
  if (config.min_new_tokens !== null && (!isInt(config.min_new_tokens) || config.min_new_tokens < 0)) {
    fail('min_new_tokens', config.min_new_tokens, 'an integer >= 0');
  }
  if (!isInt(config.num_beams) || config.num_beams < 1) fail('num_beams', config.num_beams, 'an integer >= 1');
  if (config.num_beam_groups !== 1) {
    throw new NotSupportedError(`num_beam_groups=${config.num_beam_groups} (diverse beam search) is not supported.`, {
      hint: 'Use num_beam_groups: 1 (plain beam search).',
    });
  }
  if (!isInt(config.num_return_sequences) || config.num_return_sequences < 1) {
    fail('num_return_sequences', config.num_return_sequences, 'an integer >= 1');
  }
  if (config.num_beams > 1 && config.num_return_sequences > config.num_beams) {
    throw new InvalidArgumentError(
      `num_return_sequences (${config.num_return_sequences}) is larger than num_beams (${config.num_beams}).`,
      { hint: 'Beam search can return at most num_beams sequences: raise num_beams or lower num_return_sequences.' },
    );
  }
  if (config.num_beams === 1 && !config.do_sample && config.num_return_sequences !== 1) {
    throw new InvalidArgumentError(`num_return_sequences=${config.num_return_sequences} with greedy search would return copies.`, {
      hint: 'Use do_sample: true or num_beams > 1 to get several different sequences.',
    });
  }
  if (config.do_sample && config.num_beams > 1) {
    throw new NotSupportedError('Beam sampling (do_sample with num_beams > 1) is not supported.', {
      hint: 'Use either do_sample: true with num_beams: 1, or beam search with do_sample: false.',
    });
  }
  if (!(config.repetition_penalty > 0)) fail('repetition_penalty', config.repetition_penalty, 'a number > 0');
  if (!isInt(config.no_repeat_ngram_size) || config.no_repeat_ngram_size < 0) {
    fail('no_repeat_ngram_size', config.no_repeat_ngram_size, 'an integer >= 0');
  }
  if (!Number.isFinite(config.length_penalty)) fail('length_penalty', config.length_penalty, 'a finite number');
  if (config.early_stopping !== true && config.early_stopping !== false && config.early_stopping !== 'never') {
    fail('early_stopping', config.early_stopping, "true, false or 'never'");
  }
  if (config.do_sample) validateSamplingOptions(config);
  checkTokenList('eos_token_id', config.eos_token_id);
  checkTokenList('forced_eos_token_id', config.forced_eos_token_id);
  for (const key of ['pad_token_id', 'bos_token_id', 'decoder_start_token_id', 'forced_bos_token_id'] as const) {
    const id = config[key];
    if (id !== null && (!isInt(id) || id < 0)) fail(key, id, 'a token id (integer >= 0)');
  }
  checkTokenList('suppress_tokens', config.suppress_tokens);
  checkTokenList('begin_suppress_tokens', config.begin_suppress_tokens);
  const badWords = config.bad_words_ids;
  if (badWords !== null && !(Array.isArray(badWords) && badWords.every((seq) => Array.isArray(seq) && seq.length > 0 && seq.every((id) => isInt(id) && id >= 0)))) {
    fail('bad_words_ids', badWords, 'a list of non-empty lists of token ids');
  }
  const stops = config.stop_strings;
  if (stops !== null && !(typeof stops === 'string' ? stops.length > 0 : Array.isArray(stops) && stops.every((s) => typeof s === 'string' && s.length > 0))) {
    fail('stop_strings', stops, 'a non-empty string or a list of them');
  }
  if (config.seed !== null && !isInt(config.seed)) fail('seed', config.seed, 'an integer');
}

/** The warpers' own range checks; Python only builds (and so only checks) them when sampling. */
function validateSamplingOptions(config: GenerationConfig): void {
  if (!(config.temperature > 0)) fail('temperature', config.temperature, 'a number > 0 (use do_sample: false for greedy)');
  if (!isInt(config.top_k) || config.top_k < 0) fail('top_k', config.top_k, 'an integer >= 0 (0 disables it)');
  if (!(config.top_p >= 0 && config.top_p <= 1)) fail('top_p', config.top_p, 'a number in [0, 1]');
  if (config.min_p !== null && !(config.min_p >= 0 && config.min_p <= 1)) fail('min_p', config.min_p, 'a number in [0, 1]');
  if (!(config.typical_p > 0 && config.typical_p <= 1)) fail('typical_p', config.typical_p, 'a number in (0, 1]');
}

/** What `resolveLengths` needs to know about the call and the model besides the merged config. */
export interface LengthContext {
  /** The call did not pass `max_length` (Python's `has_default_max_length`). */
  maxLengthIsDefault: boolean;
  /** The model's `max_position_embeddings`, which caps the default length. */
  maxPositions?: number;
}

/**
 * Python's `_prepare_generated_length`: `max_new_tokens` / `min_new_tokens` are turned into total
 * lengths counted from the ids the decoder starts with (the prompt, or the decoder start token).
 * When neither the call nor the model changed `max_length` from 20, Python reads it as "20 new
 * tokens" (so an encoder-decoder model returns 21 ids with its start token), capped by the
 * model's position table.
 */
export function resolveLengths(config: GenerationConfig, inputLength: number, context?: LengthContext): { maxLength: number; minLength: number } {
  const defaultLength = context?.maxLengthIsDefault === true && config.max_length === DEFAULT_GENERATION_CONFIG.max_length;
  const maxLength = config.max_new_tokens !== null
    ? config.max_new_tokens + inputLength
    : defaultLength ? Math.min(config.max_length + inputLength, context?.maxPositions ?? Infinity) : config.max_length;
  const minLength = config.min_new_tokens !== null ? config.min_new_tokens + inputLength : config.min_length;
  return { maxLength, minLength };
}
