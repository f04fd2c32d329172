/**
 * AutoTokenizer.from_pretrained loads tokenizer.json + tokenizer_config.json through the hub layer
 * (here from the local fixture folder, offline) and gives the same results as the Python goldens.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { FIXTURE_MODELS, fixturePath, isolateEnv } from '../../test/support/hub-fixtures.js';
import { ModelFileError } from '../hub/index.js';
import { AutoTokenizer } from './auto-tokenizer.js';
import { PreTrainedTokenizer } from './pretrained-tokenizer.js';

const MODEL = 'tiny-random-bert-feature-extraction';

describe('AutoTokenizer.from_pretrained', () => {
  isolateEnv();

  it('loads a local model offline and tokenizes like Python', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = FIXTURE_MODELS;
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL, { local_files_only: true });
    expect(tokenizer).toBeInstanceOf(PreTrainedTokenizer);
    const golden = JSON.parse(readFileSync(fixturePath(MODEL, 'goldens/tokenizer.json'), 'utf8')).cases[0];
    expect(tokenizer.encode(golden.text)).toEqual(golden.input_ids);
    expect(tokenizer.model_max_length).toBe(JSON.parse(readFileSync(fixturePath(MODEL, 'tokenizer_config.json'), 'utf8')).model_max_length);
  });

  it('fails with the hub error when tokenizer.json is missing', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = FIXTURE_MODELS;
    await expect(AutoTokenizer.from_pretrained('no-such-model', { local_files_only: true })).rejects.toBeInstanceOf(ModelFileError);
  });
});
