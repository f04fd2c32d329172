import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zeroShotProblems } from '../../test/support/golden-compare.js';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { pipeline } from './pipeline.js';
import type { ZeroShotClassificationPipeline, ZeroShotOptions, ZeroShotResult } from './zero-shot-classification.js';

const MODEL = 'tiny-random-bert-nli';
interface Case { input: string; kwargs: ZeroShotOptions & { candidate_labels: string[] }; output: ZeroShotResult }
const golden = readFixtureJSON<{ 'zero-shot-classification': Case[] }>(MODEL, 'goldens/pipeline.json')['zero-shot-classification'];

function expectResult(actual: ZeroShotResult, expected: ZeroShotResult): void {
  expect(zeroShotProblems(actual, expected, 1e-4)).toEqual([]);
}

describe('zero-shot-classification matches Python transformers', () => {
  let classify: ZeroShotClassificationPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    classify = await pipeline('zero-shot-classification', MODEL);
  });
  afterAll(() => classify.dispose());

  it('finds the entailment label in config.label2id', () => {
    expect(classify.entailmentId).toBe(2);
  });

  for (const c of golden) {
    it(`${JSON.stringify(c.kwargs)} ${c.input.slice(0, 30)}`, async () => {
      const { candidate_labels, ...options } = c.kwargs;
      expectResult((await classify(c.input, candidate_labels, options)) as ZeroShotResult, c.output);
    });
  }

  it('classifies a batch of texts, each as if alone; accepts comma-separated labels', async () => {
    const cases = golden.filter((c) => c.kwargs.candidate_labels.join() === 'finance,weather' && !c.kwargs.multi_label && !c.kwargs.hypothesis_template);
    expect(cases.length).toBeGreaterThan(0);
    const batch = (await classify(cases.map((c) => c.input), 'finance, weather')) as ZeroShotResult[];
    batch.forEach((r, i) => expectResult(r, cases[i].output));
  });

  it('refuses no labels, a template without {} and a model without an entailment label', async () => {
    await expect(classify('text', [])).rejects.toThrow(/no candidate labels/);
    await expect(classify('text', ['a'], { hypothesis_template: 'About this.' })).rejects.toThrow(/has no \{\}/);
    await expect(pipeline('zero-shot-classification', 'tiny-random-bert-sequence-classification')).rejects.toThrow(/entailment/);
  });
});
