import type { FileRef } from './types.js';

/**
 * The two records the store keeps beside the chunks. Both are read back from storage that a
 * user, an extension or an older version may have changed, so they are parsed, not trusted.
 */

/** Written last, once every chunk is stored and verified: its presence makes a file loadable. */
export type FileManifest = FileRef & {
  writeId: string;
  /** Size of each chunk, in order. */
  chunks: number[];
  bytes: number;
  /** Hex SHA-256 of the whole file; absent only where Web Crypto is unavailable. */
  sha256?: string;
};

/** Progress of a download that may be resumed; its chunks are complete, the file is not. */
export type PartialDownload = FileRef & {
  writeId: string;
  chunkSize: number;
  /** Size of each stored chunk, in order; each equals `chunkSize`. */
  chunks: number[];
  size?: number;
  sha256?: string;
  etag?: string;
};

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function hasFileRef(value: Fields): boolean {
  return ['host', 'model', 'revision', 'path', 'writeId'].every((field) => typeof value[field] === 'string');
}

function isOptional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

/** Digests are stored as the writer normalised them: 64 lower-case hex digits. */
function isOptionalDigest(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value));
}

function isChunkList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isByteCount);
}

export function parseManifest(value: unknown): FileManifest | undefined {
  if (!isObject(value) || !hasFileRef(value) || !isChunkList(value.chunks) || !isByteCount(value.bytes)) return undefined;
  if (!isOptionalDigest(value.sha256)) return undefined;
  if (value.chunks.reduce((sum, size) => sum + size, 0) !== value.bytes) return undefined;
  return value as unknown as FileManifest;
}

export function parsePartial(value: unknown): PartialDownload | undefined {
  if (!isObject(value) || !hasFileRef(value) || !isChunkList(value.chunks) || !isByteCount(value.chunkSize)) return undefined;
  if (!isOptional(value.size, 'number') || !isOptionalDigest(value.sha256) || !isOptional(value.etag, 'string')) return undefined;
  return value as unknown as PartialDownload;
}
