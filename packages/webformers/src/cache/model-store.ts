import type { FileCache, FileCacheKey } from '../env.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import { ChunkedFileWriter, type WriteSession, type WriteStart } from './chunked-file-writer.js';
import { StorageQuotaError, isQuotaExceeded } from './errors.js';
import { fileKey, modelIdentity, newWriteId, partialKey, usedKey } from './keys.js';
import { parseManifest, parsePartial, type PartialDownload } from './records.js';
import { browserStorageEstimate, requestPersistentStorage } from './storage-estimate.js';
import { listModels, removeFiles, sameModel, storedBytes } from './store-catalog.js';
import { collectOrphanChunks, deletePartial, deleteStoredFile, readStoredFile } from './stored-files.js';
import type {
  BeginWriteOptions, BlobStore, CachedModel, DeleteModelOptions, FileExpectations, FileRef, FileWriter,
  ModelRef, ModelStoreOptions, PartialDownloadInfo, StorageEstimateFigures, StorageUsage,
} from './types.js';

const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

/**
 * Files of model repositories, stored in verified chunks in a `BlobStore`, with listing, usage,
 * deletion and least-recently-used eviction per (host, model, revision). Implements the hub's
 * `FileCache` seam: `match` returns a file only if its manifest and every chunk are there with the
 * recorded sizes (and, with `verifyOnRead`, its recorded SHA-256); a damaged entry is deleted and
 * reported as a miss, so the hub fetches it again.
 */
export class ModelStore implements FileCache {
  private readonly chunkSize: number;
  private readonly now: () => number;
  private readonly estimateStorage: () => Promise<StorageEstimateFigures | undefined>;
  private readonly requestPersist: () => Promise<boolean>;
  /** fileKey → the file, for every writer not yet committed or discarded. */
  private readonly writing = new Map<string, FileRef>();

