import { describe, expect, it } from 'vitest';
import { hubKey } from '../../test/support/blob-store-fakes.js';
import { env, type FileCache } from '../env.js';
import { cache } from './index.js';

describe('the default cache', () => {
  it('works in Node, where there is no IndexedDB, and plugs into env.cache', async () => {
    const seam: FileCache = cache;
    const previous = env.cache;
    env.cache = seam;
    try {
      const key = hubKey('org/a', 'config.json');
      await env.cache.put(key, new Uint8Array([123, 125]));
      expect(Array.from((await env.cache.match(key))!)).toEqual([123, 125]);
      expect((await cache.list()).map((m) => m.model)).toEqual(['org/a']);
    } finally {
      env.cache = previous;
      await cache.clear();
    }
  });
});
