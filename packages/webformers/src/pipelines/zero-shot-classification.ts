/**
 * zero-shot-classification, as Python's ZeroShotClassificationPipeline: each candidate label
 * becomes the hypothesis "This example is {label}." paired with the text, an NLI model scores
 * the pairs, and the entailment logits become the label scores — a softmax across labels, or
 * (multi_label, or a single label) entailment vs contradiction for each label on its own.
 */
import { softmax } from '../utils/math.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import { ModelHeadError } from '../models/errors.js';
import { PipelineInputError } from './errors.js';
import { Pipeline, rowOf } from './pipeline-base.js';
import type { PipelineTokenizer, TokenizerTraits } from './types.js';

export interface ZeroShotOptions {
  /** Default "This example is {}."; `{}` is replaced by each label. */
  hypothesis_template?: string;
  /** Score each label independently. Default false. */
  multi_label?: boolean;
}

export interface ZeroShotResult {
  sequence: string;
  labels: string[];
  scores: number[];
}

export interface ZeroShotClassificationPipeline {
  (text: string, candidateLabels: string | string[], options?: ZeroShotOptions): Promise<ZeroShotResult>;
  (texts: string[], candidateLabels: string | string[], options?: ZeroShotOptions): Promise<ZeroShotResult[]>;
}

export class ZeroShotClassificationPipeline extends Pipeline<[string | string[], string | string[], ZeroShotOptions?], ZeroShotResult | ZeroShotResult[]> {
  /** Index of the label whose name starts with "entail" (case-insensitive), from config.label2id. */
  readonly entailmentId: number;
  readonly contradictionId: number;

  constructor(task: string, model: PreTrainedModel, tokenizer: PipelineTokenizer, traits?: TokenizerTraits) {
    super(task, model, tokenizer, traits);
    const entry = Object.entries(model.config.label2id ?? {}).find(([label]) => label.toLowerCase().startsWith('entail'));
    if (!entry) throw new ModelHeadError(model.modelId, 'natural-language-inference (entailment label)', `labels ${Object.keys(model.config.label2id ?? {}).join(', ') || 'none'}`);
    this.entailmentId = entry[1];
    this.contradictionId = this.entailmentId === 0 ? -1 : 0;
  }

  protected async _call(input: string | string[], candidateLabels: string | string[], options: ZeroShotOptions = {}) {
    const { items, single } = this.batchOf(input);
    const labels = parseLabels(this.task, candidateLabels);
    const { hypothesis_template: template = 'This example is {}.', multi_label = false } = options;
    if (!template.includes('{}')) {
      throw new PipelineInputError(this.task, `hypothesis_template "${template}" has no {} for the label.`, 'Write it like "This example is {}.".');
    }
    const results: ZeroShotResult[] = [];
    for (const sequence of items) results.push(await this.classify(sequence, labels, template, multi_label));
    return single ? results[0] : results;
  }

  private async classify(sequence: string, labels: string[], template: string, multiLabel: boolean): Promise<ZeroShotResult> {
    const hypotheses = labels.map((label) => template.replace('{}', label));
    const encoded = this.tokenizer(labels.map(() => sequence), { text_pair: hypotheses, padding: true, truncation: 'only_first' });
    const { logits } = await this.runModel(encoded, true);
    const numClasses = logits.dims[1];
    const pick = (row: number, id: number) => rowOf(logits, row)[id < 0 ? numClasses + id : id];
    const scores = multiLabel || labels.length === 1
      ? labels.map((_, i) => softmax([pick(i, this.contradictionId), pick(i, this.entailmentId)])[1])
      : softmax(labels.map((_, i) => pick(i, this.entailmentId)));
    // numpy's argsort (stable for short arrays), reversed: among equal scores the later label comes first.
    const order = labels.map((_, i) => i).sort((a, b) => scores[a] - scores[b]).reverse();
    return { sequence, labels: order.map((i) => labels[i]), scores: order.map((i) => scores[i]) };
  }
}

/** Python accepts a list, or one string of comma-separated labels. */
function parseLabels(task: string, candidateLabels: string | string[]): string[] {
  const labels = typeof candidateLabels === 'string'
    ? candidateLabels.split(',').map((l) => l.trim()).filter((l) => l.length > 0)
    : candidateLabels ?? [];
  if (labels.length === 0) throw new PipelineInputError(task, 'no candidate labels were given.', 'Pass candidate_labels, e.g. ["sports", "politics"].');
  return labels;
}
