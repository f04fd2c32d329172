import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillMaskProblems } from '../../test/support/golden-compare.js';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import type { FillMaskPipeline, FillMaskPrediction } from './fill-mask.js';
import { pipeline } from './pipeline.js';

const MODEL = 'tiny-random-bert-masked-lm';
interface Case { input: string; kwargs: { top_k: number }; output: FillMaskPrediction[] }
const golden = readFixtureJSON<{ 'fill-mask': Case[] }>(MODEL, 'goldens/pipeline.json')['fill-mask'];

function expectPredictions(actual: FillMaskPrediction[], expected: FillMaskPrediction[]): void {
  expect(fillMaskProblems(actual, expected, 1e-4)).toEqual([]);
}

describe('fill-mask matches Python transformers', () => {
  let unmask: FillMaskPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    unmask = await pipeline('fill-mask', MODEL);
  });
  afterAll(() => unmask.dispose());

  for (const c of golden) {
    it(`${JSON.stringify(c.input)} top_k ${c.kwargs.top_k}`, async () => {
      expectPredictions((await unmask(c.input, c.kwargs)) as FillMaskPrediction[], c.output);
    });
  }

  it('gives a padded batch the same predictions as one input at a time', async () => {
    const batch = (await unmask(golden.map((c) => c.input), { top_k: 5 })) as FillMaskPrediction[][];
    batch.forEach((p, i) => expectPredictions(p, golden[i].output));
  });

  it('restricts predictions to targets without renormalising', async () => {
    const c = golden[0];
    const targets = [c.output[3].token_str, c.output[1].token_str];
    expectPredictions((await unmask(c.input, { targets })) as FillMaskPrediction[], [c.output[1], c.output[3]]);
  });

  it('returns one list per mask when a text has several masks', async () => {
    const out = (await unmask('[MASK] is [MASK].')) as unknown as FillMaskPrediction[][];
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveLength(5);
    expect(out[0][0].sequence).toContain('[MASK]');
  });

  it('refuses a text without a mask token', async () => {
    await expect(unmask('No mask here.')).rejects.toThrow(/no \[MASK\] token/);
  });
});
