import { getModelJSON, type HubFileOptions } from '../hub/index.js';
import { validateConfig, type PretrainedConfig } from './config.js';

export const AutoConfig = {
  /** Fetches and checks `config.json` of a model repository. */
  async from_pretrained(model: string, options: HubFileOptions = {}): Promise<PretrainedConfig> {
    const json = await getModelJSON<unknown>(model, 'config.json', options);
    return validateConfig(model, json);
  },
};
