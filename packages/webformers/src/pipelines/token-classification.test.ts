import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityProblems } from '../../test/support/golden-compare.js';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { pipeline } from './pipeline.js';
import type { TokenClassificationOptions, TokenClassificationOutput, TokenClassificationPipeline } from './token-classification.js';

const MODEL = 'tiny-random-bert-token-classification';
type Entity = { entity?: string; entity_group?: string; score: number; index?: number; word: string; start: number | null; end: number | null };
interface Case { input: string; kwargs: TokenClassificationOptions; output: Entity[] }
const fast = readFixtureJSON<{ 'token-classification': Case[] }>(MODEL, 'goldens/pipeline-fast.json')['token-classification'];
const slow = readFixtureJSON<{ 'token-classification': Case[] }>(MODEL, 'goldens/pipeline.json')['token-classification'];

const describeCase = (c: Case) => `${JSON.stringify(c.kwargs)} ${JSON.stringify(c.input).slice(0, 40)}`;

function expectEntities(actual: TokenClassificationOutput, expected: Entity[], text: string, withSpans: boolean): void {
  expect(entityProblems(actual as Entity[], expected, text, withSpans, 1e-4)).toEqual([]);
}

describe('token-classification matches Python transformers (fast-tokenizer path)', () => {
  let ner: TokenClassificationPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    ner = await pipeline('ner', MODEL);
  });
  afterAll(() => ner.dispose());

  for (const c of fast) {
    it(`pipeline-fast ${describeCase(c)}`, async () => {
      expectEntities(await ner(c.input, c.kwargs), c.output, c.input, true);
    });
  }

  // The slow-tokenizer goldens have no offsets and join words differently ("world !"), so only
  // labels, indices and scores are compared.
  for (const c of slow) {
    it(`pipeline (labels and scores) ${describeCase(c)}`, async () => {
      expectEntities(await ner(c.input, c.kwargs), c.output, c.input, false);
    });
  }

  it('gives every text of a batch its own result, equal to one at a time', async () => {
    const cases = fast.filter((c) => c.kwargs.aggregation_strategy === 'simple' && c.kwargs.stride === undefined && c.kwargs.ignore_labels === undefined);
    const batch = (await ner(cases.map((c) => c.input), { aggregation_strategy: 'simple' })) as TokenClassificationOutput[];
    batch.forEach((result, i) => expectEntities(result, cases[i].output, cases[i].input, true));
  });

  // Left padding would shift the positions of the shorter texts, which changes a BERT model's outputs.
  it('batches texts of different lengths as if each ran alone, also for a tokenizer that pads on the left', async () => {
    const cases = fast.filter((c) => c.kwargs.aggregation_strategy === 'none' && c.kwargs.ignore_labels === undefined);
    const settings = ner.tokenizer.settings as { paddingSide: 'left' | 'right' };
    settings.paddingSide = 'left';
    try {
      const batch = (await ner(cases.map((c) => c.input), { aggregation_strategy: 'none' })) as TokenClassificationOutput[];
      batch.forEach((result, i) => expectEntities(result, cases[i].output, cases[i].input, true));
    } finally {
      settings.paddingSide = 'right';
    }
  });

  // A text shorter than the model's length is one window with or without a stride, so Python's
  // no-stride goldens are also its stride results for the short texts of this batch.
  it('batches a long text split into stride windows with short texts', async () => {
    const long = fast.find((c) => c.kwargs.aggregation_strategy === 'first' && c.kwargs.stride !== undefined)!;
    const short = fast.filter((c) => c.kwargs.aggregation_strategy === 'first' && c.kwargs.stride === undefined);
    const cases = [short[0], long, ...short.slice(1)];
    const batch = (await ner(cases.map((c) => c.input), { aggregation_strategy: 'first', stride: long.kwargs.stride })) as TokenClassificationOutput[];
    batch.forEach((result, i) => expectEntities(result, cases[i].output, cases[i].input, true));
  });

  it('rejects stride without aggregation, an unknown strategy and an empty batch', async () => {
    await expect(ner('Hello world', { stride: 16 })).rejects.toThrow(/aggregation strategy/);
    await expect(ner('Hello world', { aggregation_strategy: 'longest' as never })).rejects.toThrow(/unknown aggregation_strategy/);
    await expect(ner([])).rejects.toThrow(/empty batch/);
  });
});
