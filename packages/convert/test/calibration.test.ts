/**
 * Calibration (accuracy/calibration.ts) on the fixtures: which weights it measures, what
 * inputs it runs, and what error-compensated 4-bit blocks buy against the Python goldens.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, test } from 'vitest';
import { calibrateGraphs, ConvertOptionError, measureGraphs, ortRunner, quantize, quantizeModel, type GraphRunner, type ProbeTensor, type WeightCalibration } from '../src/index.js';
import { tableKey } from '../src/variants/weighted-matmul.js';
import { listFixtures, readFixtureFiles, runFixture, type Comparison, type ModelFiles } from './fixture-runner.js';
import { maskedCosine } from './metrics.js';

const fixture = listFixtures().find((f) => f.name === 'tiny-random-t5')!;
const t5 = readFixtureFiles(fixture);

/** onnxruntime-web, recording every `input_ids` it is fed. */
function recordingRunner(seen: number[][]): GraphRunner {
  const runner = ortRunner(ort);
  return {
    async load(model) {
      const session = await runner.load(model);
      return {
        ...session,
        run(feeds: Record<string, ProbeTensor>) {
          const ids = feeds.input_ids;
          const length = ids.dims[1];
          const values = Array.from(ids.data as BigInt64Array, Number);
          for (let r = 0; r < ids.dims[0]; r++) seen.push(values.slice(r * length, (r + 1) * length));
          return session.run(feeds);
        },
      };
    },
  };
}

describe('calibrateGraphs on T5 (encoder and merged decoder together)', () => {
  const calibrationIds: number[][] = [];
  let calibration: Record<string, WeightCalibration>;
  let reference: Comparison[];

  beforeAll(async () => {
    calibration = await calibrateGraphs(t5, recordingRunner(calibrationIds));
    reference = await runFixture(fixture, t5, 'golden-encoder');
  });

  test('measures every MatMul weight of each graph but the LM head tied to the embeddings', () => {
    for (const [file, bytes] of Object.entries(t5)) {
      const weights = [...quantizeModel(bytes, { dtype: 'q4', strictDtype: true }).weightLevels.keys()];
      const tied = weights.filter((w) => w.includes('shared'));
      const measured = [...calibration[file].keys()];
      // A MatMul weight is keyed by its initializer, one read through Transpose by its source's rows.
      const matmuls = weights.filter((w) => !tied.includes(w)).map((w) => (measured.includes(w) ? w : tableKey(w)));
      expect(measured.sort()).toEqual(matmuls.sort());
      for (const t of tied) expect(calibration[file].has(tableKey(t))).toBe(false);
    }
    // Both branches of the merged decoder: the cross-attention k/v run only without a cache, the rest in both.
    expect(calibration['onnx/decoder_model_merged.onnx'].size).toBe(20);
  });

  test("runs inputs that are neither the goldens' nor the accuracy search's probes", async () => {
    const searchIds: number[][] = [];
    await measureGraphs(t5, t5, recordingRunner(searchIds));
    const goldenIds = fixture.cases.flatMap((c: { input_ids: number[][] }) => c.input_ids);
    const key = (ids: number[]) => ids.join(',');
    const calibrationKeys = new Set(calibrationIds.map(key));
    expect(calibrationIds.length).toBeGreaterThan(searchIds.length);
    for (const ids of [...goldenIds, ...searchIds]) expect(calibrationKeys.has(key(ids))).toBe(false);
  });

  test("a calibration that does not fit the model's weights is refused, naming the weight", () => {
    const encoder = calibration['onnx/encoder_model.onnx'];
    const swapped = new Map([...encoder].map(([key]) => [key, new Float64Array(5 * 5)]));
    expect(() => quantize(t5['onnx/encoder_model.onnx'], { dtype: 'q4', calibration: swapped })).toThrow(ConvertOptionError);
    expect(() => quantize(t5['onnx/encoder_model.onnx'], { dtype: 'q4', calibration: swapped })).toThrow(/weight ".*" has 32 inputs, its calibration is for 5/);
  });

  test('q4 with error-compensated blocks keeps T5 closer to the goldens than rounding to nearest', async () => {
    const minCosine = async (options: (file: string) => WeightCalibration | undefined) => {
      const files: ModelFiles = {};
      for (const [file, bytes] of Object.entries(t5)) files[file] = quantize(bytes, { dtype: 'q4', calibration: options(file) });
      const results = await runFixture(fixture, files);
      return Math.min(...results.map((c, i) => maskedCosine(c, reference[i])));
    };
    const rounded = await minCosine(() => undefined);
    const compensated = await minCosine((file) => calibration[file]);
    expect(compensated).toBeGreaterThan(rounded);
  });
});
