/**
 * A deterministic StepModel for loop tests: logits are a fixed function of a row's ids, computed
 * from the rows the model itself has seen (prompt + fed tokens, reordered by `selectRows`), so a
 * loop that forgets to reorder or expand the cache produces different tokens than the loop expects.
 */
import type { StepInputs, StepModel, TokenRows } from '../../src/generation/types.js';

export type LogitsTable = (ids: readonly number[]) => number[];

/** A fixed, irregular table over a small vocabulary: depends on the last token and the length. */
export const defaultTable = (vocabSize: number): LogitsTable => (ids) => {
  const last = ids[ids.length - 1];
  return Array.from({ length: vocabSize }, (_, v) => (((last * 7 + v * 13 + ids.length * 5) % 17) - 8) / 3 + v * 1e-3);
};

export class FakeStepModel implements StepModel {
  readonly rowsSeen: number[][] = [];
  /** Rows as they stood after every step (before the loop's reset). */
  readonly history: number[][][] = [];
  steps = 0;
  resets = 0;
  encoded: TokenRows | null = null;
  /** Called with the step number (1-based) before the step returns, e.g. to abort mid-run. */
  onStep: ((step: number) => void) | null = null;

  constructor(
    readonly vocabSize: number,
    private readonly table: LogitsTable = defaultTable(vocabSize),
    readonly isEncoderDecoder = false,
    readonly maxContextLength?: number,
  ) {}

  async encode(inputIds: TokenRows): Promise<void> {
    this.encoded = inputIds.map((row) => [...row]);
  }

  async step({ inputIds, attentionMask }: StepInputs): Promise<Float32Array> {
    if (this.rowsSeen.length === 0) this.rowsSeen.push(...inputIds.map((row) => [...row]));
    else inputIds.forEach((row, r) => this.rowsSeen[r].push(...row));
    if (attentionMask.some((row, r) => row.length !== this.rowsSeen[r].length)) throw new Error('attention mask does not cover the sequence');
    this.steps++;
    this.history.push(this.rowsSeen.map((row) => [...row]));
    this.onStep?.(this.steps);
    return Float32Array.from(this.rowsSeen.flatMap((row) => this.table(row)));
  }

  selectRows(indices: readonly number[]): void {
    if (this.encoded) this.encoded = indices.map((i) => [...(this.encoded as TokenRows)[i]]);
    const old = this.rowsSeen.splice(0);
    if (old.length > 0) this.rowsSeen.push(...indices.map((i) => [...old[i]]));
  }

  reset(): void {
    this.resets++;
    this.rowsSeen.length = 0;
    this.encoded = null;
  }
}

/** Nested number rows from generate()'s int64 tensor. */
export function rowsOf(tensor: { tolist(): unknown }): number[][] {
  return (tensor.tolist() as bigint[][]).map((row) => row.map(Number));
}
