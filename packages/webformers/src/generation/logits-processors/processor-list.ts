import { eosTokenIds, type GenerationConfig } from '../generation-config.js';
import type { TokenRows } from '../types.js';
import { NoBadWordsLogitsProcessor } from './bad-words.js';
import { ForcedBOSTokenLogitsProcessor } from './forced-bos.js';
import { ForcedEOSTokenLogitsProcessor } from './forced-eos.js';
import { MinLengthLogitsProcessor } from './min-length.js';
import { MinNewTokensLengthLogitsProcessor } from './min-new-tokens.js';
import { MinPLogitsWarper } from './min-p.js';
import { NoRepeatNGramLogitsProcessor } from './no-repeat-ngram.js';
import { RepetitionPenaltyLogitsProcessor } from './repetition-penalty.js';
import { SuppressTokensAtBeginLogitsProcessor } from './suppress-tokens-at-begin.js';
import { SuppressTokensLogitsProcessor } from './suppress-tokens.js';
import { TemperatureLogitsWarper } from './temperature.js';
import { TopKLogitsWarper } from './top-k.js';
import { TopPLogitsWarper } from './top-p.js';
import type { LogitsProcessor } from './types.js';
import { TypicalLogitsWarper } from './typical-p.js';

/** Runs processors in order, each on the previous one's output. */
export class LogitsProcessorList implements LogitsProcessor {
  constructor(readonly processors: LogitsProcessor[] = []) {}

  push(processor: LogitsProcessor): void {
    this.processors.push(processor);
  }

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    for (const processor of this.processors) processor.apply(inputIds, scores);
  }
}

export interface ProcessorContext {
  /** Length of the ids the decoder starts from (prompt, or decoder start ids). */
  inputLength: number;
  /** Resolved total limits (see `resolveLengths`). */
  maxLength: number;
  minLength: number;
}

/**
 * The processors a config asks for, in the order of Python's `_get_logits_processor` (4.47):
 * penalties and bans first, then (sampling only) the warpers temperature, top-k, top-p, min-p,
 * typical-p. The order matters: e.g. temperature before top-p changes which tokens survive.
 */
export function buildLogitsProcessors(config: GenerationConfig, context: ProcessorContext): LogitsProcessorList {
  const list = new LogitsProcessorList();
  const eos = eosTokenIds(config);
  if (config.repetition_penalty !== 1.0) list.push(new RepetitionPenaltyLogitsProcessor(config.repetition_penalty));
  if (config.no_repeat_ngram_size > 0) list.push(new NoRepeatNGramLogitsProcessor(config.no_repeat_ngram_size));
  if (config.bad_words_ids !== null) list.push(new NoBadWordsLogitsProcessor(config.bad_words_ids, eos));
  if (eos.length > 0 && context.minLength > 0) list.push(new MinLengthLogitsProcessor(context.minLength, eos));
  if (eos.length > 0 && config.min_new_tokens !== null && config.min_new_tokens > 0) {
    list.push(new MinNewTokensLengthLogitsProcessor(context.inputLength, config.min_new_tokens, eos));
  }
  if (config.forced_bos_token_id !== null) list.push(new ForcedBOSTokenLogitsProcessor(config.forced_bos_token_id));
  if (config.forced_eos_token_id !== null) {
    const forced = Array.isArray(config.forced_eos_token_id) ? config.forced_eos_token_id : [config.forced_eos_token_id];
    list.push(new ForcedEOSTokenLogitsProcessor(context.maxLength, forced));
  }
  if (config.suppress_tokens !== null) list.push(new SuppressTokensLogitsProcessor(config.suppress_tokens));
  if (config.begin_suppress_tokens !== null) {
    // Python moves the start one step later when a forced BOS will occupy the first position.
    const forcedBosFirst = context.inputLength <= 1 && config.forced_bos_token_id !== null;
    const beginIndex = forcedBosFirst ? context.inputLength + 1 : context.inputLength;
    list.push(new SuppressTokensAtBeginLogitsProcessor(config.begin_suppress_tokens, beginIndex));
  }
  if (config.do_sample) pushWarpers(list, config, eos);
  return list;
}

function pushWarpers(list: LogitsProcessorList, config: GenerationConfig, eos: number[]): void {
  // Beam search must keep enough candidates to survive EOS picks; with one beam, one suffices.
  const minTokensToKeep = config.num_beams > 1 ? Math.max(2, eos.length + 1) : 1;
  if (config.temperature !== 1.0) list.push(new TemperatureLogitsWarper(config.temperature));
  if (config.top_k !== 0) list.push(new TopKLogitsWarper(config.top_k, minTokensToKeep));
  if (config.top_p < 1.0) list.push(new TopPLogitsWarper(config.top_p, minTokensToKeep));
  if (config.min_p !== null) list.push(new MinPLogitsWarper(config.min_p, minTokensToKeep));
  if (config.typical_p < 1.0) list.push(new TypicalLogitsWarper(config.typical_p, minTokensToKeep));
}
