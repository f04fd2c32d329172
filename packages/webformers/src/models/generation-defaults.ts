/**
 * A model's own generation settings, as Python's `from_pretrained` finds them: the repository's
 * `generation_config.json` when it has one, else `GenerationConfig.from_model_config(config)`, i.e.
 * the generation fields of config.json, with a nested `decoder` config filling what the top level
 * leaves out. Returned as plain JSON: the generation layer picks the fields it knows.
 */
import { getModelJSON, type HubFileOptions } from '../hub/index.js';
import type { PretrainedConfig } from './config.js';

export type GenerationDefaults = Record<string, unknown>;

export function generationDefaultsFromConfig(config: PretrainedConfig): GenerationDefaults {
  const decoder = typeof config.decoder === 'object' && config.decoder !== null ? (config.decoder as Record<string, unknown>) : {};
  return { ...decoder, ...config };
}

export async function loadGenerationDefaults(modelId: string, config: PretrainedConfig, options: HubFileOptions = {}): Promise<GenerationDefaults> {
  const json = await getModelJSON<GenerationDefaults>(modelId, 'generation_config.json', { ...options, fatal: false });
  return json ?? generationDefaultsFromConfig(config);
}
