/**
 * Reorders the rows (axis 0) of a tensor that lives in GPU memory without reading it back, for beam
 * search's cache reordering. onnxruntime-web runs no operator outside a session, so the gather is a
 * one-node graph, `Gather(data, indices, axis=0)`, written here as ONNX bytes and started once per
 * backend, device, dtype and rank. Its sessions keep outputs on the GPU and hold no weights; they
 * live as long as the page, shared by every model on that backend.
 */
import { Tensor, type DataType } from '../utils/tensor.js';
import { encodeOnnxModel } from './onnx-proto.js';
import type { InferenceBackend, ModelSession, ResolvedDevice, SessionValue } from './types.js';

/** Row i of the result is row `indices[i]` of `value`; the result is a new tensor its caller must dispose. */
export type RowGather = (value: SessionValue, indices: readonly number[]) => Promise<SessionValue>;

// Gather is unchanged since opset 13, and IR 8 is old enough for any onnxruntime-web with WebGPU to read.
const IR_VERSION = 8;
const OPSET_VERSION = 13;

/** The gather graph for `dtype` tensors of `rank` dims, every dim symbolic. */
export function rowGatherModel(dtype: DataType, rank: number): Uint8Array {
  const rest = Array.from({ length: rank - 1 }, (_, axis) => `dim_${axis + 1}`);
  return encodeOnnxModel({
    irVersion: IR_VERSION,
    opsetVersion: OPSET_VERSION,
    graphName: 'row_gather',
    nodes: [{ opType: 'Gather', inputs: ['data', 'indices'], outputs: ['rows'], intAttributes: { axis: 0 } }],
    inputs: [{ name: 'data', dtype, dims: ['rows_in', ...rest] }, { name: 'indices', dtype: 'int64', dims: ['rows_out'] }],
    outputs: [{ name: 'rows', dtype, dims: ['rows_out', ...rest] }],
  });
}

const gatherSessions = new WeakMap<InferenceBackend, Map<string, Promise<ModelSession>>>();

function gatherSession(backend: InferenceBackend, device: ResolvedDevice, dtype: DataType, rank: number): Promise<ModelSession> {
  let byKey = gatherSessions.get(backend);
  if (!byKey) gatherSessions.set(backend, (byKey = new Map()));
  const key = `${device}/${dtype}/${rank}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const started = backend.createSession(rowGatherModel(dtype, rank), { device, keepOutputsOnDevice: true });
  byKey.set(key, started);
  // A failed start is forgotten, so that the next reorder tries again rather than failing forever.
  started.catch(() => byKey.delete(key));
  return started;
}

/** Gathers rows with a session of `backend` on `device`, so a GPU tensor stays where it is. */
export function sessionRowGather(backend: InferenceBackend, device: ResolvedDevice): RowGather {
  return async (value, indices) => {
    const session = await gatherSession(backend, device, value.type, value.dims.length);
    const order = new Tensor('int64', BigInt64Array.from(indices, (i) => BigInt(i)), [indices.length]);
    const { rows } = await session.runKeepingDeviceOutputs({ data: value, indices: order });
    return rows;
  };
}
