import { describe, expect, it } from 'vitest';
import { AbortSignalCriteria, EosTokenCriteria, MaxLengthCriteria, StopStringCriteria, StoppingCriteriaList } from './stopping-criteria.js';

const decode = (ids: readonly number[]) => ids.map((id) => ['he', 'llo', ' wor', 'ld', '!', 'x'][id]).join('');

describe('stopping criteria', () => {
  it('MaxLengthCriteria stops rows at the total length', () => {
    expect(new MaxLengthCriteria(3).isDone([[1, 2], [1, 2, 3]])).toEqual([false, true]);
  });

  it('EosTokenCriteria stops rows ending with any EOS id', () => {
    expect(new EosTokenCriteria([7, 9]).isDone([[1, 9], [7, 1], [1, 7]])).toEqual([true, false, true]);
  });

  it('StopStringCriteria fires at the token that completes a stop string (across tokens), not later, not in the prompt', () => {
    const criterion = new StopStringCriteria(['lo wo', 'zzz'], decode, 1);
    expect(criterion.isDone([[0, 1], [0, 1, 2], [0, 1, 2, 3]])).toEqual([false, true, false]);
    expect(new StopStringCriteria('hello', decode, 2).isDone([[0, 1, 2]])).toEqual([false]);
  });

  it('AbortSignalCriteria follows its signal', () => {
    const controller = new AbortController();
    const criterion = new AbortSignalCriteria(controller.signal);
    expect(criterion.isDone([[1]])).toEqual([false]);
    controller.abort();
    expect(criterion.isDone([[1], [2]])).toEqual([true, true]);
  });

  it('a list stops a row when any criterion does', () => {
    const list = new StoppingCriteriaList([new MaxLengthCriteria(4), new EosTokenCriteria([5])]);
    expect(list.isDone([[1, 5], [1, 2], [1, 2, 3, 4]])).toEqual([true, false, true]);
  });
});
