import { env, isNode } from '../env.js';
import { IdbBlobStore } from './idb-blob-store.js';
import { MemoryBlobStore } from './memory-blob-store.js';
import { ModelStore } from './model-store.js';

const hasIndexedDB = typeof indexedDB !== 'undefined';

/**
 * The store webformers uses by default. In browsers and workers it keeps files in IndexedDB and is
 * plugged into the hub as `env.cache` when this module loads (the webformers entry imports it).
 * In Node it keeps files in memory and stays unplugged: `env.cache = cache` turns it on.
 */
export const cache = new ModelStore(hasIndexedDB ? new IdbBlobStore() : new MemoryBlobStore());

// Only while env.cache still has its initial null: a store chosen by the application before a
// lazily loaded chunk of webformers evaluates this module must not be replaced.
if (hasIndexedDB && !isNode && env.cache === null) env.cache = cache;
