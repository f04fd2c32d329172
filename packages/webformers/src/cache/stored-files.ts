import { sha256Hex } from './bytes.js';
import { CHUNK_PREFIX, FILE_PREFIX, PARTIAL_PREFIX, chunkKey, fileKey, partialKey } from './keys.js';
import { parseManifest, parsePartial, type FileManifest, type PartialDownload } from './records.js';
import type { BlobStore } from './types.js';

/** Reading, verifying and removing what the writer left in a `BlobStore`. */

export async function readManifests(blobs: BlobStore): Promise<FileManifest[]> {
  return readRecords(blobs, FILE_PREFIX, parseManifest);
}

export async function readPartials(blobs: BlobStore): Promise<PartialDownload[]> {
  return readRecords(blobs, PARTIAL_PREFIX, parsePartial);
}

async function readRecords<T>(blobs: BlobStore, prefix: string, parse: (value: unknown) => T | undefined): Promise<T[]> {
  const values = await blobs.getMany(await blobs.keys(prefix));
  return values.map(parse).filter((record): record is T => record !== undefined);
}

/**
 * The chunks of one write attempt, joined into one new array, or `undefined` when any is missing
 * or has the wrong size. All chunks are fetched in one read transaction, and since the writer
 * stores them as Blobs, the values are handles: their bytes are copied once, straight into the result.
 */
export async function readChunks(blobs: BlobStore, writeId: string, sizes: readonly number[]): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const values = await blobs.getMany(sizes.map((_, index) => chunkKey(writeId, index)));
  const parts: (Blob | Uint8Array<ArrayBuffer>)[] = [];
  for (const [index, value] of values.entries()) {
    // Stores written before chunks became Blobs hold them as byte arrays; both read the same way.
    const size = value instanceof Blob ? value.size : value instanceof Uint8Array ? value.byteLength : undefined;
    if (size !== sizes[index]) return undefined;
    parts.push(value as Blob | Uint8Array<ArrayBuffer>);
  }
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

/**
 * The file a manifest describes, if all its chunks are there with their recorded sizes. The bytes
 * were hashed when the file was written; with `verify` they are hashed again and compared with the
 * recorded SHA-256, which catches bytes changed in place (see `ModelStoreOptions.verifyOnRead`).
 */
export async function readStoredFile(blobs: BlobStore, manifest: FileManifest, verify: boolean): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const bytes = await readChunks(blobs, manifest.writeId, manifest.chunks);
  if (bytes === undefined || bytes.byteLength !== manifest.bytes) return undefined;
  if (verify && manifest.sha256 !== undefined) {
    const digest = await sha256Hex(bytes);
    if (digest !== undefined && digest !== manifest.sha256) return undefined;
  }
  return bytes;
}

/**
 * Keys of a write attempt's chunks. One index past the recorded ones is included: the writer
 * stores a chunk before it records it, so an interruption in between leaves that one unrecorded.
 */
export function attemptChunkKeys(writeId: string, recordedChunks: number): string[] {
  return Array.from({ length: recordedChunks + 1 }, (_, index) => chunkKey(writeId, index));
}

export async function deleteStoredFile(blobs: BlobStore, manifest: FileManifest): Promise<void> {
  // Manifest first: once it is gone the file no longer loads, whatever happens to the chunks.
  await blobs.delete([fileKey(manifest)]);
  await blobs.delete(attemptChunkKeys(manifest.writeId, manifest.chunks.length));
}

export async function deletePartial(blobs: BlobStore, partial: PartialDownload): Promise<void> {
  await blobs.delete([partialKey(partial)]);
  await blobs.delete(attemptChunkKeys(partial.writeId, partial.chunks.length));
}

/**
 * Removes chunks that no manifest or partial download refers to (left by an interruption between
 * committing a rewrite and deleting the older copy). Returns how many chunks it removed.
 */
export async function collectOrphanChunks(blobs: BlobStore): Promise<number> {
  const live = new Set<string>();
  for (const record of [...(await readManifests(blobs)), ...(await readPartials(blobs))]) live.add(record.writeId);
  const orphans = (await blobs.keys(CHUNK_PREFIX)).filter((key) => !live.has(key.slice(CHUNK_PREFIX.length).split(':')[0]));
  await blobs.delete(orphans);
  return orphans.length;
}
