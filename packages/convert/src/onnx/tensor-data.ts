/** Reading weights out of a TensorProto and building new initializers. */
import { DATA_LOCATION_EXTERNAL, DataType, type TensorProto } from './types.js';

export function elementCount(dims: number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function isExternal(t: TensorProto): boolean {
  return t.dataLocation === DATA_LOCATION_EXTERNAL;
}

/** A float32 tensor's values; raw data is copied so the result is aligned and writable. */
export function readFloat32(t: TensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT) {
    throw new Error(`readFloat32 called on tensor "${t.name}" of data type ${t.dataType}`);
  }
  if (isExternal(t)) {
    // resolveExternalData() runs before any variant, so this is a caller bug, not a user error.
    throw new Error(`tensor "${t.name}" still points to external data`);
  }
  if (t.rawData) return new Float32Array(t.rawData.slice().buffer);
  if (t.floatData) return t.floatData;
  return new Float32Array(elementCount(t.dims));
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function makeTensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): TensorProto {
  return { name, dims, dataType, rawData: bytesOf(data), externalData: [], unknown: [] };
}

/** Replaces a tensor's contents in place (keeping its name and any doc string). */
export function setTensorData(t: TensorProto, dataType: number, data: ArrayBufferView): void {
  t.dataType = dataType;
  t.rawData = bytesOf(data);
  t.floatData = undefined;
  t.int32Data = undefined;
  t.int64Data = undefined;
  t.doubleData = undefined;
  t.uint64Data = undefined;
}

/** Byte size of a tensor's payload as stored (what moves to an external file). */
export function payloadBytes(t: TensorProto): number {
  return (
    (t.rawData?.byteLength ?? 0) +
    (t.floatData?.byteLength ?? 0) +
    (t.int32Data?.byteLength ?? 0) +
    (t.int64Data?.byteLength ?? 0) +
    (t.doubleData?.byteLength ?? 0) +
    (t.uint64Data?.byteLength ?? 0)
  );
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  }
  return out;
}
