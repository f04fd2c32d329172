/**
 * Tensors a generation call keeps between steps whose first axis is the row (KV cache, encoder
 * outputs and mask). Whoever replaces or drops one frees it here, so a GPU buffer is disposed
 * exactly once. Row selection (beam reordering, batch expansion) is recorded and applied lazily
 * before the next run: `StepModel.selectRows` is synchronous, a gather is not, and several
 * selections in a row compose into one gather. CPU tensors are gathered here; GPU tensors by the
 * backend's gather graph, so beam search never reads the cache back.
 */
import { isDeviceTensor, type RowGather, type SessionValue } from '../backend/index.js';
import { emptyData, Tensor } from '../utils/tensor.js';

export class RowState {
  readonly #values = new Map<string, SessionValue>();
  #pending: number[] | null = null;
  readonly #gatherOnDevice: RowGather;

  /** `gatherOnDevice` reorders GPU tensors on the device that holds them (`sessionRowGather`). */
  constructor(gatherOnDevice: RowGather) {
    this.#gatherOnDevice = gatherOnDevice;
  }

  get size(): number {
    return this.#values.size;
  }

  get(name: string): SessionValue | undefined {
    return this.#values.get(name);
  }

  entries(): IterableIterator<[string, SessionValue]> {
    return this.#values.entries();
  }

  /** Stores `value` under `name`, freeing what was there unless it is the same tensor. */
  set(name: string, value: SessionValue): void {
    const old = this.#values.get(name);
    if (old !== undefined && old !== value) release(old);
    this.#values.set(name, value);
  }

  /** Row i becomes what row `indices[i]` is now (applied by `materialize`). */
  select(indices: readonly number[]): void {
    if (this.#values.size === 0) return;
    const before = this.#pending;
    this.#pending = before ? indices.map((i) => before[i]) : [...indices];
  }

  /** Applies pending row selections; call before feeding the tensors to a session. */
  async materialize(): Promise<void> {
    const indices = this.#pending;
    this.#pending = null;
    if (!indices || isIdentity(indices, this.rowCount())) return;
    for (const [name, value] of [...this.#values]) {
      this.set(name, isDeviceTensor(value) ? await this.#gatherOnDevice(value, indices) : gatherRows(value, indices));
    }
  }

  /** Frees everything. */
  clear(): void {
    for (const value of this.#values.values()) release(value);
    this.#values.clear();
    this.#pending = null;
  }

  private rowCount(): number {
    const first = this.#values.values().next();
    return first.done ? 0 : first.value.dims[0];
  }
}

function release(value: SessionValue): void {
  if (isDeviceTensor(value)) value.dispose();
}

function isIdentity(indices: readonly number[], rows: number): boolean {
  return indices.length === rows && indices.every((r, i) => r === i);
}

/** Row i of the result is row `indices[i]` of `tensor` (a gather on dim 0). */
export function gatherRows(tensor: Tensor, indices: readonly number[]): Tensor {
  const [rows, ...rest] = tensor.dims;
  const width = rows === 0 ? 0 : tensor.size / rows;
  // Every numeric TensorData is a typed array with set/subarray; Float32Array stands for all of them.
  const source = tensor.data as Float32Array;
  const out = emptyData(tensor.type, indices.length * width) as Float32Array;
  indices.forEach((r, i) => out.set(source.subarray(r * width, (r + 1) * width), i * width));
  return new Tensor(tensor.type, out, [indices.length, ...rest]);
}
