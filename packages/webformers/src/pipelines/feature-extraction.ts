/**
 * feature-extraction, with transformers.js's options: `pooling` 'none' gives the hidden state
 * of every token [batch, tokens, dim] (Python's pipeline output), 'mean' averages the tokens the
 * attention mask keeps, 'cls' takes the first token; `normalize` scales pooled rows to unit
 * length (sentence embeddings for `cos_sim`).
 */
import { clsPool, meanPool, normalizeRows } from '../utils/math.js';
import type { Tensor } from '../utils/tensor.js';
import { PipelineInputError } from './errors.js';
import { Pipeline } from './pipeline-base.js';
import type { TextInputOptions } from './types.js';

export type Pooling = 'none' | 'mean' | 'cls';

export interface FeatureExtractionOptions extends TextInputOptions {
  /** Default 'none'. */
  pooling?: Pooling;
  /** Default false. Needs pooling 'mean' or 'cls'. */
  normalize?: boolean;
}

export class FeatureExtractionPipeline extends Pipeline<[string | string[], FeatureExtractionOptions?], Tensor> {
  protected async _call(input: string | string[], options: FeatureExtractionOptions = {}) {
    const { items } = this.batchOf(input);
    const { pooling = 'none', normalize = false, truncation = true } = options;
    if (pooling !== 'none' && pooling !== 'mean' && pooling !== 'cls') {
      throw new PipelineInputError(this.task, `unknown pooling "${pooling}".`, "Use 'none', 'mean' or 'cls'.");
    }
    if (normalize && pooling === 'none') {
      throw new PipelineInputError(this.task, 'normalize needs one vector per text.', "Pass pooling: 'mean' or 'cls' with normalize: true.");
    }
    const encoded = this.tokenizer(items, { padding: true, truncation });
    const { last_hidden_state } = await this.runModel(encoded, truncation);
    if (pooling === 'none') return last_hidden_state;
    const pooled = pooling === 'mean' ? meanPool(last_hidden_state, encoded.attention_mask as Tensor) : clsPool(last_hidden_state);
    return normalize ? normalizeRows(pooled) : pooled;
  }
}
