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
  const records: T[] = [];
  for (const key of await blobs.keys(prefix)) {
    const record = parse(await blobs.get(key));
    if (record !== undefined) records.push(record);
  }
  return records;
}

/**
 * The chunks of one write attempt, joined, or `undefined` when any is missing or has the wrong
 * size. Chunks are copied into the result one at a time, so peak memory is the file plus one chunk.
 */
export async function readChunks(blobs: BlobStore, writeId: string, sizes: readonly number[]): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const [index, size] of sizes.entries()) {
    const chunk = await blobs.get(chunkKey(writeId, index));
    if (!(chunk instanceof Uint8Array) || chunk.byteLength !== size) return undefined;
    out.set(chunk, offset);
    offset += size;
  }
  return out;
}

/** The file a manifest describes, if its chunks still add up to the size and digest it recorded. */
export async function readVerifiedFile(blobs: BlobStore, manifest: FileManifest): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const bytes = await readChunks(blobs, manifest.writeId, manifest.chunks);
  if (bytes === undefined || bytes.byteLength !== manifest.bytes) return undefined;
  if (manifest.sha256 !== undefined) {
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
