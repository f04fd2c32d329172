/**
 * ModelProto bytes <-> the objects in types.ts. Field numbers are onnx.proto's; known fields
 * are written in field-number order, then the unknown ones in the order they were read.
 */
import { OnnxFormatError } from '../errors.js';
import type {
  AttributeProto,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetIdProto,
  StringEntry,
  TensorProto,
  TensorTypeProto,
  TypeProto,
  ValueInfoProto,
} from './types.js';
import { ProtoReader, ProtoWriter, WIRE_FIXED32, WIRE_LENGTH } from './wire.js';

type FieldReader<T> = (r: ProtoReader, target: T, field: number, wire: number) => boolean;

function readMessage<T extends { unknown: Uint8Array[] }>(r: ProtoReader, target: T, read: FieldReader<T>): T {
  while (!r.done()) {
    const h = r.header();
    if (!read(r, target, h.field, h.wire)) target.unknown.push(r.keep(h));
  }
  return target;
}

function readStringEntry(r: ProtoReader): StringEntry {
  return readMessage(r, { key: '', value: '', unknown: [] }, (r, e, field, wire) => {
    if (wire !== WIRE_LENGTH) return false;
    if (field === 1) e.key = r.string();
    else if (field === 2) e.value = r.string();
    else return false;
    return true;
  });
}

/** Copies a packed little-endian run into an aligned typed array. */
function fixedArray<T>(bytes: Uint8Array, make: (buf: ArrayBuffer) => T): T {
  return make(bytes.slice().buffer);
}

/** Repeated float_data may arrive in several runs (packed, or one value per tag): concatenated. */
function concatFloat32(runs: Float32Array[]): Float32Array {
  if (runs.length === 1) return runs[0];
  const out = new Float32Array(runs.reduce((n, run) => n + run.length, 0));
  let offset = 0;
  for (const run of runs) {
    out.set(run, offset);
    offset += run.length;
  }
  return out;
}

function readTensor(r: ProtoReader): TensorProto {
  const t: TensorProto = { name: '', dims: [], dataType: 0, externalData: [], unknown: [] };
  const floatRuns: Float32Array[] = [];
  readMessage(r, t, (r, t, field, wire) => {
    switch (field) {
      case 1:
        r.repeated(wire, () => r.varint(), t.dims);
        return true;
      case 2:
        t.dataType = r.varint();
        return true;
      case 4:
        // Unpacked float_data (legal, though serializers pack it) is one value per tag.
        floatRuns.push(wire === WIRE_LENGTH ? fixedArray(r.bytes(), (b) => new Float32Array(b)) : Float32Array.of(r.float32()));
        return true;
      case 5: {
        const values: number[] = [];
        r.repeated(wire, () => Number(r.varint64()), values);
        t.int32Data = Int32Array.from(values);
        return true;
      }
      case 7: {
        const values: bigint[] = [];
        r.repeated(wire, () => r.varint64(), values);
        t.int64Data = BigInt64Array.from(values);
        return true;
      }
      case 8:
        t.name = r.string();
        return true;
      case 9:
        t.rawData = r.bytes();
        return true;
      case 10:
        if (wire !== WIRE_LENGTH) return false;
        t.doubleData = fixedArray(r.bytes(), (b) => new Float64Array(b));
        return true;
      case 11: {
        const values: bigint[] = [];
        r.repeated(wire, () => BigInt.asUintN(64, r.varint64()), values);
        t.uint64Data = BigUint64Array.from(values);
        return true;
      }
      case 13:
        t.externalData.push(readStringEntry(r.message()));
        return true;
      case 14:
        t.dataLocation = r.varint();
        return true;
      default:
        return false;
    }
  });
  if (floatRuns.length > 0) t.floatData = concatFloat32(floatRuns);
  return t;
}

function readTensorType(r: ProtoReader): TensorTypeProto {
  return readMessage(r, { unknown: [] } as TensorTypeProto, (r, t, field) => {
    if (field !== 1) return false;
    t.elemType = r.varint();
    return true;
  });
}

