import type { StorageEstimateFigures } from './types.js';

/** The origin's storage figures from the Storage API; `undefined` where it is missing (Node, old browsers). */
export async function browserStorageEstimate(): Promise<StorageEstimateFigures | undefined> {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.estimate !== 'function') return undefined;
  const { quota, usage } = await storage.estimate();
  return quota === undefined || usage === undefined ? undefined : { quota, usage };
}

/** Asks the browser to keep the origin's storage under pressure; `false` where it cannot be asked. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.persist !== 'function') return false;
  return storage.persist();
}
