/**
 * Scales stored as float16 behind a Cast: only where float16 holds every value exactly, with the
 * Cast in the graph that holds the initializer (its subgraphs read the float32 name as before),
 * and onnxruntime (wasm) computes with the scales the file holds.
 */
import * as ort from 'onnxruntime-web';
import { expect, test } from 'vitest';
import { NameAllocator, makeNode } from '../src/graph/edit.js';
import { encodeModel } from '../src/onnx/codec.js';
import { fromFloat16Array, roundToFloat16 } from '../src/onnx/float16.js';
import { readFloat32 } from '../src/onnx/tensor-data.js';
import { AttributeType, DataType } from '../src/onnx/types.js';
import { storeScalesAsFloat16 } from '../src/variants/half-scales.js';
import { halfScale } from '../src/variants/quant-math.js';
import { buildModel, makeTensor, valueInfo } from './model-builder.js';

test('halfScale rounds to the nearest float16 where float16 keeps full precision, and to float32 elsewhere', () => {
  expect(halfScale(0.02)).toBe(roundToFloat16(0.02));
  expect(halfScale(0.02)).not.toBe(Math.fround(0.02));
  expect(halfScale(0)).toBe(0);
  expect(halfScale(-3.3)).toBe(roundToFloat16(-3.3));
  // Below 2^-14 float16 is subnormal (fewer significant bits); above 65504 it overflows.
  expect(halfScale(1e-5)).toBe(Math.fround(1e-5));
  expect(halfScale(1e5)).toBe(Math.fround(1e5));
});

/** y = x · s, in the outer graph and in both branches of an If that read the same outer `s`. */
function scaledModel(scales: Float32Array) {
  const branch = (name: string) => ({
    name,
    node: [makeNode('Mul', ['x', 's'], [`${name}_y`], `${name}_mul`)],
    initializer: [],
    input: [],
    output: [valueInfo(`${name}_y`, DataType.FLOAT)],
    valueInfo: [],
    unknown: [],
  });
  const ifNode = makeNode('If', ['flag'], ['z'], 'the_if');
  ifNode.attribute.push(
    { name: 'then_branch', type: AttributeType.GRAPH, g: branch('then'), floats: [], ints: [], tensors: [], graphs: [], unknown: [] },
    { name: 'else_branch', type: AttributeType.GRAPH, g: branch('else'), floats: [], ints: [], tensors: [], graphs: [], unknown: [] },
  );
  return buildModel({
    nodes: [makeNode('Mul', ['x', 's'], ['y'], 'outer_mul'), ifNode],
    inputs: [valueInfo('x', DataType.FLOAT), valueInfo('flag', DataType.BOOL)],
    outputs: [valueInfo('y', DataType.FLOAT), valueInfo('z', DataType.FLOAT)],
    initializers: [makeTensor('s', DataType.FLOAT, [scales.length], scales), makeTensor('other', DataType.FLOAT, [1], Float32Array.of(0.02))],
  });
}

test('exact scales become a float16 initializer and a Cast under the old name; readers, subgraphs and other tensors are unchanged', async () => {
  const scales = Float32Array.from([0.02, 1.5, -0.3, 0], roundToFloat16);
  const model = scaledModel(scales);
  storeScalesAsFloat16(model, new NameAllocator(model.graph), new Set(['s']));
  const stored = model.graph.initializer.find((t) => t.name !== 'other')!;
  expect(stored.dataType).toBe(DataType.FLOAT16);
  expect([...fromFloat16Array(new Uint16Array(stored.rawData!.slice().buffer))]).toEqual([...scales]);
  const [cast] = model.graph.node;
  expect([cast.opType, cast.input[0], cast.output[0], Number(cast.attribute[0].i)]).toEqual(['Cast', stored.name, 's', DataType.FLOAT]);
  // Not named, so it stays float32 although float16 holds it exactly.
  expect(model.graph.initializer.find((t) => t.name === 'other')!.dataType).toBe(DataType.FLOAT);
  const session = await ort.InferenceSession.create(encodeModel(model));
  const x = Float32Array.of(2, 4, 8, 16);
  for (const flag of [true, false]) {
    const out = await session.run({ x: new ort.Tensor('float32', x, [4]), flag: new ort.Tensor('bool', [flag], []) });
    const expected = [...x].map((v, i) => v * scales[i]);
    expect([...(out.y.data as Float32Array)]).toEqual(expected);
    expect([...(out.z.data as Float32Array)]).toEqual(expected);
  }
  await session.release();
});

test('a scale tensor that float16 cannot hold exactly stays float32', () => {
  const scales = Float32Array.of(roundToFloat16(0.02), 0.02);
  const model = scaledModel(scales);
  storeScalesAsFloat16(model, new NameAllocator(model.graph), new Set(['s']));
  const s = model.graph.initializer.find((t) => t.name === 's')!;
  expect(s.dataType).toBe(DataType.FLOAT);
  expect(readFloat32(s)).toEqual(scales);
  expect(model.graph.node.map((n) => n.opType)).toEqual(['Mul', 'If']);
});
