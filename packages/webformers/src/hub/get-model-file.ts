import { env } from '../env.js';
import { checkedContent } from './content-check.js';
import { downloadRemoteFile } from './download-remote-file.js';
import { ModelFileError } from './errors.js';
import { fetchWithProgress, loadAborted, ownedBytes, throwIfAborted, type ByteProgress, type FileAttempt } from './fetch-with-progress.js';
import { readLocalFile } from './read-local-file.js';
import { resolveModelFile, type ResolvedModelFile } from './resolve-model-file.js';
import { sharedDownload } from './shared-downloads.js';
import type { FileCacheKey, GetModelFileOptions, ProgressCallback } from './types.js';

/** Reports one file's events in transformers.js order: initiate, download, progress…, done. */
interface FileEvents {
  initiate(): void;
  download(): void;
  progress(bytes: ByteProgress): void;
  done(): void;
}

/** A loaded file, with the attempt record (model, revision, file, locations tried) for later errors. */
export interface LoadedModelFile {
  bytes: Uint8Array;
  attempt: FileAttempt;
}

/**
 * Loads one file of a model: from `env.cache`, then the local model folder (when
 * `env.allowLocalModels`), then the remote host (unless `env.allowRemoteModels` is false or
 * `local_files_only` is set). Only a missing local file moves on to the remote host; a local read
 * that fails otherwise (permissions, HTTP 500, cut connection) fails the load, so a broken local
 * setup is not silently replaced by downloads. Remote downloads are stored in `env.cache`
 * (streamed and resumable where the store allows, see `downloadRemoteFile`), and concurrent loads
 * of one file share one download. An abort through `signal` stops the load at once; a download it
 * shares with other loads stops only when all of them have aborted, keeping its stored part for a resume.
 * @returns the file's bytes, in an array that owns its whole ArrayBuffer (safe to transfer), or
 *   `null` when the file is missing and `fatal` is false (any other failure, e.g. HTTP 500, still throws: "missing" is the only optional outcome).
 * @throws ModelFileError naming the model, revision, file and every location tried; LoadAbortedError
 *   (name `AbortError`) when `signal` aborts; the store's error (code `storage_quota`) when
 *   `env.cache` has no room for the file.
 */
export async function getModelFile(model: string, file: string, options: GetModelFileOptions = {}): Promise<Uint8Array | null> {
  return (await loadModelFile(model, file, options))?.bytes ?? null;
}

/** `getModelFile`, also returning where the bytes came from (for errors raised while decoding them). */
export async function loadModelFile(model: string, file: string, options: GetModelFileOptions = {}): Promise<LoadedModelFile | null> {
  const target = resolveModelFile(model, file, options);
  const attempt: FileAttempt = { model: target.model, revision: target.revision, file: target.file, urls: [] };
  const { signal } = options;
  throwIfAborted(signal, attempt);
  const events = fileEvents(options.progress_callback, target);
  events.initiate();
  try {
    const bytes =
      (await fromCache(target, attempt, events, signal)) ??
      (await fromLocal(target, attempt, events, signal)) ??
      (await fromRemote(target, attempt, events, options));
    events.done();
    return { bytes, attempt };
  } catch (error) {
    const missing = error instanceof ModelFileError && (error.reason === 'not_found' || error.reason === 'offline');
    if (missing && options.fatal === false) return null;
    throw error;
  }
}

async function fromCache(target: ResolvedModelFile, attempt: FileAttempt, events: FileEvents, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
  if (env.cache === null) return null;
  attempt.urls.push(`${target.remoteUrl} (cache)`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await env.cache.match(cacheKey(target));
  } catch (error) {
    // A broken cache (quota, private browsing) must not stop a model from loading: the network still works.
    console.warn(`webformers: cache lookup failed for ${target.remoteUrl}; loading without the cache.`, error);
    return null;
  }
  throwIfAborted(signal, attempt);
  if (bytes === undefined) return null;
  events.download();
  events.progress({ loaded: bytes.length, total: bytes.length, progress: 100 });
  return ownedBytes(bytes);
}

async function fromLocal(target: ResolvedModelFile, attempt: FileAttempt, events: FileEvents, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
  if (!env.allowLocalModels) return null;
  let bytes: Uint8Array;
  try {
    if (target.localFromDisk) {
      bytes = await readLocalFile(target.localLocation, attempt, signal);
      events.download();
      events.progress({ loaded: bytes.length, total: bytes.length, progress: 100 });
    } else {
      bytes = await fetchWithProgress(target.localLocation, attempt, { htmlMeansMissing: true, onResponse: events.download, onProgress: events.progress, signal });
    }
  } catch (error) {
    if (error instanceof ModelFileError && error.reason === 'not_found') return null;
    throw error;
  }
  return checkedContent(bytes, attempt);
}

async function fromRemote(target: ResolvedModelFile, attempt: FileAttempt, events: FileEvents, options: GetModelFileOptions): Promise<Uint8Array> {
  if (options.local_files_only || !env.allowRemoteModels) {
    const blocker = options.local_files_only ? 'local_files_only is set' : 'env.allowRemoteModels is false';
    const where = env.allowLocalModels ? 'it is not in the local model folder' : 'local models are disabled (env.allowLocalModels is false)';
    const cached = env.cache === null ? '' : ' or the cache';
    throw new ModelFileError({ ...attempt, reason: 'offline', detail: `${where}${cached}, and ${blocker}` });
  }
  const { signal } = options;
  const waiter = {
    listener: events,
    signal,
    abortError: () => loadAborted(attempt, signal),
    joined: () => attempt.urls.push(target.remoteUrl),
  };
  return sharedDownload(target.remoteUrl, waiter, (shared, sharedSignal) => downloadRemoteFile(cacheKey(target), attempt, shared, sharedSignal));
}

function cacheKey(target: ResolvedModelFile): FileCacheKey {
  return { model: target.model, revision: target.revision, file: target.file, url: target.remoteUrl };
}

function fileEvents(callback: ProgressCallback | undefined, target: ResolvedModelFile): FileEvents {
  const name = target.model;
  const file = target.file;
  return {
    initiate: () => callback?.({ status: 'initiate', name, file }),
    download: () => callback?.({ status: 'download', name, file }),
    progress: ({ loaded, total, progress }) => callback?.({ status: 'progress', name, file, progress, loaded, total }),
    done: () => callback?.({ status: 'done', name, file }),
  };
}
