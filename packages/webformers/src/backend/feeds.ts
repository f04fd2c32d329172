/**
 * Feeds exactly what a graph declares. Tokenizers return more or fewer tensors than a given
 * graph takes (token_type_ids for a DistilBERT export that has none, or none for a BERT graph
 * that wants them), and ORT's own errors for a wrong dtype or rank do not say which input
 * failed, so inputs are matched and checked here first.
 */
import { Tensor } from '../utils/tensor.js';
import { InputMismatchError } from './errors.js';
import type { SessionValue, TensorInfo } from './types.js';

/** Inputs a graph may declare that we can fill with zeros shaped like `input_ids` when not given. */
const ZERO_FILLABLE: ReadonlySet<string> = new Set(['token_type_ids']);

export function selectFeeds<T extends SessionValue>(declared: readonly TensorInfo[], given: Record<string, T | undefined>): Record<string, T | Tensor> {
  const feeds: Record<string, T | Tensor> = {};
  for (const info of declared) {
    const tensor = given[info.name] ?? fillDefault(info, given);
    checkTensor(info, tensor);
    feeds[info.name] = tensor;
  }
  return feeds;
}

function fillDefault(info: TensorInfo, given: Record<string, SessionValue | undefined>): Tensor {
  const like = given.input_ids;
  if (ZERO_FILLABLE.has(info.name) && like) {
    const size = like.dims.reduce((a, b) => a * b, 1);
    return new Tensor(info.dtype, new Array(size).fill(info.dtype === 'int64' ? 0n : 0), like.dims);
  }
  throw new InputMismatchError(
    info.name,
    `the model needs it but it was not given (given: ${Object.keys(given).join(', ') || 'nothing'}).`,
    'Pass the tokenizer output unchanged, or add this input.',
  );
}

function checkTensor(info: TensorInfo, tensor: SessionValue): void {
  if (tensor.type !== info.dtype) {
    throw new InputMismatchError(
      info.name,
      `expected dtype ${info.dtype}, got ${tensor.type}.`,
      `Create it as new Tensor('${info.dtype}', ...).`,
    );
  }
  if (tensor.dims.length !== info.dims.length) {
    throw new InputMismatchError(
      info.name,
      `expected rank ${info.dims.length} [${info.dims.join(', ')}], got dims [${tensor.dims.join(', ')}].`,
      'Batch the input as [batch, sequence] (wrap a single sequence in an outer array).',
    );
  }
  info.dims.forEach((dim, axis) => {
    if (typeof dim === 'number' && dim >= 0 && tensor.dims[axis] !== dim) {
      throw new InputMismatchError(
        info.name,
        `axis ${axis} must be ${dim}, got dims [${tensor.dims.join(', ')}].`,
        'Match the shape the model was exported with.',
      );
    }
  });
}
