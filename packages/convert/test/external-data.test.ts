import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, test } from 'vitest';
import { ExternalDataError, quantize, quantizeModel } from '../src/index.js';
import { decodeModel, encodeModel, joinParts } from '../src/onnx/codec.js';
import { moveToExternalData, type ExternalDataReader } from '../src/onnx/external-data.js';
import { DATA_LOCATION_EXTERNAL } from '../src/onnx/types.js';
import { FIXTURES, asFloat32 } from './fixture-runner.js';

const SOURCE = new Uint8Array(readFileSync(join(FIXTURES, 'tiny-random-bert-sequence-classification/onnx/model.onnx')));

const FEEDS = {
  input_ids: new ort.Tensor('int64', BigInt64Array.from([101n, 7592n, 2088n, 102n]), [1, 4]),
  attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]),
  token_type_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 0n, 0n]), [1, 4]),
};

async function logits(model: Uint8Array, externalData?: { path: string; data: Uint8Array }): Promise<number[]> {
  const session = await ort.InferenceSession.create(model, externalData ? { externalData: [externalData] } : {});
  const out = await session.run(FEEDS);
  await session.release();
  return Array.from(asFloat32(out.logits));
}

function readerFor(files: Record<string, Uint8Array>): ExternalDataReader {
  return { read: (location, offset, length) => files[location].subarray(offset, length === undefined ? undefined : offset + length) };
}

/** The fixture re-saved with its weights in `model.onnx_data` (as onnx.save_model does over 2 GB). */
function withExternalWeights(): { model: Uint8Array; data: Uint8Array } {
  const model = decodeModel(SOURCE);
  const file = moveToExternalData(model.graph, 'model.onnx_data', 1024);
  return { model: encodeModel(model), data: joinParts(file.parts) };
}

describe('external data', () => {
  test('a variant written with external data loads in onnxruntime-web and computes what the inline one does', async () => {
    const inline = quantize(SOURCE, { dtype: 'fp16' });
    const split = quantizeModel(SOURCE, { dtype: 'fp16', externalDataLocation: 'model_fp16.onnx_data', externalDataMinBytes: 1024 });
    expect(split.externalData?.location).toBe('model_fp16.onnx_data');
    expect(split.model.length).toBeLessThan(inline.length / 4);
    const data = joinParts(split.externalData!.parts);
    expect(await logits(split.model, { path: 'model_fp16.onnx_data', data })).toEqual(await logits(inline));
  });

  test('tensors move to page-aligned offsets with location / offset / length entries', () => {
    const split = quantizeModel(SOURCE, { dtype: 'q8', externalDataLocation: 'w.bin', externalDataMinBytes: 1024 });
    const moved = decodeModel(split.model).graph.initializer.filter((t) => t.dataLocation === DATA_LOCATION_EXTERNAL);
    expect(moved.length).toBeGreaterThan(0);
    for (const t of moved) {
      const entries = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
      expect(entries.location).toBe('w.bin');
      expect(Number(entries.offset) % 4096).toBe(0);
      expect(Number(entries.offset) + Number(entries.length)).toBeLessThanOrEqual(split.externalData!.byteLength);
    }
  });

  test('a source model with external data converts to the same bytes as its inline twin', () => {
    const { model, data } = withExternalWeights();
    const fromSplit = quantize(model, { dtype: 'q4', externalData: readerFor({ 'model.onnx_data': data }) });
    expect(Buffer.compare(fromSplit, quantize(SOURCE, { dtype: 'q4' }))).toBe(0);
  });

  test('external data without a reader is refused, naming the tensor', () => {
    const { model } = withExternalWeights();
    expect(() => quantize(model, { dtype: 'fp16' })).toThrow(ExternalDataError);
    expect(() => quantize(model, { dtype: 'fp16' })).toThrow(/Tensor ".+": weights are in the external file "model.onnx_data"/);
  });

  test('an unknown external-data key or a location outside the model folder is refused', () => {
    for (const [key, value, message] of [
      ['compression', 'zstd', /unknown external_data key "compression"/],
      ['location', '../secrets.bin', /leaves the model folder/],
    ] as const) {
      const model = decodeModel(SOURCE);
      moveToExternalData(model.graph, 'model.onnx_data', 1024);
      const t = model.graph.initializer.find((i) => i.dataLocation === DATA_LOCATION_EXTERNAL)!;
      const entry = t.externalData.find((e) => e.key === key);
      if (entry) entry.value = value;
      else t.externalData.push({ key, value, unknown: [] });
      expect(() => quantize(encodeModel(model), { dtype: 'q8', externalData: readerFor({}) })).toThrow(message);
    }
  });

  test('a truncated external-data file is refused', () => {
    const { model, data } = withExternalWeights();
    const reader = readerFor({ 'model.onnx_data': data.subarray(0, data.length - 10) });
    expect(() => quantize(model, { dtype: 'fp16', externalData: reader })).toThrow(/truncated/);
  });

  test('quantize() refuses to return a model that needs an external-data file', () => {
    expect(() => quantize(SOURCE, { dtype: 'fp16', externalDataLocation: 'x.onnx_data' })).toThrow(/quantizeModel/);
  });
});
