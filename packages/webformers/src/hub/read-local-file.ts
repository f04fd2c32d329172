import { ModelFileError } from './errors.js';
import { ownedBytes, throwIfAborted, type FileAttempt } from './fetch-with-progress.js';

type NodeFs = typeof import('node:fs/promises');

// A computed specifier with both bundlers' ignore comments keeps Vite and webpack from trying
// to bundle node:fs into browser builds; this function only ever runs in Node.
const FS_MODULE = 'node:fs/promises';

/** Error codes that mean "no file at this path" rather than "the file could not be read". */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * Reads a local model file from the filesystem (Node). Appends `path` to `attempt.urls`.
 * @throws ModelFileError (`not_found` when there is no such file, `io` when reading it failed);
 *   LoadAbortedError when `signal` aborts.
 */
export async function readLocalFile(path: string, attempt: FileAttempt, signal?: AbortSignal): Promise<Uint8Array> {
  attempt.urls.push(path);
  const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ FS_MODULE)) as NodeFs;
  try {
    const buffer = await fs.readFile(path, { signal });
    return ownedBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  } catch (cause) {
    throwIfAborted(signal, attempt);
    const code = (cause as { code?: unknown }).code;
    const missing = typeof code === 'string' && MISSING.has(code);
    throw new ModelFileError({
      ...attempt,
      reason: missing ? 'not_found' : 'io',
      detail: missing ? 'no such local file' : `the local file could not be read (${String(code ?? cause)})`,
      cause,
    });
  }
}
