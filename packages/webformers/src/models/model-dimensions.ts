/** Sizes the runners read from config.json. */
import type { PretrainedConfig } from './config.js';
import { ConfigError } from './config.js';

/** The logits width; multimodal configs keep it under `text_config`. */
export function vocabSizeOf(model: string, config: PretrainedConfig): number {
  const nested = config.text_config as { vocab_size?: unknown } | undefined;
  const size = config.vocab_size ?? nested?.vocab_size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw new ConfigError(model, 'has no valid "vocab_size".', 'Add "vocab_size" (the logits width), as transformers writes it.');
  }
  return size;
}

/** The position table size (`max_position_embeddings`, GPT-2's `n_positions`), when the model has one. */
export function maxPositionsOf(config: PretrainedConfig): number | undefined {
  const positions = config.max_position_embeddings ?? config.n_positions;
  return typeof positions === 'number' ? positions : undefined;
}
