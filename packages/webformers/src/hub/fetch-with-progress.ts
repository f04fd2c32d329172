import { env } from '../env.js';
import { LoadAbortedError, ModelFileError } from './errors.js';
import { isHtmlResponse } from './content-check.js';

/** The file being loaded, and every location tried for it so far (appended to by each attempt). */
export interface FileAttempt {
  model: string;
  revision: string;
  file: string;
  urls: string[];
}

export interface ByteProgress {
  loaded: number;
  total: number;
  /** `loaded / total` in percent (100 for an empty file). */
  progress: number;
}

export interface FetchWithProgressOptions {
  /** Called once the response is known to be good, before the body is read (its headers are readable). */
  onResponse?: (response: Response) => void;
  /** Called after each received chunk, with `loaded` strictly increasing. */
  onProgress?: (progress: ByteProgress) => void;
  /**
   * Treat an HTML answer as "file missing" instead of "malformed". For local model folders
   * served by a web server: dev servers answer unknown paths with the app's index.html.
   */
  htmlMeansMissing?: boolean;
  /** Stops the request and the body; the load then fails with `LoadAbortedError`. */
  signal?: AbortSignal;
}

/** Options of `requestFile`. */
export interface RequestFileOptions {
  htmlMeansMissing?: boolean;
  /** Extra request headers (`Range`, `If-Range` for a resumed download). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Where the bytes of a response body go as they arrive. */
export interface BodySink {
  /** Bytes of the file held before this body starts (the kept part of a resumed download). */
  start: number;
  /** Size of the whole file where the headers tell it; progress totals use it. */
  total: number | undefined;
  /** Takes one received chunk; a rejection stops reading and passes through as is. */
  write(chunk: Uint8Array): void | Promise<void>;
  onProgress?: (progress: ByteProgress) => void;
  /** Stops reading: the body is cancelled and `readBody` fails with `LoadAbortedError`. */
  signal?: AbortSignal;
}

/**
 * Downloads `url` with `env.fetch`, streaming the body to report progress, and checks that
 * exactly content-length bytes arrived. Appends `url` to `attempt.urls`.
 * @throws ModelFileError (`not_found`, `http`, `network`, `truncated`, `malformed`); LoadAbortedError.
 */
export async function fetchWithProgress(url: string, attempt: FileAttempt, options: FetchWithProgressOptions = {}): Promise<Uint8Array> {
  const response = await requestFile(url, attempt, options);
  options.onResponse?.(response);
  const chunks: Uint8Array[] = [];
  const declared = declaredLength(response.headers);
  const length = await readBody(response, attempt, declared, {
    start: 0,
    total: declared,
    write: (chunk) => {
      chunks.push(chunk);
    },
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return concat(chunks, length);
}

/**
 * Sends the request and checks the answer: a 2xx status, and no HTML page where a model file
 * belongs. Appends `url` to `attempt.urls`. The body is left unread.
 * @throws ModelFileError (`not_found`, `http`, `network`, `malformed`); LoadAbortedError.
 */
export async function requestFile(url: string, attempt: FileAttempt, options: RequestFileOptions = {}): Promise<Response> {
  attempt.urls.push(url);
  const fail = (reason: ModelFileError['reason'], detail: string, extra: { status?: number; hubErrorCode?: string; cause?: unknown } = {}) =>
    new ModelFileError({ ...attempt, reason, detail, ...extra });

  const { headers, signal } = options;
  throwIfAborted(signal, attempt);
  let response: Response;
  try {
    response = await env.fetch(url, headers === undefined && signal === undefined ? undefined : { headers, signal });
  } catch (cause) {
    throwIfAborted(signal, attempt);
    throw fail('network', `the request failed (${describe(cause)})`, { cause });
  }
  if (!response.ok) {
    await discardBody(response);
    const hubErrorCode = response.headers.get('x-error-code') ?? undefined;
    const statusLine = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${hubErrorCode ? ` (${hubErrorCode})` : ''}`;
    throw fail(response.status === 404 ? 'not_found' : 'http', statusLine, { status: response.status, hubErrorCode });
  }
  if (isHtmlResponse(response.headers.get('content-type'), attempt.file)) {
    await discardBody(response);
    const detail = 'the server answered with an HTML page (content-type text/html)';
    throw options.htmlMeansMissing ? fail('not_found', detail, { status: response.status }) : fail('malformed', detail, { status: response.status });
  }
  return response;
}

/**
 * The body size promised by the headers, or `undefined` when unknown. With a content-encoding
 * (gzip from a CDN), content-length counts the compressed bytes while fetch hands out the
 * decompressed ones, so it cannot be checked against what we read.
 */
export function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const raw = headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/**
 * Streams the body into `sink`, reporting progress (`loaded` counts from `sink.start`), and
 * checks that exactly `declared` bytes arrived. Returns how many bytes this body held.
 * @throws ModelFileError (`truncated` when the connection closed early, `malformed` when more came);
 *   LoadAbortedError when `sink.signal` aborts, also where `env.fetch` ignores the signal.
 */
export async function readBody(response: Response, attempt: FileAttempt, declared: number | undefined, sink: BodySink): Promise<number> {
  const fail = (reason: 'truncated' | 'malformed', detail: string, cause?: unknown) =>
    new ModelFileError({ ...attempt, reason, detail, status: response.status, cause });
  const cut = (cause: unknown) => fail('truncated', `the connection closed mid-body (${describe(cause)})`, cause);
  const report = (received: number) => sink.onProgress?.(byteProgress(sink.start + received, sink.total));
  const { signal } = sink;

  let received = 0;
  if (response.body === null) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throwIfAborted(signal, attempt);
      throw cut(cause);
    }
    throwIfAborted(signal, attempt);
    await sink.write(bytes);
    received = bytes.length;
    report(received);
  } else {
    const reader = response.body.getReader();
    // Cancelling ends a pending read at once, also with an env.fetch that does not take the signal.
    const stop = () => void reader.cancel(signal?.reason).catch(() => undefined);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        // Only failures of the stream itself count as a cut; an exception from the sink or onProgress passes through.
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          throwIfAborted(signal, attempt);
          throw cut(cause);
        }
        throwIfAborted(signal, attempt);
        const { done, value } = chunk;
        if (done) break;
        if (value.length === 0) continue;
        await sink.write(value);
        received += value.length;
        report(received);
      }
    } catch (error) {
      // Closes the connection instead of leaving the rest of the body to arrive for nobody; not awaited, as a dead connection may never answer.
      reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (received === 0 && !declared) report(0);
  }
  if (declared !== undefined && received !== declared) {
    throw received < declared
      ? fail('truncated', `received ${received} of ${declared} bytes (content-length)`)
      : fail('malformed', `received ${received} bytes but content-length says ${declared}`);
  }
  return received;
}

/** Throws `loadAborted` once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, attempt: FileAttempt): void {
  if (signal?.aborted) throw loadAborted(attempt, signal);
}

/** The error of a load of this file that `signal` aborted. */
export function loadAborted(attempt: FileAttempt, signal: AbortSignal | undefined): LoadAbortedError {
  const { model, revision, file } = attempt;
  return new LoadAbortedError({ model, revision, file, cause: signal?.reason });
}

/** Progress at `loaded` bytes; without a known size the total grows with what arrived. */
export function byteProgress(loaded: number, size: number | undefined): ByteProgress {
  const total = Math.max(size ?? 0, loaded);
  return { loaded, total, progress: total === 0 ? 100 : (loaded / total) * 100 };
}

/** Joins the chunks into one array that owns its whole ArrayBuffer. */
function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return ownedBytes(chunks[0]);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * The bytes in an array that owns its whole ArrayBuffer. Stream chunks and Node Buffers may be
 * views into a larger pooled buffer; transferring such a view to a worker would send (and detach)
 * the whole pool, so callers always get an exact-size buffer.
 */
export function ownedBytes(view: Uint8Array): Uint8Array {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
}

/** Releases a response's connection without reading the body. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body is being thrown away; a failure to cancel it changes nothing for the caller.
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
