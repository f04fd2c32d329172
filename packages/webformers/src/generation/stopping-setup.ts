/** The stopping criteria a generation config asks for, as Python's `_get_stopping_criteria` (4.47). */
import { InvalidArgumentError } from '../utils/errors.js';
import type { GenerationConfig } from './generation-config.js';
import {
  AbortSignalCriteria, EosTokenCriteria, MaxLengthCriteria, StopStringCriteria, StoppingCriteriaList,
} from './stopping-criteria.js';
import type { StepModel, StreamDecoder } from './types.js';

export interface StoppingContext {
  model: StepModel;
  inputLength: number;
  maxLength: number;
  eos: readonly number[];
  signal?: AbortSignal;
  tokenizer?: StreamDecoder;
}

export function buildStoppingCriteria(config: GenerationConfig, context: StoppingContext): StoppingCriteriaList {
  const list = new StoppingCriteriaList();
  // Python only warns when max_length passes the model's positions; the ONNX graph would fail, so we stop there.
  const contextLimit = context.model.isEncoderDecoder ? undefined : context.model.maxContextLength;
  list.push(new MaxLengthCriteria(Math.min(context.maxLength, contextLimit ?? Infinity)));
  if (config.stop_strings !== null) {
    const { tokenizer } = context;
    if (!tokenizer) {
      throw new InvalidArgumentError('stop_strings needs a tokenizer to read the generated text.', { hint: 'Pass tokenizer to generate() along with stop_strings.' });
    }
    list.push(new StopStringCriteria(config.stop_strings, (ids) => tokenizer.decode(ids), context.inputLength));
  }
  if (context.eos.length > 0) list.push(new EosTokenCriteria(context.eos));
  if (context.signal) list.push(new AbortSignalCriteria(context.signal));
  return list;
}