function readType(r: ProtoReader): TypeProto {
  return readMessage(r, { unknown: [] } as TypeProto, (r, t, field, wire) => {
    if (field !== 1 || wire !== WIRE_LENGTH) return false;
    t.tensorType = readTensorType(r.message());
    return true;
  });
}

function readValueInfo(r: ProtoReader): ValueInfoProto {
  return readMessage(r, { name: '', unknown: [] } as ValueInfoProto, (r, v, field, wire) => {
    if (field === 1) v.name = r.string();
    else if (field === 2 && wire === WIRE_LENGTH) v.type = readType(r.message());
    else return false;
    return true;
  });
}

function readAttribute(r: ProtoReader): AttributeProto {
  const a: AttributeProto = { name: '', floats: [], ints: [], tensors: [], graphs: [], unknown: [] };
  return readMessage(r, a, (r, a, field, wire) => {
    switch (field) {
      case 1:
        a.name = r.string();
        return true;
      case 2:
        if (wire !== WIRE_FIXED32) return false;
        a.f = r.float32();
        return true;
      case 3:
        a.i = r.varint64();
        return true;
      case 4:
        a.s = r.bytes();
        return true;
      case 5:
        a.t = readTensor(r.message());
        return true;
      case 6:
        a.g = readGraph(r.message());
        return true;
      case 7:
        r.repeated(wire, () => r.float32(), a.floats);
        return true;
      case 8:
        r.repeated(wire, () => r.varint64(), a.ints);
        return true;
      case 10:
        a.tensors.push(readTensor(r.message()));
        return true;
      case 11:
        a.graphs.push(readGraph(r.message()));
        return true;
      case 20:
        a.type = r.varint();
        return true;
      default:
        return false;
    }
  });
}

function readNode(r: ProtoReader): NodeProto {
  const n: NodeProto = { input: [], output: [], name: '', opType: '', domain: '', attribute: [], unknown: [] };
  return readMessage(r, n, (r, n, field) => {
    switch (field) {
      case 1:
        n.input.push(r.string());
        return true;
      case 2:
        n.output.push(r.string());
        return true;
      case 3:
        n.name = r.string();
        return true;
      case 4:
        n.opType = r.string();
        return true;
      case 5:
        n.attribute.push(readAttribute(r.message()));
        return true;
      case 7:
        n.domain = r.string();
        return true;
      default:
        return false;
    }
  });
}

function readGraph(r: ProtoReader): GraphProto {
  const g: GraphProto = { name: '', node: [], initializer: [], input: [], output: [], valueInfo: [], unknown: [] };
  return readMessage(r, g, (r, g, field) => {
    switch (field) {
      case 1:
        g.node.push(readNode(r.message()));
        return true;
      case 2:
        g.name = r.string();
        return true;
      case 5:
        g.initializer.push(readTensor(r.message()));
        return true;
      case 11:
        g.input.push(readValueInfo(r.message()));
        return true;
      case 12:
        g.output.push(readValueInfo(r.message()));
        return true;
      case 13:
        g.valueInfo.push(readValueInfo(r.message()));
        return true;
      default:
        return false;
    }
  });
}

function readOpset(r: ProtoReader): OperatorSetIdProto {
  return readMessage(r, { domain: '', version: 0, unknown: [] } as OperatorSetIdProto, (r, o, field) => {
    if (field === 1) o.domain = r.string();
    else if (field === 2) o.version = r.varint();
    else return false;
    return true;
  });
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  const r = new ProtoReader(bytes);
  let graph: GraphProto | undefined;
  const model = readMessage(r, { opsetImport: [], unknown: [] } as unknown as ModelProto, (r, m, field, wire) => {
    if (field === 1 && wire === 0) m.irVersion = r.varint();
    else if (field === 7 && wire === WIRE_LENGTH) graph = readGraph(r.message());
    else if (field === 8 && wire === WIRE_LENGTH) m.opsetImport.push(readOpset(r.message()));
    else return false;
    return true;
  });
  if (!graph) {
    throw new OnnxFormatError({
      what: 'model',
      detail: 'no graph (ModelProto field 7) found',
      hint: 'Pass the bytes of an .onnx model file, not of an external-data (.onnx_data) file.',
    });
  }
  model.graph = graph;
  return model;
}

