/**
 * `AutoTokenizer.from_pretrained(modelId, options)`: fetch tokenizer.json (required) and
 * tokenizer_config.json (optional) through the hub layer and build a `PreTrainedTokenizer`.
 * Every tokenizer.json pipeline is handled by the one class, so no per-model tokenizer classes exist.
 */
import { getModelJSON, type HubFileOptions } from '../hub/index.js';
import { PreTrainedTokenizer } from './pretrained-tokenizer.js';
import type { Json } from './types.js';

/** Same names as transformers.js: `revision`, `local_files_only`, `progress_callback`, ... */
export type TokenizerLoadOptions = HubFileOptions;

export async function loadTokenizer(modelId: string, options: TokenizerLoadOptions = {}): Promise<PreTrainedTokenizer> {
  const [tokenizerJson, tokenizerConfig] = await Promise.all([
    getModelJSON<Json>(modelId, 'tokenizer.json', { ...options, fatal: true }),
    getModelJSON<Json>(modelId, 'tokenizer_config.json', { ...options, fatal: false }),
  ]);
  return PreTrainedTokenizer.fromJSON(tokenizerJson, tokenizerConfig ?? {});
}

export class AutoTokenizer {
  static from_pretrained(modelId: string, options: TokenizerLoadOptions = {}): Promise<PreTrainedTokenizer> {
    return loadTokenizer(modelId, options);
  }
}
