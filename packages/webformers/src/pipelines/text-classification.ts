/**
 * text-classification / sentiment-analysis, as Python's TextClassificationPipeline:
 * without `top_k` each input gives its best label (a one-element list for a single string);
 * `top_k: null` gives every label, best first; `top_k: n` the best n.
 */
import { labelsOf } from '../models/config.js';
import { sigmoid, softmax } from '../utils/math.js';
import { PipelineInputError } from './errors.js';
import { Pipeline, rowOf } from './pipeline-base.js';
import type { TextInputOptions } from './types.js';

export type FunctionToApply = 'softmax' | 'sigmoid' | 'none';
const FUNCTIONS: readonly FunctionToApply[] = ['softmax', 'sigmoid', 'none'];

export interface TextClassificationOptions extends TextInputOptions {
  /** Omitted: the best label only. null: all labels. n: the n best. */
  top_k?: number | null;
  /** Default: sigmoid for multi-label or single-output models, softmax otherwise (Python's rule). */
  function_to_apply?: FunctionToApply;
}

export interface TextPair {
  text: string;
  text_pair: string;
}

export type TextClassificationInput = string | TextPair;
export interface LabelScore {
  label: string;
  score: number;
}

/**
 * A single string gives a list of labels; without `top_k` a single pair gives its best label
 * bare (Python wraps only strings); a batch gives one best label per input, or a list per
 * input with `top_k`.
 */
export interface TextClassificationPipeline {
  (input: string, options?: TextClassificationOptions): Promise<LabelScore[]>;
  (input: TextPair, options?: TextClassificationOptions): Promise<LabelScore | LabelScore[]>;
  (inputs: TextClassificationInput[], options?: TextClassificationOptions): Promise<LabelScore[] | LabelScore[][]>;
}

export class TextClassificationPipeline extends Pipeline<
  [TextClassificationInput | TextClassificationInput[], TextClassificationOptions?],
  LabelScore | LabelScore[] | LabelScore[][]
> {
  protected async _call(input: TextClassificationInput | TextClassificationInput[], options: TextClassificationOptions = {}) {
    const { items, single } = this.batchOf(input);
    const { truncation = true, function_to_apply } = options;
    if (function_to_apply !== undefined && !FUNCTIONS.includes(function_to_apply)) {
      throw new PipelineInputError(this.task, `unknown function_to_apply "${function_to_apply}".`, `Use one of: ${FUNCTIONS.join(', ')}.`);
    }
    const pairs = items.filter((i) => typeof i !== 'string') as TextPair[];
    if (pairs.length > 0 && pairs.length !== items.length) {
      throw new PipelineInputError(this.task, 'a batch mixes single texts and text pairs.', 'Call once for the texts and once for the pairs.');
    }
    const texts = pairs.length > 0 ? pairs.map((p) => p.text) : (items as string[]);
    const encoded = this.tokenizer(texts, { text_pair: pairs.length > 0 ? pairs.map((p) => p.text_pair) : undefined, padding: true, truncation });
    const { logits } = await this.runModel(encoded, truncation);

    const numLabels = logits.dims[1];
    const apply = function_to_apply ?? this.defaultFunction(numLabels);
    const labels = labelsOf(this.model.config, numLabels);
    const results = texts.map((_, row) => {
      const scores = scoresOf(Array.from(rowOf(logits, row)), apply);
      return labels.map((label, i) => ({ label, score: scores[i] })).sort((a, b) => b.score - a.score);
    });

    if (!('top_k' in options)) {
      // Python's legacy shape: the best label per input; a single string gets it in a list.
      const best = results.map((r) => r[0]);
      return single && typeof input !== 'string' ? best[0] : best;
    }
    const cut = options.top_k === null || options.top_k === undefined ? results : results.map((r) => r.slice(0, options.top_k as number));
    return single ? cut[0] : cut;
  }

  private defaultFunction(numLabels: number): FunctionToApply {
    const explicit = this.model.config.function_to_apply as FunctionToApply | undefined;
    if (explicit !== undefined && FUNCTIONS.includes(explicit)) return explicit;
    const problem = this.model.config.problem_type;
    if (problem === 'multi_label_classification' || numLabels === 1) return 'sigmoid';
    return 'softmax';
  }
}

function scoresOf(logits: number[], apply: FunctionToApply): number[] {
  if (apply === 'softmax') return softmax(logits);
  if (apply === 'sigmoid') return logits.map(sigmoid);
  return logits;
}