function writeUnknown(w: ProtoWriter, m: { unknown: Uint8Array[] }): void {
  for (const bytes of m.unknown) w.raw(bytes);
}

function writeOptionalString(w: ProtoWriter, field: number, value: string): void {
  if (value) w.stringField(field, value);
}

function littleEndianBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function writeTensor(w: ProtoWriter, t: TensorProto): void {
  for (const d of t.dims) w.varintField(1, d);
  w.varintField(2, t.dataType);
  if (t.floatData) w.packedFixed(4, littleEndianBytes(t.floatData));
  if (t.int32Data) w.packedVarints(5, Array.from(t.int32Data, (v) => BigInt(v)));
  if (t.int64Data) w.packedVarints(7, t.int64Data);
  writeOptionalString(w, 8, t.name);
  if (t.rawData) w.bytesField(9, t.rawData);
  if (t.doubleData) w.packedFixed(10, littleEndianBytes(t.doubleData));
  if (t.uint64Data) w.packedVarints(11, t.uint64Data);
  for (const e of t.externalData) {
    w.messageField(13, (w) => {
      w.stringField(1, e.key);
      w.stringField(2, e.value);
      writeUnknown(w, e);
    });
  }
  if (t.dataLocation !== undefined) w.varintField(14, t.dataLocation);
  writeUnknown(w, t);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  writeOptionalString(w, 1, v.name);
  const type = v.type;
  if (type) {
    w.messageField(2, (w) => {
      const tensorType = type.tensorType;
      if (tensorType) {
        w.messageField(1, (w) => {
          if (tensorType.elemType !== undefined) w.varintField(1, tensorType.elemType);
          writeUnknown(w, tensorType);
        });
      }
      writeUnknown(w, type);
    });
  }
  writeUnknown(w, v);
}

function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.stringField(1, a.name);
  if (a.f !== undefined) w.float32Field(2, a.f);
  if (a.i !== undefined) w.varintField(3, a.i);
  if (a.s !== undefined) w.bytesField(4, a.s);
  const t = a.t;
  if (t) w.messageField(5, (w) => writeTensor(w, t));
  const g = a.g;
  if (g) w.messageField(6, (w) => writeGraph(w, g));
  for (const f of a.floats) w.float32Field(7, f);
  for (const i of a.ints) w.varintField(8, i);
  for (const t of a.tensors) w.messageField(10, (w) => writeTensor(w, t));
  for (const g of a.graphs) w.messageField(11, (w) => writeGraph(w, g));
  if (a.type !== undefined) w.varintField(20, a.type);
  writeUnknown(w, a);
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const name of n.input) w.stringField(1, name);
  for (const name of n.output) w.stringField(2, name);
  writeOptionalString(w, 3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attribute) w.messageField(5, (w) => writeAttribute(w, a));
  writeOptionalString(w, 7, n.domain);
  writeUnknown(w, n);
}

function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.node) w.messageField(1, (w) => writeNode(w, n));
  writeOptionalString(w, 2, g.name);
  for (const t of g.initializer) w.messageField(5, (w) => writeTensor(w, t));
  for (const v of g.input) w.messageField(11, (w) => writeValueInfo(w, v));
  for (const v of g.output) w.messageField(12, (w) => writeValueInfo(w, v));
  for (const v of g.valueInfo) w.messageField(13, (w) => writeValueInfo(w, v));
  writeUnknown(w, g);
}

/** The serialized model as parts in order (join them, or stream them to a file). */
export function encodeModelParts(model: ModelProto): Uint8Array[] {
  const w = new ProtoWriter();
  if (model.irVersion !== undefined) w.varintField(1, model.irVersion);
  w.messageField(7, (w) => writeGraph(w, model.graph));
  for (const o of model.opsetImport) {
    w.messageField(8, (w) => {
      writeOptionalString(w, 1, o.domain);
      w.varintField(2, o.version);
      writeUnknown(w, o);
    });
  }
  writeUnknown(w, model);
  return w.finishParts();
}

export function encodeModel(model: ModelProto): Uint8Array {
  return joinParts(encodeModelParts(model));
}

export function joinParts(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
