import { describe, expect, it } from 'vitest';
import { Tensor } from '../utils/tensor.js';
import { fromWire, toWire } from './wire-values.js';

describe('tensors across the wire', () => {
  it('rebuilds tensors at any depth with type, dims and values', () => {
    const logits = new Tensor('float32', new Float32Array([0.5, -1.25, 3, 4]), [2, 2]);
    const ids = new Tensor('int64', [1n, 2n, 3n], [1, 3]);
    const value = { outputs: [{ logits }], nested: { ids }, label: 'x', n: 3 };
    const back = fromWire(structuredClone(toWire(value))) as typeof value;
    expect(back.outputs[0].logits).toBeInstanceOf(Tensor);
    expect(back.outputs[0].logits.type).toBe('float32');
    expect(back.outputs[0].logits.dims).toEqual([2, 2]);
    expect(Array.from(back.outputs[0].logits.data as Float32Array)).toEqual([0.5, -1.25, 3, 4]);
    expect(back.nested.ids.tolist()).toEqual([[1n, 2n, 3n]]);
    expect(back.label).toBe('x');
    expect(back.n).toBe(3);
  });

  it('transfers a buffer the tensor owns, and copies a view into a larger buffer before transferring', () => {
    const owned = new Tensor('float32', new Float32Array([1, 2]), [2]);
    const shared = new Float32Array([9, 8, 7, 6]);
    const view = new Tensor('float32', shared.subarray(1, 3), [2]);
    const transfers: Transferable[] = [];
    const wire = toWire([owned, view], transfers) as { data: Float32Array }[];
    expect(transfers).toHaveLength(2);
    expect(transfers[0]).toBe((owned.data as Float32Array).buffer);
    expect(transfers[1]).not.toBe(shared.buffer);
    expect(Array.from(wire[1].data)).toEqual([8, 7]);
    structuredClone(wire, { transfer: transfers });
    expect(shared.byteLength).toBe(16);
    expect(Array.from(shared)).toEqual([9, 8, 7, 6]);
  });

  it('does not transfer when no transfer list is given, so the sender keeps its tensor', () => {
    const input = new Tensor('int64', [5n, 6n], [1, 2]);
    const wire = toWire({ input_ids: input });
    structuredClone(wire);
    expect(input.data.length).toBe(2);
    expect(input.tolist()).toEqual([[5n, 6n]]);
  });

  it('lets a replacer substitute values before the walk looks inside them', () => {
    const callback = () => undefined;
    const wire = toWire({ options: { progress_callback: callback, top_k: 2 } }, undefined, (v) => (typeof v === 'function' ? { $wf: 'callback', id: 0 } : v));
    expect(wire).toEqual({ options: { progress_callback: { $wf: 'callback', id: 0 }, top_k: 2 } });
    const revived = fromWire(wire, (marker) => (marker.$wf === 'callback' ? callback : marker)) as { options: { progress_callback: unknown } };
    expect(revived.options.progress_callback).toBe(callback);
  });
});
