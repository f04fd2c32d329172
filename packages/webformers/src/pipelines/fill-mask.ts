/**
 * fill-mask, as Python's FillMaskPipeline: for each mask token, the `top_k` most likely tokens
 * (softmax over the whole vocabulary, then restricted to `targets` when given, without
 * renormalising), each with the sentence it makes. One mask gives a flat list, several masks
 * a list per mask.
 */
import { softmax, topK } from '../utils/math.js';
import { PipelineInputError } from './errors.js';
import { Pipeline, rowOf, rowsOf } from './pipeline-base.js';
import type { TextInputOptions } from './types.js';

export interface FillMaskOptions extends TextInputOptions {
  /** Default 5. */
  top_k?: number;
  /** Only score these words (each must be, or start with, one vocabulary token). */
  targets?: string | string[];
}

export interface FillMaskPrediction {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

type FillMaskResult = FillMaskPrediction[] | FillMaskPrediction[][];

/** A text with one mask gives a list of predictions; several masks give a list per mask. */
export interface FillMaskPipeline {
  (text: string, options?: FillMaskOptions): Promise<FillMaskResult>;
  (texts: string[], options?: FillMaskOptions): Promise<FillMaskResult[]>;
}

export class FillMaskPipeline extends Pipeline<[string | string[], FillMaskOptions?], FillMaskResult | FillMaskResult[]> {
  protected async _call(input: string | string[], options: FillMaskOptions = {}) {
    const { items, single } = this.batchOf(input);
    const { truncation = true, top_k = 5 } = options;
    const maskId = this.tokenizer.mask_token_id;
    if (maskId === null) throw new PipelineInputError(this.task, 'the tokenizer has no mask token.', 'Use a masked language model tokenizer.');
    const targetIds = options.targets === undefined ? null : this.targetIds(options.targets);
    const k = Math.min(top_k, targetIds?.length ?? Infinity);

    const encoded = this.tokenizer(items, { padding: true, truncation });
    const { logits } = await this.runModel(encoded, truncation);
    const vocab = logits.dims[2];
    const results = rowsOf<number>(encoded.input_ids, 'input_ids').map((ids, row) => {
      const masks = ids.flatMap((id, i) => (id === maskId ? [i] : []));
      if (masks.length === 0) {
        throw new PipelineInputError(this.task, `no ${this.tokenizer.mask_token} token in "${items[row]}".`, `Put ${this.tokenizer.mask_token} where a word should be predicted.`);
      }
      const tokens = rowOf(logits, row);
      const perMask = masks.map((position) => {
        const probs = softmax(tokens.subarray(position * vocab, (position + 1) * vocab));
        const candidates = targetIds ? targetIds.map((id) => probs[id]) : probs;
        return topK(candidates, k).map(({ index, value }) => this.prediction(ids, position, targetIds ? targetIds[index] : index, value, masks.length === 1));
      });
      return masks.length === 1 ? perMask[0] : perMask;
    });
    return single ? results[0] : results;
  }

  private prediction(ids: number[], position: number, token: number, score: number, singleMask: boolean): FillMaskPrediction {
    const filled = ids.map((id, i) => (i === position ? token : id)).filter((id) => id !== this.tokenizer.pad_token_id);
    // Python keeps special tokens when there are several masks, so the other masks stay visible.
    return { score, token, token_str: this.tokenizer.decode([token]), sequence: this.tokenizer.decode(filled, { skip_special_tokens: singleMask }) };
  }

  /** Python's rule: a target in the vocabulary is that token; otherwise its first token. */
  private targetIds(targets: string | string[]): number[] {
    const vocab = this.tokenizer.get_vocab();
    const lookup = (t: string) => (vocab instanceof Map ? vocab.get(t) : Object.hasOwn(vocab, t) ? vocab[t] : undefined);
    const ids = (Array.isArray(targets) ? targets : [targets]).flatMap((target) => {
      const id = lookup(target);
      if (id !== undefined) return [id];
      const first = rowsOf<number>(this.tokenizer(target, { add_special_tokens: false, return_tensor: false }).input_ids, 'input_ids')[0] ?? [];
      return first.length > 0 ? [first[0]] : [];
    });
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new PipelineInputError(this.task, 'none of the targets is in the vocabulary.', 'Pass targets that the tokenizer knows.');
    return unique;
  }
}
