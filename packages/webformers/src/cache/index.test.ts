import { afterEach, describe, expect, it, vi } from 'vitest';
import { hubKey } from '../../test/support/blob-store-fakes.js';
import { env, type FileCache } from '../env.js';
import { cache } from './index.js';

/** Fresh copies of env and the cache module, evaluated under the globals stubbed so far. */
async function freshModules() {
  vi.resetModules();
  const fresh = await import('../env.js');
  return { env: fresh.env, cache: (await import('./index.js')).cache };
}

describe('the default cache', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

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

  it('stays out of env.cache in Node until asked for', async () => {
    const fresh = await freshModules();
    expect(fresh.env.cache).toBeNull();
  });

  it('is env.cache in browsers and workers, where IndexedDB exists', async () => {
    vi.stubGlobal('process', undefined);
    // Opening the database waits for first use, so an empty stand-in is enough to import with.
    vi.stubGlobal('indexedDB', {});
    const fresh = await freshModules();
    expect(fresh.env.cache).toBe(fresh.cache);
  });
});
