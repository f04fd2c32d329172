/**
 * token-classification / ner, as Python's TokenClassificationPipeline with a fast tokenizer:
 * every entity has `word`, `start`, `end` (UTF-16 offsets into the input, so
 * `text.slice(start, end)` is the span) and `score`; `entity` + `index` per token with
 * aggregation 'none', `entity_group` otherwise. With `stride`, a long text is split into
 * overlapping windows and the entities of all windows merged.
 */
import { labelsOf } from '../models/config.js';
import { softmax } from '../utils/math.js';
import type { Tensor } from '../utils/tensor.js';
import { PipelineInputError } from './errors.js';
import { Pipeline, rowOf, rowsOf, rowsPerInput } from './pipeline-base.js';
import type { BatchEncoding } from './types.js';
import { entitiesOfWindow, mergeOverlappingEntities, type AggregationStrategy, type EntityGroup, type TokenEntity, type TokenWindow, type WordTools } from './token-aggregation.js';

export type { AggregationStrategy, EntityGroup, TokenEntity };

export interface TokenClassificationOptions {
  /** Default 'none' (one entry per token), as Python. */
  aggregation_strategy?: AggregationStrategy;
  /** Labels left out of the result. Default ['O']. */
  ignore_labels?: string[];
  /** Overlap in tokens between windows of a text longer than the model takes; needs an aggregation strategy. */
  stride?: number;
}

export type TokenClassificationOutput = (TokenEntity | EntityGroup)[];

const countOnes = (values: readonly number[]): number => values.reduce((n, v) => n + (v === 1 ? 1 : 0), 0);

const STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

/** A single text gives its entities; a batch gives a list per text. */
export interface TokenClassificationPipeline {
  (text: string, options?: TokenClassificationOptions): Promise<TokenClassificationOutput>;
  (texts: string[], options?: TokenClassificationOptions): Promise<TokenClassificationOutput[]>;
}

export class TokenClassificationPipeline extends Pipeline<[string | string[], TokenClassificationOptions?], TokenClassificationOutput | TokenClassificationOutput[]> {
  protected async _call(input: string | string[], options: TokenClassificationOptions = {}) {
    const { items, single } = this.batchOf(input);
    const { aggregation_strategy = 'none', ignore_labels = ['O'], stride } = options;
    this.checkOptions(aggregation_strategy, stride);
    const encoded = this.tokenizer(items, {
      truncation: true,
      // Right padding leaves every token at the position it has alone: BERT-style models number positions from the left.
      padding: true,
      padding_side: 'right',
      stride,
      return_overflowing_tokens: stride !== undefined,
      return_offsets_mapping: true,
      return_special_tokens_mask: true,
    });
    // One model run for every text and window: per-run overhead, not arithmetic, dominates small models.
    const { logits } = await this.runModel(encoded, true);
    const groups = rowsPerInput(encoded, items.length);
    const windows = this.windowsOf(encoded, logits);
    const tools = this.wordTools(logits.dims[2]);
    const results = groups.map((rows, i): TokenClassificationOutput => {
      const entities = rows.flatMap((row) => entitiesOfWindow(items[i], windows[row], aggregation_strategy, tools)
        .filter((e) => !ignore_labels.includes('entity' in e ? e.entity : e.entity_group)));
      return rows.length > 1 ? mergeOverlappingEntities(items[i], entities) : entities;
    });
    return single ? results[0] : results;
  }

  private checkOptions(strategy: AggregationStrategy, stride: number | undefined): void {
    if (!STRATEGIES.includes(strategy)) {
      throw new PipelineInputError(this.task, `unknown aggregation_strategy "${strategy}".`, `Use one of: ${STRATEGIES.join(', ')}.`);
    }
    if (stride === undefined) return;
    if (strategy === 'none') {
      throw new PipelineInputError(this.task, 'stride splits the text into windows, which needs an aggregation strategy.', "Pass aggregation_strategy: 'simple' (or first / average / max).");
    }
    if (!Number.isInteger(stride) || stride < 0 || stride >= this.maxInputLength) {
      throw new PipelineInputError(this.task, `stride must be a whole number below the model's length (${this.maxInputLength}), got ${stride}.`, 'Pass a smaller stride, e.g. 128.');
    }
  }

  /** Each row of the batch without its padding: the window Python scores when it runs one text at a time. */
  private windowsOf(encoded: BatchEncoding, logits: Tensor): TokenWindow[] {
    const ids = rowsOf<number>(encoded.input_ids, 'input_ids');
    const attention = rowsOf<number>(encoded.attention_mask, 'attention_mask');
    const offsets = encoded.offset_mapping as [number, number][][];
    const special = rowsOf<number>(encoded.special_tokens_mask, 'special_tokens_mask');
    const numLabels = logits.dims[2];
    return ids.map((inputIds, r) => {
      const length = countOnes(attention[r]);
      const row = rowOf(logits, r);
      const scores = Array.from({ length }, (_, t) => softmax(row.subarray(t * numLabels, (t + 1) * numLabels)));
      return { inputIds: inputIds.slice(0, length), offsets: offsets[r].slice(0, length), specialTokensMask: special[r].slice(0, length), scores };
    });
  }

  private wordTools(numLabels: number): WordTools {
    const tokenizer = this.tokenizer;
    return {
      labels: labelsOf(this.model.config, numLabels),
      convertIdsToTokens: (ids) => tokenizer.convert_ids_to_tokens(ids).map((t) => t ?? ''),
      convertTokensToString: (tokens) => this.tokensToString(tokens),
      unkTokenId: tokenizer.unk_token_id,
      continuingSubwordPrefix: this.tokenizerTraits.continuingSubwordPrefix,
    };
  }
}
