import { env, type FileCache, type FileCacheKey, type FileExpectations, type FileWriter, type PartialDownloadInfo } from '../env.js';
import { checkedContent, streamingContentCheck } from './content-check.js';
import { LoadAbortedError, ModelFileError } from './errors.js';
import { byteProgress, declaredLength, discardBody, fetchWithProgress, readBody, requestFile, type FileAttempt } from './fetch-with-progress.js';
import { ReadAheadWriter } from './read-ahead-writer.js';
import { continuesKeptPart, fileExpectations, resumeHeaders } from './response-facts.js';
import type { DownloadListener } from './shared-downloads.js';

/** A store that takes files as they stream in, and keeps interrupted downloads for resuming. */
type StreamingCache = FileCache & Required<Pick<FileCache, 'partialDownload' | 'begin'>>;

/**
 * The store failed for a reason that says nothing about the file (IndexedDB unavailable in a
 * private window, a database closed under us): the file is still loaded, just not stored.
 */
class StoreUnavailable {
  constructor(readonly cause: unknown) {}
}

/**
 * Downloads a remote file and stores it in `env.cache`. A streaming store gets the bytes as they
 * arrive: a cut connection leaves its completed part there, and the next call asks only for the
 * rest (HTTP Range, with If-Range so a changed file is sent whole). The store checks the file
 * against the size and SHA-256 the server announced before keeping it. An abort through `signal`
 * keeps the stored part for resuming, as a cut connection does.
 * @throws ModelFileError; LoadAbortedError; the store's own error (code `storage_quota`) when it is full.
 */
export async function downloadRemoteFile(key: FileCacheKey, attempt: FileAttempt, events: DownloadListener, signal?: AbortSignal): Promise<Uint8Array> {
  const cache = env.cache;
  if (cache !== null && isStreaming(cache)) {
    try {
      return await downloadIntoStore(cache, key, attempt, events, signal);
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      warnUnstored(key, error.cause);
      return downloadWhole(key, attempt, events, null, signal);
    }
  }
  return downloadWhole(key, attempt, events, cache, signal);
}

function isStreaming(cache: FileCache): cache is StreamingCache {
  return typeof cache.partialDownload === 'function' && typeof cache.begin === 'function';
}

/** Downloads the file into memory, then hands it to a store that takes whole files (if any). */
async function downloadWhole(key: FileCacheKey, attempt: FileAttempt, events: DownloadListener, cache: FileCache | null, signal: AbortSignal | undefined): Promise<Uint8Array> {
  let expected: FileExpectations = {};
  const onResponse = (response: Response) => {
    expected = fileExpectations(response);
    events.download();
  };
  const bytes = checkedContent(await fetchWithProgress(key.url, attempt, { onResponse, onProgress: events.progress, signal }), attempt);
  if (cache !== null) {
    try {
      await storeStep(attempt, () => cache.put(key, bytes, expected));
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      warnUnstored(key, error.cause);
    }
  }
  return bytes;
}

async function downloadIntoStore(
  store: StreamingCache, key: FileCacheKey, attempt: FileAttempt, events: DownloadListener, signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const kept = await storeStep(attempt, () => store.partialDownload(key));
  const { response, offset } = await openDownload(key.url, attempt, kept, signal);
  const expected = fileExpectations(response);
  let writer: FileWriter;
  try {
    writer = await storeStep(attempt, () => store.begin(key, { ...expected, offset }));
  } catch (error) {
    await discardBody(response);
    throw error;
  }
  events.download();
  if (offset > 0) events.progress(byteProgress(offset, expected.size));
  // A resumed file's start was checked by the attempt that stored it.
  const checkStart = offset === 0 ? streamingContentCheck(attempt) : undefined;
  const queue = new ReadAheadWriter((chunk) => storeStep(attempt, () => writer.write(chunk)));
  try {
    await readBody(response, attempt, declaredLength(response.headers), {
      start: offset,
      total: expected.size,
      write: (chunk) => {
        checkStart?.(chunk);
        return queue.push(chunk);
      },
      onProgress: events.progress,
      signal,
    });
    await queue.drain();
  } catch (error) {
    await keepOrDiscard(error, queue, writer);
    throw error;
  }
  return storeStep(attempt, () => writer.commit());
}

/**
 * After a failed body: a cut connection or an abort keeps what arrived (stored, then suspended for
 * resuming); any other failure discards the attempt. A store failure while keeping wins over the cut, as it
 * is what the next attempt would run into.
 */
async function keepOrDiscard(error: unknown, queue: ReadAheadWriter, writer: FileWriter): Promise<void> {
  if ((error instanceof ModelFileError && error.reason === 'truncated') || error instanceof LoadAbortedError) {
    try {
      await queue.drain();
    } catch (storeError) {
      await discardQuietly(writer);
      throw storeError;
    }
    writer.suspend();
    return;
  }
  await queue.drain().catch(() => undefined);
  await discardQuietly(writer);
}

/**
 * Asks for the rest of the kept part when there is one. The answer decides where the new bytes
 * start: a 206 that continues the kept part resumes it; a 200 (the server ignores Range, or
 * If-Range saw a new version) starts over; a 416 or a 206 for another range or version is
 * dropped and the whole file asked for.
 */
async function openDownload(
  url: string, attempt: FileAttempt, kept: PartialDownloadInfo | undefined, signal: AbortSignal | undefined,
): Promise<{ response: Response; offset: number }> {
  if (kept !== undefined) {
    let response: Response | undefined;
    try {
      response = await requestFile(url, attempt, { headers: resumeHeaders(kept), signal });
    } catch (error) {
      // 416: the kept part is not shorter than the file any more, so the file has changed.
      if (!(error instanceof ModelFileError && error.status === 416)) throw error;
    }
    if (response !== undefined) {
      if (continuesKeptPart(response, kept)) return { response, offset: kept.bytes };
      if (response.status !== 206) return { response, offset: 0 };
      await discardBody(response);
    }
  }
  return { response: await requestFile(url, attempt, { signal }), offset: 0 };
}

/**
 * Runs one store operation, sorting its failures: a full store fails the load with the store's
 * error; a file that does not match what the server announced fails it as `malformed`; anything
 * else means the store cannot be used (`StoreUnavailable`).
 */
async function storeStep<T>(attempt: FileAttempt, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'storage_quota') throw error;
    if (code === 'file_integrity') {
      throw new ModelFileError({
        ...attempt,
        reason: 'malformed',
        detail: 'the downloaded bytes do not match the size or SHA-256 the server announced, so they were not kept',
        hint: 'The download was damaged on the way, or the server labels files with an etag that is not their SHA-256; retry, and check env.remoteHost if it keeps failing.',
        cause: error,
      });
    }
    throw new StoreUnavailable(error);
  }
}

async function discardQuietly(writer: FileWriter): Promise<void> {
  try {
    await writer.discard();
  } catch {
    // The failure being reported matters more than leftovers, which the store collects when it needs room.
  }
}

function warnUnstored(key: FileCacheKey, cause: unknown): void {
  // A broken store costs a re-download next time, not this load.
  console.warn(`webformers: could not cache ${key.url}; loading it without the cache.`, cause);
}
