/**
 * Turns pipeline encodings into the dictionary `tokenizer(...)` returns, with Python's keys:
 * tensors (int64, [batch, length]) for input_ids / attention_mask / token_type_ids when asked,
 * nested arrays for everything else. With `return_overflowing_tokens`, every overflowing window
 * becomes its own row and `overflow_to_sample_mapping` says which input it came from.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import { Tensor } from '../utils/tensor.js';
import type { EncodingData, Offsets } from './types.js';

export interface BatchEncoding {
  input_ids: Tensor | number[][] | number[];
  attention_mask?: Tensor | number[][] | number[];
  token_type_ids?: Tensor | number[][] | number[];
  offset_mapping?: Offsets[][] | Offsets[];
  special_tokens_mask?: number[][] | number[];
  word_ids?: (number | null)[][] | (number | null)[];
  sequence_ids?: (number | null)[][] | (number | null)[];
  overflow_to_sample_mapping?: number[];
}

export interface OutputChoice {
  tensor: boolean;
  /** Drop the batch axis (a single text, no tensors, no overflow rows), as Python does. */
  unbatch: boolean;
  attentionMask: boolean;
  tokenTypeIds: boolean;
  offsets: boolean;
  overflowing: boolean;
  specialTokensMask: boolean;
  wordIds: boolean;
  sequenceIds: boolean;
}

function toTensor(rows: number[][], field: string): Tensor {
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) {
    throw new InvalidArgumentError(`Cannot make a ${field} tensor: the sequences have different lengths (${rows.map((r) => r.length).join(', ')}).`, {
      hint: "Pass padding: true (or 'max_length'), or return_tensor: false for ragged lists.",
    });
  }
  return new Tensor('int64', rows.flat().map((v) => BigInt(v)), [rows.length, width]);
}

export function buildBatchEncoding(encodings: EncodingData[], choice: OutputChoice): BatchEncoding {
  const rows: EncodingData[] = [];
  const sampleOf: number[] = [];
  encodings.forEach((e, i) => {
    for (const row of choice.overflowing ? [e, ...e.overflowing] : [e]) {
      rows.push(row);
      sampleOf.push(i);
    }
  });
  const unbatch = choice.unbatch && rows.length === 1;
  const list = <T>(pick: (e: EncodingData) => T[]): T[][] | T[] => (unbatch ? pick(rows[0]) : rows.map(pick));
  const ints = (pick: (e: EncodingData) => number[], field: string): Tensor | number[][] | number[] =>
    choice.tensor ? toTensor(rows.map(pick), field) : list(pick);

  const out: BatchEncoding = { input_ids: ints((e) => e.ids, 'input_ids') };
  if (choice.attentionMask) out.attention_mask = ints((e) => e.attentionMask, 'attention_mask');
  if (choice.tokenTypeIds) out.token_type_ids = ints((e) => e.typeIds, 'token_type_ids');
  if (choice.offsets) out.offset_mapping = list((e) => e.offsets.map(([s, t]): Offsets => [s, t]));
  if (choice.specialTokensMask) out.special_tokens_mask = list((e) => e.specialTokensMask);
  if (choice.wordIds) out.word_ids = list((e) => e.wordIds);
  if (choice.sequenceIds) out.sequence_ids = list((e) => e.sequenceIds);
  if (choice.overflowing) out.overflow_to_sample_mapping = sampleOf;
  return out;
}
