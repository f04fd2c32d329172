import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, test } from 'vitest';
import { OnnxFormatError } from '../src/errors.js';
import { intAttribute, makeNode } from '../src/graph/edit.js';
import { decodeModel, encodeModel } from '../src/onnx/codec.js';
import { DataType } from '../src/onnx/types.js';
import { FIXTURES, asFloat32 } from './fixture-runner.js';
import { buildModel, makeTensor, valueInfo } from './model-builder.js';

const fixtureBytes = (file: string) => new Uint8Array(readFileSync(join(FIXTURES, file)));

/** JSON with typed arrays as base64 of their bytes: a deep comparison that stays fast on weights. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
    return typeof v === 'bigint' ? `${v}n` : v;
  });
}

describe('ONNX protobuf codec', () => {
  test.each(['tiny-random-gpt2/onnx/model.onnx', 'tiny-random-bart/onnx/decoder_model_merged.onnx'])(
    'decode -> encode -> decode of %s reproduces every field, unknown ones included',
    (file) => {
      const model = decodeModel(fixtureBytes(file));
      expect(model.unknown.length).toBeGreaterThan(0);
      expect(canonical(decodeModel(encodeModel(model)))).toBe(canonical(model));
    },
  );

  test('a re-encoded model computes bit-identical outputs in onnxruntime-web', async () => {
    const original = fixtureBytes('tiny-random-bert-sequence-classification/onnx/model.onnx');
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from([101n, 7592n, 102n]), [1, 3]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]),
      token_type_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 0n]), [1, 3]),
    };
    const run = async (bytes: Uint8Array) => {
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run(feeds);
      await session.release();
      return Array.from(asFloat32(out.logits));
    };
    expect(await run(encodeModel(decodeModel(original)))).toEqual(await run(original));
  });

  test('fields this codec does not model are written back byte for byte', () => {
    const model = buildModel({
      nodes: [makeNode('Identity', ['x'], ['y'], 'id')],
      inputs: [valueInfo('x', DataType.FLOAT)],
      outputs: [valueInfo('y', DataType.FLOAT)],
    });
    // Field 1000 (length-delimited "future" field) on the node and on the graph.
    const futureField = new Uint8Array([0xc2, 0x3e, 0x03, 0x61, 0x62, 0x63]);
    model.graph.node[0].unknown.push(futureField);
    model.graph.unknown.push(futureField);
    const again = decodeModel(encodeModel(model));
    expect(again.graph.node[0].unknown).toEqual([futureField]);
    expect(again.graph.unknown).toEqual([futureField]);
  });

  test('int64 attributes keep values beyond 2^53 and negative ones', () => {
    const node = makeNode('Slice', ['x'], ['y'], 'slice', [intAttribute('big', 9223372036854775807n), intAttribute('neg', -1n)]);
    node.attribute.push({ ...intAttribute('list', 0n), i: undefined, type: 7, ints: [-9223372036854775808n, 3n] });
    const model = buildModel({ nodes: [node], inputs: [valueInfo('x', DataType.FLOAT)], outputs: [valueInfo('y', DataType.FLOAT)] });
    const attrs = decodeModel(encodeModel(model)).graph.node[0].attribute;
    expect(attrs[0].i).toBe(9223372036854775807n);
    expect(attrs[1].i).toBe(-1n);
    expect(attrs[2].ints).toEqual([-9223372036854775808n, 3n]);
  });

  test('float_data in several runs, packed and one value per tag, reads as onnxruntime reads it', async () => {
    const w = { ...makeTensor('w', DataType.FLOAT, [3], new Float32Array(0)), rawData: undefined };
    const packed = new Uint8Array(10);
    packed.set([(4 << 3) | 2, 8]);
    new DataView(packed.buffer).setFloat32(2, 1.5, true);
    new DataView(packed.buffer).setFloat32(6, -2, true);
    w.unknown.push(packed);
    const unpacked = new Uint8Array(5);
    unpacked[0] = (4 << 3) | 5;
    new DataView(unpacked.buffer).setFloat32(1, 0.25, true);
    w.unknown.push(unpacked);
    const bytes = encodeModel(buildModel({
      nodes: [makeNode('Add', ['x', 'w'], ['y'], 'add')],
      inputs: [valueInfo('x', DataType.FLOAT)],
      outputs: [valueInfo('y', DataType.FLOAT)],
      initializers: [w],
    }));
    expect(Array.from(decodeModel(bytes).graph.initializer[0].floatData!)).toEqual([1.5, -2, 0.25]);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(3), [3]) });
    await session.release();
    expect(Array.from(out.y.data as Float32Array)).toEqual([1.5, -2, 0.25]);
  });

  test('a truncated file is refused with OnnxFormatError', () => {
    const bytes = fixtureBytes('tiny-random-t5/onnx/encoder_model.onnx');
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 100))).toThrow(OnnxFormatError);
  });

  test('bytes without a graph (e.g. an .onnx_data file) are refused', () => {
    expect(() => decodeModel(new Uint8Array([0x08, 0x07]))).toThrow(/no graph/);
  });
});
