import { InvalidArgumentError } from '../utils/errors.js';
import { sha256Hex } from './bytes.js';
import { FileIntegrityError, isQuotaExceeded, type StorageQuotaError } from './errors.js';
import { chunkKey, fileKey, partialKey } from './keys.js';
import { parseManifest, type FileManifest, type PartialDownload } from './records.js';
import { attemptChunkKeys, readChunks } from './stored-files.js';
import type { BlobStore, FileExpectations, FileRef, FileWriter } from './types.js';

/** What a writer needs from the store that created it. */
export interface WriteSession {
  readonly blobs: BlobStore;
  /** Storage refused a value: make room if the store may, and say whether to retry. */
  makeRoom(): Promise<boolean>;
  /** The error to throw once a refused write has been cleaned up. */
  quotaError(neededBytes: number, cause: unknown): Promise<StorageQuotaError>;
  /** Records that the file's model was just used. */
  touch(): Promise<void>;
  /** The writer is done (committed, discarded or failed); the file may be written again. */
  release(): void;
}

/** Where a write attempt starts: a fresh one, or a partial download's stored chunks. */
export type WriteStart = Pick<PartialDownload, 'writeId' | 'chunkSize' | 'chunks'>;

/**
 * Writes one file as fixed-size chunks under one write id (fresh, or a resumed download's), keeping a partial-download record
 * that lists the chunks stored so far (so an interrupted download can resume), and writes the
 * manifest only after checking size and SHA-256.
 *
 * A fresh download of known size streams into one buffer of that size, each chunk stored from a view
 * of it: the caller needs the whole file in memory anyway, so `commit` hashes and returns that buffer
 * instead of reading 100s of MB back from IndexedDB (1–3 s for BERT-base). A resumed download
 * reads its earlier chunks back.
 */
export class ChunkedFileWriter implements FileWriter {
  private readonly chunks: number[];
  private current: Uint8Array<ArrayBuffer> | undefined;
  private fill = 0;
  /** The whole file as it streams in; undefined when it started elsewhere or its size is unknown or exceeded. */
  private whole: Uint8Array<ArrayBuffer> | undefined;
  private closed = false;

  constructor(
    private readonly ref: FileRef,
    private readonly expected: FileExpectations,
    private readonly start: WriteStart,
    private readonly session: WriteSession,
  ) {
    this.chunks = [...start.chunks];
    if (start.chunks.length === 0 && expected.size !== undefined) this.whole = new Uint8Array(expected.size);
  }

  get bytesWritten(): number {
    return this.chunks.reduce((sum, size) => sum + size, 0) + this.fill;
  }

  /** Records the attempt before any chunk exists, so its chunks can always be found and removed. */
  async open(): Promise<void> {
    await this.guarded(() => this.storePartialRecord());
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    let offset = 0;
    while (offset < bytes.byteLength) {
      this.current ??= this.nextChunk();
      const take = Math.min(this.current.byteLength - this.fill, bytes.byteLength - offset);
      this.current.set(bytes.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
      if (this.fill === this.current.byteLength) await this.flushChunk();
    }
  }

  /** A full chunk, or just the rest of a file of known size: small files never allocate 16 MiB. */
  private nextChunk(): Uint8Array<ArrayBuffer> {
    const written = this.bytesWritten;
    const remaining = (this.expected.size ?? Infinity) - written;
    if (remaining <= 0) {
      // More bytes than announced: commit will refuse the file, so keeping them whole buys nothing.
      this.whole = undefined;
      return new Uint8Array(this.start.chunkSize);
    }
    const capacity = Math.min(this.start.chunkSize, remaining);
    return this.whole?.subarray(written, written + capacity) ?? new Uint8Array(capacity);
  }

  async commit(): Promise<Uint8Array> {
    this.assertOpen();
    if (this.fill > 0) await this.flushChunk();
    const total = this.bytesWritten;
    if (this.expected.size !== undefined && total !== this.expected.size) {
      return this.fail(`received ${total} bytes, expected ${this.expected.size}`);
    }
    const bytes = this.whole ?? (await readChunks(this.session.blobs, this.start.writeId, this.chunks));
    if (bytes === undefined) return this.fail('a stored chunk could not be read back');
    const digest = await sha256Hex(bytes);
    const wanted = this.expected.sha256;
    // Without Web Crypto the digest is unknown; size was checked, which is all we can do there.
    if (wanted !== undefined && digest !== undefined && digest !== wanted) {
      return this.fail(`its SHA-256 is ${digest}, expected ${wanted}`);
    }
    const previous = parseManifest(await this.session.blobs.get(fileKey(this.ref)));
    const manifest: FileManifest = { ...this.ref, writeId: this.start.writeId, chunks: this.chunks, bytes: total, sha256: digest };
    await this.guarded(() => this.session.blobs.set(fileKey(this.ref), manifest));
    await this.session.blobs.delete([partialKey(this.ref)]);
    if (previous !== undefined && previous.writeId !== manifest.writeId) {
      await this.session.blobs.delete(attemptChunkKeys(previous.writeId, previous.chunks.length));
    }
    this.close();
    await this.session.touch();
    return bytes;
  }

  suspend(): void {
    this.close();
  }

  async discard(): Promise<void> {
    if (this.closed) return;
    this.close();
    await this.removeAttempt();
  }

  private async flushChunk(): Promise<void> {
    // A Blob, not the bytes: IndexedDB hands a stored Blob back as a handle, so a read joins all
    // chunks into one buffer with a single copy, instead of deserializing each chunk into an
    // ArrayBuffer of its own and copying it again. The Blob copies only the filled part.
    const chunk = new Blob([this.current!.subarray(0, this.fill)]);
    const index = this.chunks.length;
    await this.guarded(() => this.session.blobs.set(chunkKey(this.start.writeId, index), chunk));
    this.chunks.push(chunk.size);
    this.current = undefined;
    this.fill = 0;
    await this.guarded(() => this.storePartialRecord());
  }

  private storePartialRecord(): Promise<void> {
    const { size, sha256, etag } = this.expected;
    const { writeId, chunkSize } = this.start;
    const partial: PartialDownload = { ...this.ref, writeId, chunkSize, chunks: this.chunks, size, sha256, etag };
    return this.session.blobs.set(partialKey(this.ref), partial);
  }

  /** Runs a store operation; on quota exhaustion makes room and retries, or cleans up and throws. */
  private async guarded(operation: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        return await operation();
      } catch (error) {
        if (!isQuotaExceeded(error)) {
          this.close();
          throw error;
        }
        if (await this.session.makeRoom()) continue;
        const needed = this.expected.size ?? this.bytesWritten;
        this.close();
        await this.removeAttempt();
        throw await this.session.quotaError(needed, error);
      }
    }
  }

  private async fail(problem: string): Promise<never> {
    this.close();
    await this.removeAttempt();
    throw new FileIntegrityError(this.ref, problem);
  }

  private async removeAttempt(): Promise<void> {
    await this.session.blobs.delete([partialKey(this.ref)]);
    await this.session.blobs.delete(attemptChunkKeys(this.start.writeId, this.chunks.length));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current = undefined;
    this.whole = undefined;
    this.session.release();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new InvalidArgumentError(`The writer for ${this.ref.path} of ${this.ref.model} is closed (committed, discarded, suspended or failed).`, {
        hint: 'Start a new write with begin().',
      });
    }
  }
}
