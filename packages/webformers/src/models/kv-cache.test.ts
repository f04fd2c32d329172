import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalFixtureModels } from '../../test/support/model-goldens.js';
import type { ModelSession } from '../backend/index.js';
import { CacheShapeError, assertKVCacheGraph, pastInputs } from './kv-cache.js';
import { PreTrainedModel } from './pretrained-model.js';

/** The session with its past inputs' head count and head size made symbolic, as some exports declare them. */
function withSymbolicHeads(session: ModelSession): ModelSession {
  const inputs = session.inputs.map((info) => (info.name.startsWith('past_key_values.') ? { ...info, dims: [info.dims[0], 'num_heads', info.dims[2], 'head_dim'] } : info));
  return { ...session, inputs } as ModelSession;
}

// Each fixture's exported graph declares the real dims; config.json alone must give the same.
const FIXTURES = [
  { model: 'tiny-random-gpt2', head: 'causal-lm', session: 'model' },
  { model: 'tiny-random-llama-qwen3tok', head: 'causal-lm', session: 'model' },
  { model: 'tiny-random-bart', head: 'seq2seq-lm', session: 'decoder_model_merged' },
  { model: 'tiny-random-t5', head: 'seq2seq-lm', session: 'decoder_model_merged' },
] as const;

describe('KV-cache dims a graph leaves symbolic come from config.json', () => {
  const models: PreTrainedModel[] = [];
  beforeAll(useLocalFixtureModels);
  afterAll(() => Promise.all(models.map((m) => m.dispose())));

  for (const { model: id, head, session: name } of FIXTURES) {
    it(`${id}: the head count and head size the export declares`, async () => {
      const model = await PreTrainedModel.load(id, head, { device: 'wasm', dtype: 'fp32' });
      models.push(model);
      const session = model.sessions[name];
      const declared = pastInputs(session, model.config);
      expect(declared.length).toBeGreaterThan(0);
      expect(declared.every((info) => typeof info.dims[1] === 'number' && typeof info.dims[3] === 'number')).toBe(true);
      expect(assertKVCacheGraph(id, name, withSymbolicHeads(session), model.config)).toEqual(declared);
    });
  }

  it('is a CacheShapeError naming the input when config.json lacks them too', async () => {
    const model = models[0] ?? (await PreTrainedModel.load('tiny-random-gpt2', 'causal-lm', { device: 'wasm', dtype: 'fp32' }));
    const bare = { model_type: 'gpt2' };
    let error: unknown;
    try {
      assertKVCacheGraph('tiny-random-gpt2', 'model', withSymbolicHeads(model.sessions.model), bare);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CacheShapeError);
    expect((error as CacheShapeError).message).toMatch(/past_key_values\.0\.key/);
    expect((error as CacheShapeError).hint).toMatch(/num_key_value_heads/);
  });
});
