/**
 * A minimal tensor: a typed array plus dims, with the constructor shape of onnxruntime-web and
 * transformers.js (`new Tensor(type, data, dims)`), so results port between the libraries.
 */
import { InvalidArgumentError } from './errors.js';

export type DataType =
  | 'float32' | 'float16' | 'float64'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'string';

export type TensorData =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | string[];

const ARRAY_OF: Record<DataType, (n: number) => TensorData> = {
  float32: (n) => new Float32Array(n),
  float16: (n) => new Uint16Array(n), // raw IEEE half bits, as ORT exposes them
  float64: (n) => new Float64Array(n),
  int8: (n) => new Int8Array(n),
  uint8: (n) => new Uint8Array(n),
  int16: (n) => new Int16Array(n),
  uint16: (n) => new Uint16Array(n),
  int32: (n) => new Int32Array(n),
  uint32: (n) => new Uint32Array(n),
  int64: (n) => new BigInt64Array(n),
  uint64: (n) => new BigUint64Array(n),
  bool: (n) => new Uint8Array(n),
  string: (n) => new Array<string>(n).fill(''),
};

export function emptyData(type: DataType, size: number): TensorData {
  return ARRAY_OF[type](size);
}

export class Tensor {
  readonly type: DataType;
  readonly data: TensorData;
  readonly dims: number[];

  constructor(type: DataType, data: TensorData | number[] | bigint[], dims: readonly number[]) {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) {
      throw new InvalidArgumentError(
        `Tensor data has ${data.length} values but dims [${dims.join(', ')}] need ${size}.`,
        { hint: 'Pass dims whose product equals the data length.' },
      );
    }
    this.type = type;
    this.dims = [...dims];
    this.data = Array.isArray(data) && !isStringArray(type, data) ? fromArray(type, data as number[] | bigint[]) : (data as TensorData);
  }

  get size(): number {
    return this.data.length;
  }

  /** Nested JS arrays (numbers, or bigints for 64-bit integer tensors), like `torch.Tensor.tolist()`. */
  tolist(): unknown {
    const flat = Array.from(this.data as ArrayLike<unknown>);
    const nest = (offset: number, axis: number): unknown => {
      if (axis === this.dims.length) return flat[offset];
      const stride = this.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.dims[axis] }, (_, i) => nest(offset + i * stride, axis + 1));
    };
    return this.dims.length === 0 ? flat[0] : nest(0, 0);
  }
}

function isStringArray(type: DataType, data: unknown[]): data is string[] {
  return type === 'string' && data.every((v) => typeof v === 'string');
}

function fromArray(type: DataType, values: number[] | bigint[]): TensorData {
  if (type === 'string') return (values as unknown[]).map(String);
  const out = ARRAY_OF[type](values.length);
  // One loop per element kind: a single loop storing into either kind of typed array is
  // polymorphic, and this runs on every tokenizer call that builds its tensors from arrays.
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  } else {
    const numbers = out as Float64Array;
    for (let i = 0; i < values.length; i++) numbers[i] = Number(values[i]);
  }
  return out;
}
