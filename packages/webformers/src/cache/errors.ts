import { WebformersError } from '../utils/errors.js';
import { formatBytes } from './bytes.js';
import type { FileRef, ModelRef } from './types.js';

function describeFile(file: FileRef): string {
  return `${file.path} of ${file.model} (revision ${file.revision}, ${file.host})`;
}

/** A stored model that could be deleted to make room, with what it would free. */
export interface DeletableModel extends ModelRef {
  bytes: number;
}

export interface StorageQuotaDetails {
  file: FileRef;
  /** Bytes the file needs: its full size where known, else what had been written when storage refused. */
  neededBytes: number;
  /** Free bytes of the origin's quota, where `navigator.storage.estimate()` tells. */
  freeBytes?: number;
  /** Stored models other than the one being written, largest first. */
  deletable: DeletableModel[];
  cause?: unknown;
}

/** The browser refused to store more bytes. Nothing stored before is damaged; the failed file's chunks are removed. */
export class StorageQuotaError extends WebformersError {
  readonly file: FileRef;
  readonly neededBytes: number;
  readonly freeBytes: number | undefined;
  readonly deletable: DeletableModel[];

  constructor(details: StorageQuotaDetails) {
    const free = details.freeBytes === undefined ? 'free space unknown' : `${formatBytes(details.freeBytes)} free`;
    const candidates = details.deletable.length === 0
      ? 'No other models are stored.'
      : `Stored models that could be deleted: ${details.deletable
        .map((m) => `${m.model} (revision ${m.revision}, ${formatBytes(m.bytes)})`)
        .join(', ')}.`;
    super(
      'storage_quota',
      `Out of storage quota while saving ${describeFile(details.file)}: it needs ${formatBytes(details.neededBytes)}, ${free}. ${candidates}`,
      {
        hint: 'Delete stored models with cache.delete(model), let the store evict least-recently-used models (evictLeastRecentlyUsed), or ask for persistent storage with cache.persist().',
        cause: details.cause,
      },
    );
    this.file = details.file;
    this.neededBytes = details.neededBytes;
    this.freeBytes = details.freeBytes;
    this.deletable = details.deletable;
  }
}

/** A downloaded file did not match its expected size or SHA-256, so it was not stored. */
export class FileIntegrityError extends WebformersError {
  readonly file: FileRef;

  constructor(file: FileRef, problem: string) {
    super('file_integrity', `Refused to store ${describeFile(file)}: ${problem}.`, {
      hint: 'The download was truncated or changed on the way; fetch the file again.',
    });
    this.file = file;
  }
}

/** Whether `error` is the browser saying the origin's storage is full. */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}
