/**
 * Tensors across the boundary. Structured clone would copy a `Tensor` as a plain object without
 * its class, so tensors (at any depth of a value) become `WireTensor`s and are rebuilt on the
 * other side. Results hand their buffers over (`transfer`); arguments are copied, because the
 * caller still owns the tensors it passed.
 */
import { Tensor } from '../utils/tensor.js';
import type { WireMarker, WireTensor } from './protocol.js';

export function isWireMarker(value: unknown): value is WireMarker {
  return typeof value === 'object' && value !== null && typeof (value as { $wf?: unknown }).$wf === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Rewrites `value` for the wire: tensors become `WireTensor`s, and `replace` may substitute any
 * other value (callbacks, signals) before the walk looks inside it. With `transfers`, tensor
 * buffers are collected for `Comlink.transfer`; a view that does not own its whole buffer (or a
 * shared buffer) is copied first, so that transferring it never detaches unrelated data.
 */
export function toWire(value: unknown, transfers?: Transferable[], replace?: (value: unknown) => unknown): unknown {
  const replaced = replace ? replace(value) : value;
  if (replaced !== value) return replaced;
  if (value instanceof Tensor) return wireTensor(value, transfers);
  if (Array.isArray(value)) return value.map((item) => toWire(item, transfers, replace));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toWire(item, transfers, replace);
    return out;
  }
  return value;
}

function wireTensor(tensor: Tensor, transfers: Transferable[] | undefined): WireTensor {
  if (Array.isArray(tensor.data) || transfers === undefined) {
    return { $wf: 'tensor', type: tensor.type, data: tensor.data, dims: [...tensor.dims] };
  }
  const view = tensor.data;
  const ownsBuffer = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  const data = ownsBuffer ? view : view.slice();
  transfers.push(data.buffer as ArrayBuffer);
  return { $wf: 'tensor', type: tensor.type, data, dims: [...tensor.dims] };
}

/** Rebuilds tensors; `revive` may turn other markers (callbacks, signals) into live values. */
export function fromWire(value: unknown, revive?: (marker: WireMarker) => unknown): unknown {
  if (isWireMarker(value)) {
    if (value.$wf === 'tensor') return new Tensor(value.type, value.data, value.dims);
    if (revive) return revive(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => fromWire(item, revive));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fromWire(item, revive);
    return out;
  }
  return value;
}
