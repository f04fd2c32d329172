/**
 * The accuracy-guided plan (quantizeGraphsToTarget): probes made from the graph, weights moved
 * up until the probes meet the target, a target out of reach reported as missed. Accuracy on
 * the Python goldens, with the target, is checked per fixture in variants.test.ts.
 */
import * as ort from 'onnxruntime-web';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tokenRange } from '../src/accuracy/probes.js';
import { calibrateGraphs, ConvertOptionError, ortRunner, quantizeGraphsToTarget, quantizeModel } from '../src/index.js';
import { decodeModel } from '../src/onnx/codec.js';
import { allGraphs } from '../src/graph/walk.js';
import { listFixtures, readFixtureFiles } from './fixture-runner.js';

const runner = ortRunner(ort);
const fixture = (name: string) => listFixtures().find((f) => f.name === name)!;
const bert = readFixtureFiles(fixture('tiny-random-bert-sequence-classification'));
// toEqual walks typed arrays element by element: tens of seconds for a model.
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

test('probe token ids stay inside the vocabulary (the rows of the table the ids index)', () => {
  for (const name of ['tiny-random-gpt2', 'tiny-random-bert-sequence-classification']) {
    const { dir, files } = fixture(name);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(tokenRange(decodeModel(readFixtureFiles(fixture(name))[files[0]]), 'input_ids')).toBe(config.vocab_size);
  }
});

describe('quantizeGraphsToTarget', () => {
  test('a variant that meets the target on the first probe is the data-free plan, unchanged', async () => {
    const { graphs, accuracy } = await quantizeGraphsToTarget(bert, { dtype: 'q8', runner, targetCosine: 0.99 });
    expect(accuracy).toMatchObject({ target: 0.99, met: true, evaluations: 1 });
    expect(accuracy.minCosine).toBeGreaterThanOrEqual(0.99);
    expect(sameBytes(graphs['onnx/model.onnx'].model, quantizeModel(bert['onnx/model.onnx'], { dtype: 'q8' }).model)).toBe(true);
  });

  test('a target out of reach is reported as missed, with every weight moved to float32', async () => {
    const { graphs, accuracy } = await quantizeGraphsToTarget(bert, { dtype: 'q4', runner, targetCosine: 1.5 });
    expect(accuracy.met).toBe(false);
    expect(accuracy.minCosine).toBeLessThan(1.5);
    const levels = new Set(graphs['onnx/model.onnx'].weightLevels.values());
    expect(levels).toEqual(new Set(['float']));
  });

  test("q4's 4-bit level is error-compensated (calibrateGraphs) unless calibrate is false", async () => {
    const file = 'onnx/model.onnx';
    const calibration = await calibrateGraphs(bert, runner);
    const compensated = await quantizeGraphsToTarget(bert, { dtype: 'q4', runner, targetCosine: -1 });
    const rounded = await quantizeGraphsToTarget(bert, { dtype: 'q4', runner, targetCosine: -1, calibrate: false });
    expect(sameBytes(compensated.graphs[file].model, quantizeModel(bert[file], { dtype: 'q4', calibration: calibration[file] }).model)).toBe(true);
    expect(sameBytes(rounded.graphs[file].model, quantizeModel(bert[file], { dtype: 'q4' }).model)).toBe(true);
    expect(sameBytes(compensated.graphs[file].model, rounded.graphs[file].model)).toBe(false);
  });

  test('moving weights up raises the probes to the target (T5: every quantized q4 weight costs cosine)', async () => {
    const t5 = readFixtureFiles(fixture('tiny-random-t5'));
    const strict = await quantizeGraphsToTarget(t5, { dtype: 'q4', runner, targetCosine: -1 });
    const guided = await quantizeGraphsToTarget(t5, { dtype: 'q4', runner, targetCosine: 0.98 });
    expect(strict.accuracy.minCosine).toBeLessThan(0.98);
    expect(guided.accuracy).toMatchObject({ met: true });
    expect(guided.accuracy.minCosine).toBeGreaterThanOrEqual(0.98);
    expect(Object.values(guided.graphs).flatMap((g) => g.keptWeights).length).toBeGreaterThan(0);
  });
});

describe('keepWeights', () => {
  test("keeps the named weights at the level asked (q4: 'int8' is q8's form, 'float' stays a MatMul) and names them", () => {
    const first = quantizeModel(bert['onnx/model.onnx'], { dtype: 'q4', strictDtype: true });
    const [toInt8, toFloat] = [...first.weightLevels].filter(([, level]) => level === 4).map(([name]) => name);
    const kept = quantizeModel(bert['onnx/model.onnx'], { dtype: 'q4', strictDtype: true, keepWeights: { [toInt8]: 'int8', [toFloat]: 'float' } });
    expect(kept.keptWeights).toHaveLength(2);
    expect(kept.keptWeights).toEqual(expect.arrayContaining([
      { weight: toInt8, from: 4, to: 'int8' },
      { weight: toFloat, from: 4, to: 'float' },
    ]));
    const nodes = allGraphs(decodeModel(kept.model).graph).flatMap((g) => g.node);
    expect(nodes.some((n) => n.opType === 'MatMulInteger' && n.input[1].startsWith(toInt8))).toBe(true);
    expect(nodes.some((n) => n.opType === 'MatMul' && n.input[1] === toFloat)).toBe(true);
  });

  test('an unknown level is refused with the option named', () => {
    expect(() => quantizeModel(bert['onnx/model.onnx'], { dtype: 'q8', keepWeights: { w: 'fp8' as 'float' } })).toThrow(ConvertOptionError);
  });
});
