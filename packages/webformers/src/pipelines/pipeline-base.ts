/**
 * What every task shares: the model, the tokenizer, `dispose()`, and the input checks all
 * tasks make (non-empty batch, length limit). A task subclass reads top to bottom as
 * preprocess → model → postprocess in its `_call`.
 */
import { Callable } from '../tokenizers/callable.js';
import type { ModelOutput, PreTrainedModel } from '../models/pretrained-model.js';
import { Tensor } from '../utils/tensor.js';
import { InputTooLongError, PipelineInputError } from './errors.js';
import type { BatchEncoding, PipelineTokenizer, TokenizerTraits } from './types.js';

export interface Pipeline<A extends unknown[], R> {
  (...args: A): Promise<R>;
}

export abstract class Pipeline<A extends unknown[], R> extends Callable<A, Promise<R>> {
  readonly task: string;
  readonly model: PreTrainedModel;
  readonly tokenizer: PipelineTokenizer;
  readonly tokenizerTraits: TokenizerTraits;

  constructor(task: string, model: PreTrainedModel, tokenizer: PipelineTokenizer, traits: TokenizerTraits = { continuingSubwordPrefix: null }) {
    super();
    this.task = task;
    this.model = model;
    this.tokenizer = tokenizer;
    this.tokenizerTraits = traits;
  }

  /**
   * Token strings → text through tokenizer.json's decoder, as Python's fast
   * `convert_tokens_to_string`; without a decoder, Rust joins tokens with spaces.
   */
  protected tokensToString(tokens: readonly string[]): string {
    const decoder = this.tokenizer.pipeline.decoder;
    return decoder ? decoder.decodeChain([...tokens]).join('') : tokens.join(' ');
  }

  /** Frees the model's sessions. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  /** The longest input the model takes: the tokenizer's limit, capped by the position table. */
  get maxInputLength(): number {
    const positions = this.model.config.max_position_embeddings;
    const fromTokenizer = Number.isFinite(this.tokenizer.model_max_length) && this.tokenizer.model_max_length < 1e9 ? this.tokenizer.model_max_length : Infinity;
    return Math.min(fromTokenizer, typeof positions === 'number' ? positions : Infinity);
  }

  /** A single input or a non-empty batch, as a list plus whether to unwrap the result. */
  protected batchOf<T>(input: T | T[]): { items: T[]; single: boolean } {
    if (!Array.isArray(input)) return { items: [input], single: true };
    if (input.length === 0) throw new PipelineInputError(this.task, 'got an empty batch.', 'Pass at least one input.');
    return { items: input, single: false };
  }

  /** Runs the model on tokenizer output; without truncation, refuses inputs the model cannot take. */
  protected runModel(encoded: BatchEncoding, truncated: boolean): Promise<ModelOutput> {
    const input_ids = tensorOf(encoded.input_ids, 'input_ids');
    const length = input_ids.dims[input_ids.dims.length - 1];
    if (!truncated && length > this.maxInputLength) throw new InputTooLongError(this.task, length, this.maxInputLength);
    return this.model({
      input_ids,
      attention_mask: encoded.attention_mask === undefined ? undefined : tensorOf(encoded.attention_mask, 'attention_mask'),
      token_type_ids: encoded.token_type_ids === undefined ? undefined : tensorOf(encoded.token_type_ids, 'token_type_ids'),
    });
  }
}

function tensorOf(field: BatchEncoding['input_ids'], what: string): Tensor {
  if (field instanceof Tensor) return field;
  const rows = rowsOf<number>(field, what);
  return new Tensor('int64', rows.flat().map(BigInt), [rows.length, rows[0]?.length ?? 0]);
}

/** Rows of a [batch, length] tokenizer field, whether it came as a tensor or nested arrays. */
export function rowsOf<T = number>(field: Tensor | readonly unknown[] | undefined, what: string): T[][] {
  if (field === undefined) throw new PipelineInputError('tokenizer', `the tokenizer did not return ${what}.`, 'Use a tokenizer that returns it (a fast tokenizer.json).');
  if (field instanceof Tensor) {
    const [batch, width] = field.dims;
    const flat = Array.from(field.data as ArrayLike<number | bigint>, (v) => Number(v));
    return Array.from({ length: batch }, (_, b) => flat.slice(b * width, (b + 1) * width) as T[]);
  }
  return (field.length > 0 && !Array.isArray(field[0]) ? [field] : field) as T[][];
}

/** Row indices of a tokenizer batch per input: one row each, or every overflowing window of that input. */
export function rowsPerInput(encoded: BatchEncoding, count: number): number[][] {
  const sampleOf = encoded.overflow_to_sample_mapping;
  if (!sampleOf) return Array.from({ length: count }, (_, i) => [i]);
  const groups = Array.from({ length: count }, (): number[] => []);
  sampleOf.forEach((input, row) => groups[input].push(row));
  return groups;
}

/** One row of a float tensor whose first axis is the batch. */
export function rowOf(tensor: Tensor, index: number): Float32Array {
  const width = tensor.size / tensor.dims[0];
  return (tensor.data as Float32Array).subarray(index * width, (index + 1) * width);
}
