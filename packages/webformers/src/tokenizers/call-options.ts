/**
 * The options of `tokenizer(text, options)` (Python / transformers.js names) and how they become the
 * pipeline's truncation and padding params, following Python's `_get_padding_truncation_strategies`.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import type { Direction, PaddingParams, TruncationParams, TruncationStrategy } from './types.js';

export interface TokenizerCallOptions {
  /** Second sequence(s), one per text. */
  text_pair?: string | string[] | null;
  /** true / 'longest': pad to the longest in the batch; 'max_length': pad to `max_length`; false: none. Default false. */
  padding?: boolean | 'longest' | 'max_length' | 'do_not_pad';
  /** true = 'longest_first'. Default: off, unless `max_length` is given without padding (Python's rule). */
  truncation?: boolean | TruncationStrategy | 'do_not_truncate' | null;
  /** Defaults to tokenizer_config `model_max_length` when truncation or max_length padding needs it. */
  max_length?: number | null;
  /** Tokens of overlap between overflowing windows. Default 0. */
  stride?: number;
  pad_to_multiple_of?: number | null;
  /** Default from tokenizer_config `padding_side`, else 'right'. */
  padding_side?: Direction;
  /** Default from tokenizer_config `truncation_side`, else 'right'. */
  truncation_side?: Direction;
  /** Default true. */
  add_special_tokens?: boolean;
  /** Default true: input_ids / attention_mask / token_type_ids as int64 Tensors [batch, length]. */
  return_tensor?: boolean;
  /** Default: whether `model_input_names` includes token_type_ids. */
  return_token_type_ids?: boolean | null;
  /** Default true. */
  return_attention_mask?: boolean;
  return_offsets_mapping?: boolean;
  return_overflowing_tokens?: boolean;
  return_special_tokens_mask?: boolean;
  return_word_ids?: boolean;
  return_sequence_ids?: boolean;
}

export interface CallDefaults {
  modelMaxLength: number;
  paddingSide: Direction;
  truncationSide: Direction;
  pad: { id: number; token: string } | null;
}

function truncationStrategy(value: TokenizerCallOptions['truncation'], maxLength: number | null | undefined, padding: boolean): TruncationStrategy | null {
  if (value === undefined || value === null) {
    // Python: a max_length with no padding and no truncation asked means longest_first truncation.
    return maxLength !== undefined && maxLength !== null && !padding ? 'longest_first' : null;
  }
  if (value === false || value === 'do_not_truncate') return null;
  if (value === true) return 'longest_first';
  if (value === 'longest_first' || value === 'only_first' || value === 'only_second') return value;
  throw new InvalidArgumentError(`Unknown truncation ${JSON.stringify(value)}.`, {
    hint: "Use true, false, 'longest_first', 'only_first' or 'only_second'.",
  });
}

function paddingKind(value: TokenizerCallOptions['padding']): 'longest' | 'max_length' | null {
  if (value === undefined || value === false || value === 'do_not_pad') return null;
  if (value === true || value === 'longest') return 'longest';
  if (value === 'max_length') return 'max_length';
  throw new InvalidArgumentError(`Unknown padding ${JSON.stringify(value)}.`, { hint: "Use true, false, 'longest' or 'max_length'." });
}

function positiveLength(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${value}.`, { hint: 'Pass a whole number of tokens.' });
  }
  return value;
}

export function resolveTruncationAndPadding(
  options: TokenizerCallOptions,
  defaults: CallDefaults,
): { truncation: TruncationParams | null; padding: PaddingParams | null } {
  const padKind = paddingKind(options.padding);
  const strategy = truncationStrategy(options.truncation, options.max_length, padKind !== null);
  const explicitMax = options.max_length ?? null;
  const maxLength = explicitMax ?? (Number.isFinite(defaults.modelMaxLength) ? defaults.modelMaxLength : null);

  // Python silently skips truncation / max_length padding when no length is known (model_max_length unset).
  const truncation: TruncationParams | null =
    strategy && maxLength !== null
      ? {
          maxLength: positiveLength(maxLength, 'max_length'),
          strategy,
          stride: positiveLength(options.stride ?? 0, 'stride'),
          direction: options.truncation_side ?? defaults.truncationSide,
        }
      : null;

  let padding: PaddingParams | null = null;
  const length = padKind === 'max_length' ? maxLength : padKind === 'longest' ? 'longest' : null;
  if (length !== null) {
    if (!defaults.pad) {
      throw new InvalidArgumentError('Asked to pad, but the tokenizer has no pad token (nor an eos token to stand in).', {
        hint: 'Set tokenizer_config pad_token, or call without padding.',
      });
    }
    padding = {
      length,
      direction: options.padding_side ?? defaults.paddingSide,
      padToMultipleOf: options.pad_to_multiple_of ?? undefined,
      padId: defaults.pad.id,
      padTypeId: 0,
      padToken: defaults.pad.token,
    };
  }
  return { truncation, padding };
}
