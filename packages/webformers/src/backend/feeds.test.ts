import { describe, expect, it } from 'vitest';
import { Tensor } from '../utils/tensor.js';
import { InputMismatchError } from './errors.js';
import { selectFeeds } from './feeds.js';
import type { TensorInfo } from './types.js';

const ids = new Tensor('int64', [101n, 7592n, 102n], [1, 3]);
const mask = new Tensor('int64', [1n, 1n, 1n], [1, 3]);
const BERT: TensorInfo[] = [
  { name: 'input_ids', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
  { name: 'attention_mask', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
  { name: 'token_type_ids', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
];

describe('feeds', () => {
  it('passes only the inputs the graph declares', () => {
    const feeds = selectFeeds(BERT.slice(0, 2), { input_ids: ids, attention_mask: mask, token_type_ids: mask });
    expect(Object.keys(feeds)).toEqual(['input_ids', 'attention_mask']);
  });

  it('fills declared token_type_ids with zeros shaped like input_ids', () => {
    const feeds = selectFeeds(BERT, { input_ids: ids, attention_mask: mask });
    expect(feeds.token_type_ids.dims).toEqual([1, 3]);
    expect(Array.from(feeds.token_type_ids.data as BigInt64Array)).toEqual([0n, 0n, 0n]);
  });

  it('names a missing input that cannot be defaulted', () => {
    expect(() => selectFeeds(BERT, { input_ids: ids })).toThrow(/Input "attention_mask": the model needs it/);
  });

  it('checks fixed dimensions', () => {
    const fixed: TensorInfo[] = [{ name: 'use_cache_branch', dtype: 'bool', dims: [1] }];
    expect(() => selectFeeds(fixed, { use_cache_branch: new Tensor('bool', [1, 0], [2]) })).toThrow(InputMismatchError);
    expect(() => selectFeeds(fixed, { use_cache_branch: new Tensor('bool', [1], [1]) })).not.toThrow();
  });
});
