import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblems } from '../../test/support/golden-compare.js';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { pipeline } from './pipeline.js';
import type { Answer, QuestionAnsweringOptions, QuestionAnsweringPipeline } from './question-answering.js';

const MODEL = 'tiny-random-bert-question-answering';
interface Case { input: { question: string; context: string }; kwargs: QuestionAnsweringOptions; output: Answer | Answer[] }
const fast = readFixtureJSON<{ 'question-answering': Case[] }>(MODEL, 'goldens/pipeline-fast.json')['question-answering'];
const slow = readFixtureJSON<{ 'question-answering': Case[] }>(MODEL, 'goldens/pipeline.json')['question-answering'];

const describeCase = (c: Case) => `${JSON.stringify(c.kwargs)} ${c.input.question} (${c.input.context.length} chars)`;

function expectAnswers(actual: Answer | Answer[], expected: Answer | Answer[], context: string, withSpans: boolean): void {
  expect(answerProblems(actual, expected, context, withSpans, 1e-4)).toEqual([]);
}

describe('question-answering matches Python transformers (fast-tokenizer path)', () => {
  let qa: QuestionAnsweringPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    qa = await pipeline('question-answering', MODEL);
  });
  afterAll(() => qa.dispose());

  for (const c of fast) {
    it(`pipeline-fast ${describeCase(c)}`, async () => {
      expectAnswers(await qa(c.input.question, c.input.context, c.kwargs) as Answer | Answer[], c.output, c.input.context, true);
    });
  }

  // The slow-tokenizer path widens answers differently ("France." vs "."); scores are the same.
  for (const c of slow) {
    it(`pipeline (scores) ${describeCase(c)}`, async () => {
      expectAnswers(await qa(c.input.question, c.input.context, c.kwargs) as Answer | Answer[], c.output, c.input.context, false);
    });
  }

  it('answers a batch of questions, each as if asked alone', async () => {
    const cases = fast.filter((c) => JSON.stringify(c.kwargs) === '{"top_k":1}');
    const batch = (await qa(cases.map((c) => c.input.question), cases.map((c) => c.input.context))) as Answer[];
    batch.forEach((a, i) => expectAnswers(a, cases[i].output, cases[i].input.context, true));
  });

  // A context that fits in one window gives the same answers whatever max_seq_len and doc_stride
  // are, so Python's top_k 3 goldens for the short contexts hold in a batch with stride windows.
  it('answers a batch mixing a context split into stride windows with short ones', async () => {
    const long = fast.find((c) => c.kwargs.max_seq_len === 64)!;
    const short = fast.filter((c) => JSON.stringify(c.kwargs) === '{"top_k":3}' && c.input.context.length < 200);
    const cases = [short[0], long, ...short.slice(1)];
    const batch = (await qa(cases.map((c) => c.input.question), cases.map((c) => c.input.context), long.kwargs)) as Answer[][];
    batch.forEach((a, i) => expectAnswers(a, cases[i].output, cases[i].input.context, true));
  });

  it('refuses a question without context, an empty context and an empty batch', async () => {
    await expect((qa as unknown as (q: string) => Promise<unknown>)('Who?')).rejects.toThrow(/needs a context/);
    await expect(qa('Who?', '')).rejects.toThrow(/context is empty/);
    await expect(qa([], [])).rejects.toThrow(/needs a context|empty batch/);
    await expect(qa('Who?', 'Someone.', { max_seq_len: 32, doc_stride: 64 })).rejects.toThrow(/doc_stride/);
  });
});
