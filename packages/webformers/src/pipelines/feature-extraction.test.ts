import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cos_sim } from '../utils/math.js';
import { expectAllClose, expectTensorMatchesGolden, readFixtureJSON, useLocalFixtureModels, type GoldenTensor } from '../../test/support/model-goldens.js';
import type { FeatureExtractionPipeline } from './feature-extraction.js';
import { pipeline } from './pipeline.js';

const MODEL = 'tiny-random-bert-feature-extraction';
interface Case { input: string; output: GoldenTensor; mean_pooled: number[]; mean_pooled_normalized: number[] }
const golden = readFixtureJSON<{ 'feature-extraction': Case[] }>(MODEL, 'goldens/pipeline.json')['feature-extraction'];

describe('feature-extraction matches Python transformers', () => {
  let embed: FeatureExtractionPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    embed = await pipeline('feature-extraction', MODEL);
  });
  afterAll(() => embed.dispose());

  for (const c of golden) {
    it(`token vectors, mean pooling and normalisation: ${JSON.stringify(c.input).slice(0, 40)}`, async () => {
      expectTensorMatchesGolden(await embed(c.input), c.output, 1e-4, 'last_hidden_state');
      expectAllClose((await embed(c.input, { pooling: 'mean' })).data as Float32Array, c.mean_pooled, 1e-4, 'mean_pooled');
      expectAllClose((await embed(c.input, { pooling: 'mean', normalize: true })).data as Float32Array, c.mean_pooled_normalized, 1e-4, 'normalized');
    });
  }

  it('mean-pools a padded batch exactly as one text at a time', async () => {
    const batch = await embed(golden.map((c) => c.input), { pooling: 'mean', normalize: true });
    expect(batch.dims).toEqual([golden.length, 32]);
    golden.forEach((c, i) => expectAllClose((batch.data as Float32Array).subarray(i * 32, (i + 1) * 32), c.mean_pooled_normalized, 1e-4, `row ${i}`));
  });

  it('cls pooling takes the first token vector; cos_sim of normalised goldens agrees', async () => {
    const cls = await embed(golden[0].input, { pooling: 'cls' });
    const full = golden[0].output as { data: number[][][] };
    expectAllClose(cls.data as Float32Array, full.data[0][0], 1e-4, 'cls');
    const [a, b] = [golden[0].mean_pooled_normalized, golden[1].mean_pooled_normalized];
    const dotOfGoldens = a.reduce((s, v, i) => s + v * b[i], 0);
    const pooled = await embed([golden[0].input, golden[1].input], { pooling: 'mean' });
    const rows = [0, 1].map((r) => (pooled.data as Float32Array).subarray(r * 32, (r + 1) * 32));
    expect(Math.abs(cos_sim(rows[0], rows[1]) - dotOfGoldens)).toBeLessThanOrEqual(1e-4);
  });

  it('refuses normalize without pooling and an empty batch', async () => {
    await expect(embed('x', { normalize: true })).rejects.toThrow(/normalize needs one vector/);
    await expect(embed([])).rejects.toThrow(/empty batch/);
  });
});
