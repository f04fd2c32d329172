/** Prompt ids and masks arrive as Tensors (int64, as tokenizers return them) or nested arrays. */
import { InvalidArgumentError } from '../utils/errors.js';
import { Tensor } from '../utils/tensor.js';

export type IdsInput = Tensor | readonly (readonly (number | bigint)[])[];

/** Rows of plain numbers from a `[batch, length]` tensor or nested array; all rows must be equally long. */
export function toRows(input: IdsInput, name: string): number[][] {
  let rows: number[][];
  if (input instanceof Tensor) {
    if (input.dims.length !== 2) {
      throw new InvalidArgumentError(`${name} must have dims [batch, length], got [${input.dims.join(', ')}].`, { hint: 'Pass the tokenizer output (2-D), e.g. tokenizer(text).input_ids.' });
    }
    const [batch, length] = input.dims;
    const flat = Array.from(input.data as ArrayLike<number | bigint>, Number);
    rows = Array.from({ length: batch }, (_, b) => flat.slice(b * length, (b + 1) * length));
  } else {
    rows = input.map((row) => row.map(Number));
  }
  if (rows.length === 0 || rows[0].length === 0 || rows.some((row) => row.length !== rows[0].length)) {
    throw new InvalidArgumentError(`${name} must be a non-empty batch of equally long rows.`, { hint: 'Tokenize batches with padding (left padding for decoder-only models).' });
  }
  return rows;
}

/**
 * Python's `_prepare_attention_mask_for_generation`: without a mask, pad positions are masked only
 * when the pad id appears and differs from EOS (otherwise an EOS inside the prompt would be hidden).
 */
export function defaultAttentionMask(rows: number[][], padTokenId: number | null, eosTokenIds: readonly number[]): number[][] {
  const maskPads = padTokenId !== null && !eosTokenIds.includes(padTokenId) && rows.some((row) => row.includes(padTokenId));
  return rows.map((row) => row.map((id) => (maskPads && id === padTokenId ? 0 : 1)));
}

/** `repeat_interleave` order: each row repeated `times` times in place. */
export function expandedRowIndices(batch: number, times: number): number[] {
  return Array.from({ length: batch * times }, (_, i) => Math.floor(i / times));
}
