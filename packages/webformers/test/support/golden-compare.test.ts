import { describe, expect, it } from 'vitest';
import { answerProblems, entityProblems, goldenNumber, tensorProblems, utf16Index, zeroShotProblems, type GoldenTensor } from './golden-compare.js';
import { readFixtureJSON } from './model-goldens.js';

// The goldens compared with themselves must match, and a golden nudged past the tolerance must
// not: both the browser pages and the vitest suites rely on these functions failing when they should.
const outputs = readFixtureJSON<{ cases: { outputs: Record<string, GoldenTensor> }[] }>('tiny-random-bert-token-classification', 'goldens/outputs.json').cases;
const asTensor = (g: GoldenTensor & { data: unknown }) => ({ dims: g.shape, data: Float32Array.from((g.data as unknown[]).flat(Infinity).map(goldenNumber)) });

describe('golden comparisons', () => {
  it('accept a full tensor golden as itself and report a value off by 2e-4', () => {
    const golden = outputs[0].outputs.logits as GoldenTensor & { data: unknown };
    const tensor = asTensor(golden);
    expect(tensorProblems(tensor, golden, 1e-4, 'logits')).toEqual([]);
    tensor.data[3] += 2e-4;
    expect(tensorProblems(tensor, golden, 1e-4, 'logits')).toEqual([expect.stringMatching(/^logits: max at flat index 3: \|diff\|/)]);
    expect(tensorProblems({ dims: [1], data: [0] }, golden, 1e-4, 'logits')[0]).toMatch(/logits: shape/);
  });

  it('check summarised goldens by their statistics and per-row argmax', () => {
    const summarised = outputs.find((c) => 'summary' in c.outputs.logits)!.outputs.logits as GoldenTensor & { summary: { first8: number[] } };
    const zeros = { dims: summarised.shape, data: new Float32Array(summarised.shape.reduce((a, b) => a * b, 1)) };
    const problems = tensorProblems(zeros, summarised, 1e-4, 'logits');
    expect(problems.some((p) => p.startsWith('logits: l2'))).toBe(true);
    expect(problems.some((p) => p.startsWith('logits: argmax_last_axis'))).toBe(true);
  });

  it('compare entity offsets as UTF-16 indices converted from code points', () => {
    const cases = readFixtureJSON<{ 'token-classification': { input: string; output: never[] }[] }>('tiny-random-bert-token-classification', 'goldens/pipeline-fast.json')['token-classification'];
    const c = cases.find((k) => [...k.input].length !== k.input.length && k.output.length > 0)!;
    const asJs = c.output.map((e: { start: number; end: number }) => ({ ...(e as object), start: utf16Index(c.input, e.start), end: utf16Index(c.input, e.end) }));
    expect(entityProblems(asJs as never[], c.output, c.input, true, 1e-4)).toEqual([]);
    expect(entityProblems(c.output, c.output, c.input, true, 1e-4)).not.toEqual([]);
  });

  it('report a different answer shape, ranking or score', () => {
    const answer = { score: 0.5, start: 0, end: 5, answer: 'Hello' };
    expect(answerProblems(answer, answer, 'Hello world', true, 1e-4)).toEqual([]);
    expect(answerProblems([answer], answer, 'Hello world', true, 1e-4)).toHaveLength(1);
    const result = { sequence: 's', labels: ['a', 'b'], scores: [0.6, 0.4] };
    expect(zeroShotProblems({ ...result, labels: ['b', 'a'] }, result, 1e-4)).toHaveLength(1);
    expect(zeroShotProblems({ ...result, scores: [0.6, 0.4002] }, result, 1e-4)).toHaveLength(1);
  });
});
