import { describe, expect, it } from 'vitest';
import { readFixtureJSON } from '../../test/support/model-goldens.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import { DEFAULT_GENERATION_CONFIG, eosTokenIds, mergeGenerationConfig, resolveLengths, validateGenerationConfig } from './generation-config.js';

describe('mergeGenerationConfig', () => {
  it('layers defaults < generation_config.json < call options', () => {
    const fromFile = readFixtureJSON<Record<string, unknown>>('tiny-random-bart', 'generation_config.json');
    const config = mergeGenerationConfig(fromFile, { max_length: 30, num_beams: 3 });
    expect(config.max_length).toBe(30);
    expect(config.num_beams).toBe(3);
    expect(config.forced_eos_token_id).toBe(fromFile.forced_eos_token_id);
    expect(config.decoder_start_token_id).toBe(fromFile.decoder_start_token_id);
    expect(config.top_k).toBe(DEFAULT_GENERATION_CONFIG.top_k);
    expect(config).not.toHaveProperty('transformers_version');
  });

  it('ignores undefined options and lets null clear a value', () => {
    const config = mergeGenerationConfig({ eos_token_id: [151645, 151643], pad_token_id: 151643 }, { pad_token_id: undefined, eos_token_id: null });
    expect(config.pad_token_id).toBe(151643);
    expect(config.eos_token_id).toBeNull();
  });

  it('reads one or many EOS ids', () => {
    expect(eosTokenIds({ eos_token_id: 2 })).toEqual([2]);
    expect(eosTokenIds({ eos_token_id: [1, 2] })).toEqual([1, 2]);
    expect(eosTokenIds({ eos_token_id: null })).toEqual([]);
  });
});

describe('resolveLengths', () => {
  it('counts max_new_tokens / min_new_tokens from the decoder input length', () => {
    const config = mergeGenerationConfig({}, { max_new_tokens: 10, min_new_tokens: 3, max_length: 99 });
    expect(resolveLengths(config, 5)).toEqual({ maxLength: 15, minLength: 8 });
  });

  it('keeps max_length / min_length as totals otherwise', () => {
    expect(resolveLengths(mergeGenerationConfig({}, { min_length: 4 }), 5)).toEqual({ maxLength: 20, minLength: 4 });
  });
});

describe('validateGenerationConfig', () => {
  const check = (options: Record<string, unknown>) => () => validateGenerationConfig(mergeGenerationConfig({}, options));

  it('accepts the defaults and common settings', () => {
    expect(check({})).not.toThrow();
    expect(check({ do_sample: true, temperature: 0.7, top_k: 5, top_p: 0.9, min_p: 0.05, typical_p: 0.95 })).not.toThrow();
    expect(check({ num_beams: 4, num_return_sequences: 4, early_stopping: 'never' })).not.toThrow();
  });

  it.each([
    { max_new_tokens: 0 }, { max_new_tokens: -3 }, { max_new_tokens: 1.5 },
    { num_beams: 2, num_return_sequences: 3 }, { num_return_sequences: 2 },
    { do_sample: true, temperature: 0 }, { do_sample: true, top_k: -1 }, { do_sample: true, top_p: 1.2 },
    { do_sample: true, min_p: -0.1 }, { do_sample: true, typical_p: 0 },
    { repetition_penalty: 0 }, { no_repeat_ngram_size: -1 }, { early_stopping: 'sometimes' },
    { eos_token_id: [1, -2] }, { bad_words_ids: [[]] }, { stop_strings: [''] },
  ])('rejects %j with an InvalidArgumentError that says what to do', (options) => {
    expect(check(options)).toThrow(InvalidArgumentError);
    try { check(options)(); } catch (e) { expect((e as InvalidArgumentError).hint).toBeTruthy(); }
  });

  it('refuses group beam search and beam sampling as not supported', () => {
    expect(check({ num_beams: 4, num_beam_groups: 2 })).toThrow(NotSupportedError);
    expect(check({ num_beams: 4, do_sample: true })).toThrow(NotSupportedError);
  });
});
