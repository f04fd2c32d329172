import { describe, expect, it } from 'vitest';
import { isDeviceTensor, type DeviceTensor, type RowGather } from '../backend/index.js';
import { Tensor } from '../utils/tensor.js';
import { RowState, gatherRows } from './row-state.js';

/** A stand-in for a GPU output that counts its own disposals and read-backs. */
class FakeDeviceTensor implements DeviceTensor {
  readonly location = 'gpu-buffer';
  readonly type = 'float32';
  disposed = 0;
  downloads = 0;
  constructor(readonly cpu: Tensor) {}
  get dims() { return this.cpu.dims; }
  async download() { this.downloads++; return this.cpu; }
  dispose() { this.disposed++; }
}

/** A stand-in for the backend's gather graph: answers with a new device tensor, as the session would. */
function fakeDeviceGather() {
  const calls: number[][] = [];
  const gather: RowGather = async (value, indices) => {
    calls.push([...indices]);
    if (!isDeviceTensor(value)) throw new Error('a CPU tensor reached the device gather');
    return new FakeDeviceTensor(gatherRows((value as FakeDeviceTensor).cpu, indices));
  };
  return { gather, calls };
}

const cpuOnly: RowGather = () => Promise.reject(new Error('no device tensor expected'));

const rowsTensor = (rows: number[][]) => new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
const asRows = (t: Tensor) => t.tolist() as number[][];

describe('RowState', () => {
  it('gathers rows on dim 0, repeating and reordering', () => {
    const t = new Tensor('int64', [1n, 2n, 3n, 4n, 5n, 6n], [3, 1, 2]);
    expect(gatherRows(t, [2, 2, 0]).tolist()).toEqual([[[5n, 6n]], [[5n, 6n]], [[1n, 2n]]]);
  });

  it('composes several selections into one gather, applied at materialize()', async () => {
    const state = new RowState(cpuOnly);
    state.set('k', rowsTensor([[0], [1], [2]]));
    state.select([0, 0, 1, 1, 2, 2]);
    state.select([5, 0, 3]);
    expect(asRows(state.get('k') as Tensor)).toEqual([[0], [1], [2]]);
    await state.materialize();
    expect(asRows(state.get('k') as Tensor)).toEqual([[2], [0], [1]]);
  });

  it('frees a GPU tensor exactly once: when replaced, when gathered, or when cleared', async () => {
    const { gather } = fakeDeviceGather();
    const state = new RowState(gather);
    const first = new FakeDeviceTensor(rowsTensor([[1], [2]]));
    const second = new FakeDeviceTensor(rowsTensor([[3], [4]]));
    state.set('k', first);
    state.set('k', first);
    expect(first.disposed).toBe(0);
    state.set('k', second);
    expect(first.disposed).toBe(1);
    state.select([1, 0]);
    await state.materialize();
    expect(second.disposed).toBe(1);
    expect(asRows((state.get('k') as FakeDeviceTensor).cpu)).toEqual([[4], [3]]);
    const third = new FakeDeviceTensor(rowsTensor([[5], [6]]));
    state.set('v', third);
    state.clear();
    expect([first.disposed, second.disposed, third.disposed]).toEqual([1, 1, 1]);
    expect(state.size).toBe(0);
  });

  it('reorders GPU tensors with the device gather, never reading them back, and CPU tensors in place', async () => {
    const { gather, calls } = fakeDeviceGather();
    const state = new RowState(gather);
    const gpu = new FakeDeviceTensor(rowsTensor([[1], [2], [3]]));
    state.set('k', gpu);
    state.set('mask', rowsTensor([[7], [8], [9]]));
    state.select([2, 2, 0]);
    await state.materialize();
    expect(calls).toEqual([[2, 2, 0]]);
    expect(gpu.downloads).toBe(0);
    expect(gpu.disposed).toBe(1);
    expect(asRows((state.get('k') as FakeDeviceTensor).cpu)).toEqual([[3], [3], [1]]);
    expect(asRows(state.get('mask') as Tensor)).toEqual([[9], [9], [7]]);
  });

  it('skips an identity selection (no gather)', async () => {
    const { gather, calls } = fakeDeviceGather();
    const state = new RowState(gather);
    const gpu = new FakeDeviceTensor(rowsTensor([[1], [2]]));
    state.set('k', gpu);
    state.select([0, 1]);
    await state.materialize();
    expect(state.get('k')).toBe(gpu);
    expect(gpu.disposed).toBe(0);
    expect(calls).toEqual([]);
  });
});
