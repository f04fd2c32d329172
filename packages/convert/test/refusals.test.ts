import { describe, expect, test } from 'vitest';
import { ConvertOptionError, UnsupportedNodeError, quantize, type Dtype } from '../src/index.js';
import { makeNode } from '../src/graph/edit.js';
import { encodeModel } from '../src/onnx/codec.js';
import { AttributeType, DataType } from '../src/onnx/types.js';
import { buildModel, makeTensor, valueInfo } from './model-builder.js';

function modelWith(opType: string, domain = '', extra: Partial<ReturnType<typeof makeNode>> = {}): Uint8Array {
  const node = { ...makeNode(opType, ['x'], ['y'], 'the_node', [], domain), ...extra };
  return encodeModel(buildModel({ nodes: [node], inputs: [valueInfo('x', DataType.FLOAT)], outputs: [valueInfo('y', DataType.FLOAT)] }));
}

describe('graphs the converter does not understand are refused, naming the node', () => {
  test.each(['fp16', 'q4f16'] as Dtype[])('%s: an operator it cannot type', (dtype) => {
    const model = modelWith('FancyAttention', 'com.example');
    expect(() => quantize(model, { dtype })).toThrow(UnsupportedNodeError);
    expect(() => quantize(model, { dtype })).toThrow(/node "the_node" \(com\.example\.FancyAttention\)/);
  });

  test('fp16: a Loop body (state it would change blindly)', () => {
    const body = buildModel({ nodes: [], inputs: [], outputs: [] }).graph;
    const loop = modelWith('Loop', '', {
      attribute: [{ name: 'body', type: AttributeType.GRAPH, g: body, floats: [], ints: [], tensors: [], graphs: [], unknown: [] }],
    });
    expect(() => quantize(loop, { dtype: 'fp16' })).toThrow(/node "the_node" \(Loop\): loop bodies/);
  });

  test('fp16: a node reading a tensor nobody produced', () => {
    const node = makeNode('Add', ['x', 'ghost'], ['y'], 'adder');
    const model = encodeModel(buildModel({ nodes: [node], inputs: [valueInfo('x', DataType.FLOAT)], outputs: [valueInfo('y', DataType.FLOAT)] }));
    expect(() => quantize(model, { dtype: 'fp16' })).toThrow(/node "adder" \(Add\): input "ghost"/);
  });

  test('q8 on a model older than opset 11', () => {
    const w = makeTensor('w', DataType.FLOAT, [2, 2], new Float32Array(4));
    const model = encodeModel(buildModel({
      nodes: [makeNode('MatMul', ['x', 'w'], ['y'], 'mm')],
      inputs: [valueInfo('x', DataType.FLOAT)],
      outputs: [valueInfo('y', DataType.FLOAT)],
      initializers: [w],
      opset: 10,
    }));
    expect(() => quantize(model, { dtype: 'q8' })).toThrow(/opset 10/);
  });

  test('an unknown dtype or block size', () => {
    const model = modelWith('Relu');
    expect(() => quantize(model, { dtype: 'int3' as Dtype })).toThrow(ConvertOptionError);
    expect(() => quantize(model, { dtype: 'q4', blockSize: 24 })).toThrow(/power of two/);
  });

  test('operators the quantizers do not touch pass through unchanged (q8 leaves a custom op alone)', () => {
    expect(() => quantize(modelWith('FancyAttention', 'com.example'), { dtype: 'q8' })).not.toThrow();
  });
});
