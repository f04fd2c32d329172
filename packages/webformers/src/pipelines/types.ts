/**
 * Types the task files share. Pipelines use the tokenizers layer's `PreTrainedTokenizer`, plus
 * the one fact of its model that Python's token classification reads.
 */
import type { PreTrainedTokenizer } from '../tokenizers/index.js';

export type { BatchEncoding, TokenizerCallOptions } from '../tokenizers/index.js';
export type PipelineTokenizer = PreTrainedTokenizer;

export interface TokenizerTraits {
  /**
   * The tokenizer model's continuing-subword prefix ('##' for WordPiece), or null. Python's
   * token classification uses it to tell word pieces apart; without it, it falls back to a
   * whitespace heuristic.
   */
  continuingSubwordPrefix: string | null;
}

export interface TextInputOptions {
  /** Cut inputs longer than the model takes (default true, as transformers.js). */
  truncation?: boolean;
}
