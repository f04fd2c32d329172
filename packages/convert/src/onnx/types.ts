/**
 * The ONNX messages the converter reads and edits (field numbers from onnx.proto). Each
 * keeps the fields it does not model in `unknown`, as raw bytes with their tags, and writes
 * them back unchanged: doc strings, metadata, shapes, training info and whatever newer ONNX
 * versions add survive a round trip.
 */

export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  UINT4: 21,
  INT4: 22,
} as const;

export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

/** TensorProto.DataLocation */
export const DATA_LOCATION_EXTERNAL = 1;

export interface Unknown {
  /** Fields this converter does not model, byte-for-byte (tag included), in file order. */
  unknown: Uint8Array[];
}

export interface StringEntry extends Unknown {
  key: string;
  value: string;
}

export interface TensorProto extends Unknown {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: Float32Array;
  int32Data?: Int32Array;
  int64Data?: BigInt64Array;
  doubleData?: Float64Array;
  uint64Data?: BigUint64Array;
  externalData: StringEntry[];
  dataLocation?: number;
}

export interface TensorTypeProto extends Unknown {
  elemType?: number;
}

export interface TypeProto extends Unknown {
  tensorType?: TensorTypeProto;
}

export interface ValueInfoProto extends Unknown {
  name: string;
  type?: TypeProto;
}

export interface AttributeProto extends Unknown {
  name: string;
  type?: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: bigint[];
  tensors: TensorProto[];
  graphs: GraphProto[];
}

export interface NodeProto extends Unknown {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  attribute: AttributeProto[];
}

export interface GraphProto extends Unknown {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
}

export interface OperatorSetIdProto extends Unknown {
  domain: string;
  version: number;
}

export interface ModelProto extends Unknown {
  irVersion?: number;
  opsetImport: OperatorSetIdProto[];
  graph: GraphProto;
}
