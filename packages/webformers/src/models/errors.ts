import { WebformersError } from '../utils/errors.js';

/** The checkpoint's output layer does not fit what was asked of it (a classifier used for QA...). */
export class ModelHeadError extends WebformersError {
  readonly model: string;
  readonly head: string;
  constructor(model: string, head: string, found: string) {
    super('model_head_mismatch', `Model "${model}" has no ${head} head (it has ${found}).`, {
      hint: `Use a checkpoint fine-tuned for ${head}, or the task its head was trained for.`,
    });
    this.model = model;
    this.head = head;
  }
}
