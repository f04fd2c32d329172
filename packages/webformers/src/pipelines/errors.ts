import { WebformersError } from '../utils/errors.js';

export class UnknownTaskError extends WebformersError {
  readonly task: string;
  constructor(task: string, known: readonly string[]) {
    super('unknown_task', `Unknown pipeline task "${task}".`, { hint: `Known tasks: ${known.join(', ')}.` });
    this.task = task;
  }
}

/** A call a pipeline cannot run (empty batch, missing context, bad option value). */
export class PipelineInputError extends WebformersError {
  readonly task: string;
  constructor(task: string, message: string, hint: string) {
    super('invalid_pipeline_input', `${task}: ${message}`, { hint });
    this.task = task;
  }
}

export class InputTooLongError extends WebformersError {
  readonly length: number;
  readonly maxLength: number;
  constructor(task: string, length: number, maxLength: number) {
    super('input_too_long', `${task}: the input is ${length} tokens long but the model takes at most ${maxLength}.`, {
      hint: 'Pass truncation: true, or split the text into shorter pieces.',
    });
    this.length = length;
    this.maxLength = maxLength;
  }
}
