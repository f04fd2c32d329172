/**
 * When a row is done, as Python's `StoppingCriteriaList` (4.47): each criterion says, per row,
 * whether that row should stop after the token just appended.
 */
import type { TokenRows } from './types.js';

export interface StoppingCriterion {
  /** One flag per row: true = this row is finished. `inputIds` include the token just chosen. */
  isDone(inputIds: TokenRows): boolean[];
}

/** Stops every row once sequences reach `maxLength` ids (prompt or decoder start included). */
export class MaxLengthCriteria implements StoppingCriterion {
  constructor(readonly maxLength: number) {}

  isDone(inputIds: TokenRows): boolean[] {
    return inputIds.map((row) => row.length >= this.maxLength);
  }
}

/** Stops a row whose last token is one of the EOS ids. */
export class EosTokenCriteria implements StoppingCriterion {
  constructor(readonly eosTokenIds: readonly number[]) {}

  isDone(inputIds: TokenRows): boolean[] {
    return inputIds.map((row) => row.length > 0 && this.eosTokenIds.includes(row[row.length - 1]));
  }
}

/**
 * Stops a row once its generated text contains a stop string that the latest token helped form.
 * Python matches stop strings against token strings from the vocabulary; we decode instead, which
 * finds the same stops (a stop string may end inside the last token). Only the generated part is
 * decoded, so a stop string already in the prompt does not end generation.
 */
export class StopStringCriteria implements StoppingCriterion {
  private readonly stops: string[];
  private readonly window: number;

  constructor(
    stopStrings: string | readonly string[],
    private readonly decode: (ids: readonly number[]) => string,
    private readonly promptLength: number,
  ) {
    this.stops = typeof stopStrings === 'string' ? [stopStrings] : [...stopStrings];
    // A token covers at least one character, so this many trailing tokens hold any stop string.
    this.window = Math.max(...this.stops.map((s) => s.length)) + 1;
  }

  isDone(inputIds: TokenRows): boolean[] {
    return inputIds.map((row) => {
      const generated = row.slice(this.promptLength);
      if (generated.length === 0) return false;
      const tail = generated.slice(-this.window);
      const before = this.decode(tail.slice(0, -1));
      const text = this.decode(tail);
      return this.stops.some((stop) => {
        const at = text.lastIndexOf(stop);
        return at >= 0 && at + stop.length > commonPrefixLength(before, text);
      });
    });
  }
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Stops every row once the signal is aborted: the step in flight finishes, its token is kept. */
export class AbortSignalCriteria implements StoppingCriterion {
  constructor(readonly signal: AbortSignal) {}

  isDone(inputIds: TokenRows): boolean[] {
    return inputIds.map(() => this.signal.aborted);
  }
}

export class StoppingCriteriaList implements StoppingCriterion {
  constructor(readonly criteria: StoppingCriterion[] = []) {}

  push(criterion: StoppingCriterion): void {
    this.criteria.push(criterion);
  }

  isDone(inputIds: TokenRows): boolean[] {
    const done = inputIds.map(() => false);
    for (const criterion of this.criteria) {
      criterion.isDone(inputIds).forEach((flag, i) => { done[i] ||= flag; });
    }
    return done;
  }
}
