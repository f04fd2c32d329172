/**
 * config.json, typed as far as this library reads it; every other field stays available
 * untyped. `AutoConfig` (auto-config.ts) fetches it through the hub layer.
 */
import { WebformersError } from '../utils/errors.js';

export interface PretrainedConfig {
  model_type: string;
  architectures?: string[];
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  max_position_embeddings?: number;
  /** transformers.js conversion settings; `dtype` (string or per-session map) picks default weights. */
  'transformers.js_config'?: { dtype?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

export class ConfigError extends WebformersError {
  readonly model: string;
  constructor(model: string, message: string, hint: string) {
    super('invalid_config', `config.json of "${model}": ${message}`, { hint });
    this.model = model;
  }
}

export function validateConfig(model: string, json: unknown): PretrainedConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(model, 'is not a JSON object.', 'Check the repository holds a Hugging Face config.json.');
  }
  const config = json as PretrainedConfig;
  if (typeof config.model_type !== 'string') {
    throw new ConfigError(model, 'has no "model_type".', 'Add "model_type" (e.g. "bert"), as transformers writes it.');
  }
  return config;
}

/** Labels by class index, from `id2label` (keys are strings in JSON). */
export function labelsOf(config: PretrainedConfig, count: number): string[] {
  return Array.from({ length: count }, (_, i) => config.id2label?.[String(i)] ?? `LABEL_${i}`);
}
