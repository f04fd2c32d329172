import * as ort from 'onnxruntime-web';
import { expect, test } from 'vitest';
import { quantize } from '../src/index.js';
import { listFixtures, readFixtureFiles, runFixture, type ModelFiles } from './fixture-runner.js';
import { maskedCosine } from './metrics.js';

test('fp16 with keepIoTypes: false declares float16 inputs and outputs and still matches the goldens', async () => {
  const fixture = listFixtures().find((f) => f.name === 'tiny-random-gpt2')!;
  const fp32 = readFixtureFiles(fixture);
  const files: ModelFiles = { 'onnx/model.onnx': quantize(fp32['onnx/model.onnx'], { dtype: 'fp16', keepIoTypes: false }) };
  const session = await ort.InferenceSession.create(files['onnx/model.onnx']);
  const types = Object.fromEntries(
    [...session.inputMetadata, ...session.outputMetadata].map((m) => [m.name, m.isTensor ? m.type : 'other']),
  );
  await session.release();
  expect(types['past_key_values.0.key']).toBe('float16');
  expect(types.logits).toBe('float16');
  expect(types.input_ids).toBe('int64');
  const reference = await runFixture(fixture, fp32);
  const results = await runFixture(fixture, files);
  expect(Math.min(...results.map((c, i) => maskedCosine(c, reference[i])))).toBeGreaterThanOrEqual(0.999);
});
