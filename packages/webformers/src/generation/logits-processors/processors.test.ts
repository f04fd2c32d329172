import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeGenerationConfig, resolveLengths } from '../generation-config.js';
import { softmax } from '../math.js';
import { buildLogitsProcessors } from './processor-list.js';

interface GoldenCase {
  name: string;
  params: Record<string, number>;
  input_ids: number[][];
  scores_in: (number | string)[];
  scores_out: (number | string)[];
  softmax_out: number[];
}

const GOLDEN = fileURLToPath(new URL('../../../test/fixtures/models/logits-processors/goldens/logits_processors.json', import.meta.url));
const cases = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { cases: GoldenCase[] }).cases;

const toNumber = (v: number | string): number => (v === '-inf' ? -Infinity : v === 'inf' ? Infinity : Number(v));
const WARPERS = ['temperature', 'top_k', 'top_p'];

/**
 * 1e-5, widened by the goldens' own rounding: inputs and outputs are stored to 6 significant digits,
 * so an output near 3 carries up to ~5e-6 of rounding from each side (temperature scales the input's).
 */
const scoreTolerance = (expected: number): number => 1e-5 + 5e-6 * Math.abs(expected);

/** Builds the processors through the config, as generate() does, so the golden also checks the builder and its order. */
function runCase(c: GoldenCase): Float32Array {
  const { prompt_length: promptLength, ...options } = c.params;
  const sampling = Object.keys(options).some((k) => WARPERS.includes(k));
  // top_k 0 keeps the default top-k (50) out of non-top-k sampling cases.
  const config = mergeGenerationConfig({}, { top_k: 0, ...options, do_sample: sampling });
  const inputLength = promptLength ?? c.input_ids[0].length;
  const { maxLength, minLength } = resolveLengths(config, inputLength);
  const processors = buildLogitsProcessors(config, { inputLength, maxLength, minLength });
  const scores = [Float32Array.from(c.scores_in.map(toNumber))];
  processors.apply(c.input_ids, scores);
  return scores[0];
}

describe('logits processors match Python transformers 4.47 goldens', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(32);
  });

  for (const c of cases) {
    it(`${c.name}: scores and softmax within 1e-5`, () => {
      const out = runCase(c);
      const expected = c.scores_out.map(toNumber);
      out.forEach((v, i) => {
        if (expected[i] === -Infinity) expect(v, `index ${i}`).toBe(-Infinity);
        else expect(Math.abs(v - expected[i]), `index ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(scoreTolerance(expected[i]));
      });
      softmax(out).forEach((p, i) => expect(Math.abs(p - c.softmax_out[i]), `softmax ${i}`).toBeLessThanOrEqual(1e-5));
    });
  }
});
