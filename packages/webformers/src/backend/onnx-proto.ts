/**
 * Just enough of the protobuf wire format to write small ONNX models in code (the row gather of
 * `row-gather.ts`): ModelProto, GraphProto, NodeProto with integer attributes, and ValueInfoProto
 * with an element type and a shape. Field numbers are those of onnx/onnx.proto; the library
 * writes graphs but never reads them, so there is no decoder.
 */
import { NotSupportedError } from '../utils/errors.js';
import type { DataType } from '../utils/tensor.js';

/** `TensorProto.DataType` codes of the dtypes a session can exchange. */
const ELEMENT_TYPE: Readonly<Partial<Record<DataType, number>>> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13,
};

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
/** `AttributeProto.AttributeType.INT`. */
const ATTRIBUTE_INT = 2;

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  intAttributes?: Readonly<Record<string, number>>;
}

/** A graph input or output; a string dim is symbolic (`dim_param`), a number fixed (`dim_value`). */
export interface OnnxValue {
  name: string;
  dtype: DataType;
  dims: readonly (number | string)[];
}

export interface OnnxModel {
  irVersion: number;
  /** Version of the default (ai.onnx) operator set. */
  opsetVersion: number;
  graphName: string;
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const graph = concat([
    ...model.nodes.map((node) => messageField(1, encodeNode(node))),
    stringField(2, model.graphName),
    ...model.inputs.map((value) => messageField(11, encodeValueInfo(value))),
    ...model.outputs.map((value) => messageField(12, encodeValueInfo(value))),
  ]);
  return concat([
    varintField(1, model.irVersion),
    messageField(7, graph),
    messageField(8, varintField(2, model.opsetVersion)),
  ]);
}

function onnxElementType(dtype: DataType): number {
  const code = ELEMENT_TYPE[dtype];
  if (code === undefined) {
    throw new NotSupportedError(`Tensors of dtype ${dtype} cannot be declared in a generated ONNX graph.`, {
      hint: 'Use a numeric or bool tensor.',
    });
  }
  return code;
}

function encodeNode(node: OnnxNode): Uint8Array {
  return concat([
    ...node.inputs.map((name) => stringField(1, name)),
    ...node.outputs.map((name) => stringField(2, name)),
    stringField(4, node.opType),
    ...Object.entries(node.intAttributes ?? {}).map(([name, value]) =>
      messageField(5, concat([stringField(1, name), varintField(3, value), varintField(20, ATTRIBUTE_INT)]))),
  ]);
}

function encodeValueInfo({ name, dtype, dims }: OnnxValue): Uint8Array {
  const shape = concat(dims.map((d) => messageField(1, typeof d === 'number' ? varintField(1, d) : stringField(2, d))));
  const tensorType = concat([varintField(1, onnxElementType(dtype)), messageField(2, shape)]);
  return concat([stringField(1, name), messageField(2, messageField(1, tensorType))]);
}

function varintField(field: number, value: number): Uint8Array {
  return concat([varint(field * 8 + WIRE_VARINT), varint(value)]);
}

function stringField(field: number, text: string): Uint8Array {
  return messageField(field, new TextEncoder().encode(text));
}

function messageField(field: number, bytes: Uint8Array): Uint8Array {
  return concat([varint(field * 8 + WIRE_LENGTH_DELIMITED), varint(bytes.length), bytes]);
}

/**
 * Base-128 varint. Negative int64 values take ten bytes in protobuf (two's complement); BigInt keeps
 * that exact where 32-bit shifts would not.
 */
function varint(value: number): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
