/**
 * token-classification / ner, as Python's TokenClassificationPipeline with a fast tokenizer:
 * every entity has `word`, `start`, `end` (UTF-16 offsets into the input, so
 * `text.slice(start, end)` is the span) and `score`; `entity` + `index` per token with
 * aggregation 'none', `entity_group` otherwise. With `stride`, a long text is split into
 * overlapping windows and the entities of all windows merged.
 */
import { labelsOf } from '../models/config.js';
import { softmax } from '../utils/math.js';
import { PipelineInputError } from './errors.js';
import { Pipeline, rowOf, rowsOf } from './pipeline-base.js';
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
    const results: TokenClassificationOutput[] = [];
    for (const text of items) results.push(await this.classify(text, aggregation_strategy, ignore_labels, stride));
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

  private async classify(text: string, strategy: AggregationStrategy, ignoreLabels: string[], stride: number | undefined): Promise<TokenClassificationOutput> {
    const encoded = this.tokenizer(text, {
      truncation: true,
      padding: stride !== undefined,
      stride,
      return_overflowing_tokens: stride !== undefined,
      return_offsets_mapping: true,
      return_special_tokens_mask: true,
    });
    const { logits } = await this.runModel(encoded, true);
    const ids = rowsOf<number>(encoded.input_ids, 'input_ids');
    const offsets = encoded.offset_mapping as [number, number][][];
    const special = rowsOf<number>(encoded.special_tokens_mask, 'special_tokens_mask');
    const [, length, numLabels] = logits.dims;
    const tools = this.wordTools(numLabels);

    const entities = ids.flatMap((inputIds, w) => {
      const row = rowOf(logits, w);
      const scores = Array.from({ length }, (_, t) => Float64Array.from(softmax(row.subarray(t * numLabels, (t + 1) * numLabels))));
      const window: TokenWindow = { inputIds, offsets: offsets[w], specialTokensMask: special[w], scores };
      return entitiesOfWindow(text, window, strategy, tools).filter((e) => !ignoreLabels.includes('entity' in e ? e.entity : e.entity_group));
    });
    return ids.length > 1 ? mergeOverlappingEntities(text, entities) : entities;
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