  constructor(private readonly blobs: BlobStore, private options: ModelStoreOptions = {}) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isSafeInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new InvalidArgumentError(`chunkSize must be a positive integer number of bytes, got ${options.chunkSize}.`, {
        hint: 'Leave it unset for the default of 16 MiB.',
      });
    }
    this.now = options.now ?? Date.now;
    this.estimateStorage = options.estimate ?? browserStorageEstimate;
    this.requestPersist = options.persist ?? requestPersistentStorage;
  }

  /**
   * Changes the policies of a store that already exists, such as the default `cache` that
   * webformers plugs in on import: `cache.configure({ evictLeastRecentlyUsed: true })`.
   */
  configure(options: Pick<ModelStoreOptions, 'evictLeastRecentlyUsed' | 'verifyOnRead'>): void {
    this.options = { ...this.options, ...options };
  }

  async match(key: FileCacheKey): Promise<Uint8Array | undefined> {
    const ref = fileRefOf(key);
    const stored = await this.blobs.get(fileKey(ref));
    if (stored === undefined) return undefined;
    const manifest = parseManifest(stored);
    const bytes = manifest === undefined ? undefined : await readStoredFile(this.blobs, manifest, this.options.verifyOnRead ?? false);
    if (bytes === undefined) {
      if (manifest === undefined) await this.blobs.delete([fileKey(ref)]);
      else await deleteStoredFile(this.blobs, manifest);
      return undefined;
    }
    await this.touch(ref);
    return bytes;
  }

  /** Stores a whole file at once; see `begin` for streaming and resuming. */
  async put(key: FileCacheKey, bytes: Uint8Array, expected: FileExpectations = {}): Promise<void> {
    const writer = await this.begin(key, expected);
    try {
      await writer.write(bytes);
    } catch (error) {
      await writer.discard();
      throw error;
    }
    await writer.commit();
  }

  /**
   * Bytes of an interrupted download of this file that `begin({ offset })` can continue from
   * (a whole number of chunks), or 0. A partial download made for a different size, digest or
   * etag than `expected` does not count.
   */
  async partialBytes(key: FileCacheKey, expectations: FileExpectations = {}): Promise<number> {
    const expected = checkedExpectations(expectations);
    const partial = await this.loadPartial(fileRefOf(key));
    return partial !== undefined && agrees(partial, expected) ? sum(partial.chunks) : 0;
  }

  /**
   * The kept part of an interrupted download of this file (a whole number of chunks) with the
   * size, digest and etag it was made for, or `undefined` when nothing is kept. The hub reads it
   * before a request, when it does not know the file's version yet.
   */
  async partialDownload(key: FileCacheKey): Promise<PartialDownloadInfo | undefined> {
    const partial = await this.loadPartial(fileRefOf(key));
    if (partial === undefined || partial.chunks.length === 0) return undefined;
    const { size, sha256, etag } = partial;
    return { bytes: sum(partial.chunks), ...checkedExpectations({ size, sha256, etag }) };
  }

  /** Starts writing a file, afresh or (with `offset`) after the stored chunks of a partial download. */
  async begin(key: FileCacheKey, options: BeginWriteOptions = {}): Promise<FileWriter> {
    const { offset = 0, ...expectations } = options;
    const expected = checkedExpectations(expectations);
    const ref = fileRefOf(key);
    const id = fileKey(ref);
    if (this.writing.has(id)) {
      throw new InvalidArgumentError(`${ref.path} of ${ref.model} is already being written.`, {
        hint: 'Wait for the download in progress instead of starting a second one.',
      });
    }
    // Claimed before the first await, so two calls racing for one file cannot both pass the check.
    this.writing.set(id, ref);
    try {
      const { start, resumed } = await this.startOf(ref, offset, expected);
      const writer = new ChunkedFileWriter(ref, { ...resumed, ...expected }, start, this.session(ref, id));
      await writer.open();
      return writer;
    } catch (error) {
      this.writing.delete(id);
      throw error;
    }
  }

  /** Where a write begins: a fresh attempt, or the partial download it continues and what that expected. */
  private async startOf(ref: FileRef, offset: number, expected: FileExpectations): Promise<{ start: WriteStart; resumed: FileExpectations }> {
    const partial = await this.loadPartial(ref);
    if (offset === 0) {
      if (partial !== undefined) await deletePartial(this.blobs, partial);
      return { start: { writeId: newWriteId(), chunkSize: this.chunkSize, chunks: [] }, resumed: {} };
    }
    const matching = partial !== undefined && agrees(partial, expected) ? partial : undefined;
    if (matching === undefined || sum(matching.chunks) !== offset) {
      const found = matching === undefined ? 'no matching partial download is stored' : `the stored part ends at byte ${sum(matching.chunks)}`;
      throw new InvalidArgumentError(`Cannot resume ${ref.path} of ${ref.model} at byte ${offset}: ${found}.`, {
        hint: 'Resume at partialBytes() for the same file, or start again at offset 0.',
      });
    }
    const { writeId, chunkSize, chunks, size, sha256, etag } = matching;
    return { start: { writeId, chunkSize, chunks }, resumed: checkedExpectations({ size, sha256, etag }) };
  }

  /** Stored snapshots with their files, sizes, weight variants and last use. */
  list(): Promise<CachedModel[]> {
    return listModels(this.blobs);
  }

  async usage(): Promise<StorageUsage> {
    const bytes = await storedBytes(this.blobs);
    const figures = await this.estimateStorage();
    return figures === undefined ? { bytes } : { bytes, quota: figures.quota, usage: figures.usage };
  }

  /** Deletes a model's stored files (all, or one revision, host or weight variant); returns how many. */
  delete(model: string, options: DeleteModelOptions = {}): Promise<number> {
    return removeFiles(this.blobs, { ...options, model, busy: (file) => this.writing.has(fileKey(file)) });
  }

  /** Deletes everything this store holds. */
  async clear(): Promise<void> {
    await this.blobs.clear();
  }

  /** Asks the browser not to evict stored models under storage pressure; resolves whether it agreed. */
  persist(): Promise<boolean> {
    return this.requestPersist();
  }

  /**
   * Deletes least-recently-used snapshots (never one being written) until the origin has
   * `bytesNeeded` free, or nothing else can go. Returns the snapshots deleted, oldest first.
   */
  async evictToFit(bytesNeeded: number): Promise<CachedModel[]> {
    const figures = await this.estimateStorage();
    if (figures === undefined) {
      throw new NotSupportedError('evictToFit needs to know the free space, and navigator.storage.estimate() is not available here.', {
        hint: 'Delete models explicitly with cache.delete(model), or enable evictLeastRecentlyUsed to evict when a write runs out of quota.',
      });
    }
    let free = figures.quota - figures.usage;
    const evicted: CachedModel[] = [];
    for (const candidate of await this.evictionOrder()) {
      if (free >= bytesNeeded) break;
      await this.deleteSnapshot(candidate);
      evicted.push(candidate);
      free += candidate.bytes;
    }
    return evicted;
  }

  private async loadPartial(ref: FileRef): Promise<PartialDownload | undefined> {
    const partial = parsePartial(await this.blobs.get(partialKey(ref)));
    if (partial === undefined) return undefined;
    // An interruption right after a commit can leave the record beside the manifest that replaced it.
    const manifest = parseManifest(await this.blobs.get(fileKey(ref)));
    if (manifest?.writeId === partial.writeId) {
      await this.blobs.delete([partialKey(ref)]);
      return undefined;
    }
    return partial;
  }

  private session(ref: FileRef, id: string): WriteSession {
    return {
      blobs: this.blobs,
      makeRoom: () => this.makeRoom(),
      quotaError: (neededBytes, cause) => this.quotaError(ref, neededBytes, cause),
      touch: () => this.touch(ref),
      release: () => this.writing.delete(id),
    };
  }

  /** Frees space for a write that storage refused: orphaned chunks first, then (if enabled) the LRU snapshot. */
  private async makeRoom(): Promise<boolean> {
    if ((await collectOrphanChunks(this.blobs)) > 0) return true;
    if (!this.options.evictLeastRecentlyUsed) return false;
    // The writer's own snapshot is busy, so eviction order never offers it.
    const [victim] = await this.evictionOrder();
    if (victim === undefined) return false;
    await this.deleteSnapshot(victim);
    return true;
  }

  private async quotaError(file: FileRef, neededBytes: number, cause: unknown): Promise<StorageQuotaError> {
    const figures = await this.estimateStorage();
    const deletable = (await this.list())
      .filter((model) => !sameModel(model, file))
      .map(({ host, model, revision, bytes }) => ({ host, model, revision, bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    const freeBytes = figures === undefined ? undefined : Math.max(0, figures.quota - figures.usage);
    return new StorageQuotaError({ file, neededBytes, freeBytes, deletable, cause });
  }

  /** Stored snapshots that may be evicted, least recently used first. */
  private async evictionOrder(): Promise<CachedModel[]> {
    const busy = new Set([...this.writing.values()].map(modelIdentity));
    return (await this.list()).filter((model) => !busy.has(modelIdentity(model))).sort((a, b) => a.lastUsed - b.lastUsed);
  }

  private async deleteSnapshot(snapshot: ModelRef): Promise<void> {
    await removeFiles(this.blobs, { ...snapshot, busy: (file) => this.writing.has(fileKey(file)) });
  }

  private async touch(ref: ModelRef): Promise<void> {
    try {
      await this.blobs.set(usedKey(ref), this.now());
    } catch (error) {
      // A full disk must not turn a successful read into a failure; the entry just looks older.
      if (!isQuotaExceeded(error)) throw error;
    }
  }
}

/**
 * The hub's key names host, model, revision and file; the host is the URL's origin. Files that
 * come from a local path (no origin) share the host `'local'`.
 */
export function fileRefOf(key: FileCacheKey): FileRef {
  let host = 'local';
  try {
    const origin = new URL(key.url).origin;
    if (origin !== 'null') host = origin;
  } catch {
    // Relative URL: a local model folder on the page's origin.
  }
  return { host, model: key.model, revision: key.revision, path: key.file };
}

function sum(sizes: readonly number[]): number {
  return sizes.reduce((total, size) => total + size, 0);
}

/** Whether a partial download was made for the same version of the file as `expected` describes. */
function agrees(partial: PartialDownload, expected: FileExpectations): boolean {
  return (['size', 'sha256', 'etag'] as const).every(
    (field) => expected[field] === undefined || partial[field] === undefined || expected[field] === partial[field],
  );
}

/**
 * The expectations that are set, with the digest in lower case. A value that cannot be a hex
 * SHA-256 is refused: the Hub's header carries it in quotes, and a quoted digest would otherwise
 * fail every file it is compared with.
 */
function checkedExpectations({ size, sha256, etag }: FileExpectations): FileExpectations {
  const checked: FileExpectations = {};
  if (size !== undefined) checked.size = size;
  if (etag !== undefined) checked.etag = etag;
  if (sha256 !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(sha256)) {
      throw new InvalidArgumentError(`Expected SHA-256 ${JSON.stringify(sha256)} is not 64 hex digits.`, {
        hint: 'Pass the digest alone, without the quotes the x-linked-etag header puts around it.',
      });
    }
    checked.sha256 = sha256.toLowerCase();
  }
  return checked;
}
