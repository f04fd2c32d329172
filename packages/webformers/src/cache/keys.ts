import type { FileRef, ModelRef } from './types.js';

/**
 * The key layout of the store. Every key starts with its kind, so one prefix scan finds all
 * keys of a kind:
 * - `file:[host,model,revision,path]` → the manifest of a complete, verified file
 * - `partial:[host,model,revision,path]` → progress of a download that has not committed
 * - `chunk:<writeId>:<index>` → bytes; a writeId belongs to one attempt at writing one file
 * - `used:[host,model,revision]` → when that snapshot was last stored or read
 * The identity part is a JSON array because model ids, revisions and paths may contain any
 * separator we could pick ('/', ':', '@' all occur).
 */
export const FILE_PREFIX = 'file:';
export const PARTIAL_PREFIX = 'partial:';
export const CHUNK_PREFIX = 'chunk:';
export const USED_PREFIX = 'used:';

function fileIdentity(ref: FileRef): string {
  return JSON.stringify([ref.host, ref.model, ref.revision, ref.path]);
}

export function fileKey(ref: FileRef): string {
  return FILE_PREFIX + fileIdentity(ref);
}

export function partialKey(ref: FileRef): string {
  return PARTIAL_PREFIX + fileIdentity(ref);
}

export function usedKey(ref: ModelRef): string {
  return USED_PREFIX + JSON.stringify([ref.host, ref.model, ref.revision]);
}

/** Prefix of every chunk of one write attempt. */
export function chunkPrefix(writeId: string): string {
  return `${CHUNK_PREFIX}${writeId}:`;
}

export function chunkKey(writeId: string, index: number): string {
  return chunkPrefix(writeId) + index;
}

/** The same snapshot, as a string usable as a Map key. */
export function modelIdentity(ref: ModelRef): string {
  return JSON.stringify([ref.host, ref.model, ref.revision]);
}

export function newWriteId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
