import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelScoreProblems } from '../../test/support/golden-compare.js';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { pipeline } from './pipeline.js';
import type { LabelScore, TextClassificationPipeline } from './text-classification.js';

const MODEL = 'tiny-random-bert-sequence-classification';
interface Case { input: string; kwargs: Record<string, unknown>; output: LabelScore[] }
const golden = readFixtureJSON<Record<string, Case[]>>(MODEL, 'goldens/pipeline.json');

function expectScores(actual: LabelScore[], expected: LabelScore[]): void {
  expect(labelScoreProblems(actual, expected, 1e-4)).toEqual([]);
}

describe('text-classification matches Python transformers', () => {
  let classify: TextClassificationPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    classify = await pipeline('text-classification', MODEL);
  });
  afterAll(() => classify.dispose());

  for (const c of golden['text-classification']) {
    it(`top_k null: ${JSON.stringify(c.input).slice(0, 40)}`, async () => {
      expectScores((await classify(c.input, { top_k: null })) as LabelScore[], c.output);
    });
  }
  for (const c of golden['text-classification-default']) {
    it(`default (best label, one-element list): ${JSON.stringify(c.input).slice(0, 40)}`, async () => {
      expectScores((await classify(c.input)) as LabelScore[], c.output);
    });
  }

  it('gives a padded batch the same results as one input at a time', async () => {
    const cases = golden['text-classification'];
    const batch = (await classify(cases.map((c) => c.input), { top_k: null })) as LabelScore[][];
    expect(batch).toHaveLength(cases.length);
    batch.forEach((result, i) => expectScores(result, cases[i].output));
    const best = (await classify(cases.map((c) => c.input))) as LabelScore[];
    best.forEach((result, i) => expectScores([result], cases[i].output.slice(0, 1)));
  });

  it('applies top_k and function_to_apply', async () => {
    const c = golden['text-classification'][0];
    expectScores((await classify(c.input, { top_k: 1 })) as LabelScore[], c.output.slice(0, 1));
    const raw = (await classify(c.input, { top_k: null, function_to_apply: 'none' })) as LabelScore[];
    // softmax of the raw logits gives back the golden probabilities
    const exps = raw.map((r) => Math.exp(r.score));
    expectScores(raw.map((r, i) => ({ label: r.label, score: exps[i] / (exps[0] + exps[1]) })), c.output);
  });

  it('scores text pairs as {text, text_pair}', async () => {
    const nli = await pipeline('text-classification', 'tiny-random-bert-nli');
    const logits = readFixtureJSON<{ cases: { name: string; outputs: { logits: { data: number[][] } } }[] }>('tiny-random-bert-nli', 'goldens/outputs.json');
    const zs = readFixtureJSON<{ 'zero-shot-classification': { input: string; kwargs: { candidate_labels: string[] } }[] }>('tiny-random-bert-nli', 'goldens/pipeline.json')['zero-shot-classification'][0];
    const first = logits.cases.find((c) => c.name === 'zs0_0')!.outputs.logits.data[0];
    const pair = { text: zs.input, text_pair: `This example is ${zs.kwargs.candidate_labels[0]}.` };
    const out = (await nli(pair, { top_k: null, function_to_apply: 'none' })) as LabelScore[];
    const byLabel = Object.fromEntries(out.map((r) => [r.label, r.score]));
    [byLabel.contradiction, byLabel.neutral, byLabel.entailment].forEach((v, i) => expect(Math.abs(v - first[i])).toBeLessThanOrEqual(1e-4));
    // Without top_k, Python returns a single pair's best label bare, not in a list.
    expect(await nli(pair, { function_to_apply: 'none' })).toEqual(out[0]);
    await nli.dispose();
  });

  it('refuses an empty batch, a too-long text without truncation and an unknown function_to_apply', async () => {
    await expect(classify([])).rejects.toThrow(/empty batch/);
    const long = golden['text-classification'].find((c) => c.input.length > 2000)!.input;
    await expect(classify(long, { truncation: false })).rejects.toThrow(/at most 512/);
    await expect(classify('x', { function_to_apply: 'relu' as never })).rejects.toThrow(/unknown function_to_apply "relu"/);
  });
});
