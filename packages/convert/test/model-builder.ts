/** Small hand-built ONNX models for unit tests (one op, named inputs and outputs). */
import { makeNode } from '../src/graph/edit.js';
import { encodeModel } from '../src/onnx/codec.js';
import { makeTensor } from '../src/onnx/tensor-data.js';
import type { AttributeProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from '../src/onnx/types.js';

export function valueInfo(name: string, elemType: number): ValueInfoProto {
  return { name, type: { tensorType: { elemType, unknown: [] }, unknown: [] }, unknown: [] };
}

export function buildModel(opts: {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  opset?: number;
}): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opts.opset ?? 17, unknown: [] }],
    graph: {
      name: 'test',
      node: opts.nodes,
      initializer: opts.initializers ?? [],
      input: opts.inputs,
      output: opts.outputs,
      valueInfo: [],
      unknown: [],
    },
    unknown: [],
  };
}

export function singleNodeModel(
  opType: string,
  inputs: ValueInfoProto[],
  outputs: ValueInfoProto[],
  attributes: AttributeProto[] = [],
  initializers: TensorProto[] = [],
): Uint8Array {
  const node = makeNode(opType, [...inputs.map((v) => v.name), ...initializers.map((t) => t.name)], outputs.map((v) => v.name), `the_${opType}`, attributes);
  return encodeModel(buildModel({ nodes: [node], inputs, outputs, initializers }));
}

export { makeTensor };
