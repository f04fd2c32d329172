/**
 * What the generating tasks share: splitting a call's options into generation options and the
 * task's own, the model's generation settings as the pipeline sees them (config.json's
 * `task_specific_params[task]` on top, as Python's `Pipeline.__init__` applies them), and one
 * `generate()` per tokenized input, its rows grouped per input.
 */
import type { GenerateOutput, GenerateRequest, GenerationConfig, GenerationOptions, GenerativeModel, Streamer } from '../generation/index.js';
import type { BatchEncoding } from '../tokenizers/index.js';
import { Tensor } from '../utils/tensor.js';
import { rowsOf } from './pipeline-base.js';

/** Generation options, plus streaming and cancelling. */
export interface GenerationCallOptions extends GenerationOptions {
  streamer?: Streamer;
  signal?: AbortSignal;
}

/** A task's prompt prefix and generation overrides from `task_specific_params` (T5: "summarize: "). */
export function taskSettings(model: GenerativeModel, taskKey: string): { prefix: string; generation: Record<string, unknown> } {
  const all = model.config.task_specific_params as Record<string, Record<string, unknown>> | undefined;
  const { prefix, ...generation } = all?.[taskKey] ?? {};
  const configPrefix = model.config.prefix;
  return {
    prefix: typeof prefix === 'string' ? prefix : typeof configPrefix === 'string' ? configPrefix : '',
    generation,
  };
}

/** Runs generate() on one encoded input; returns its sequences as rows of ids. */
export async function generateRows(
  model: GenerativeModel,
  encoded: BatchEncoding,
  taskGeneration: Record<string, unknown>,
  options: GenerationCallOptions & Record<string, unknown>,
): Promise<number[][]> {
  const request: GenerateRequest = {
    ...options,
    input_ids: rowsOf<number>(encoded.input_ids, 'input_ids'),
    attention_mask: encoded.attention_mask === undefined ? undefined : rowsOf<number>(encoded.attention_mask, 'attention_mask'),
    generation_config: { ...model.generation_config, ...taskGeneration } as Partial<GenerationConfig>,
  };
  const out = await model.generate(request);
  const sequences = out instanceof Tensor ? out : (out as GenerateOutput).sequences;
  return rowsOf<number>(sequences, 'sequences');
}
