import { env } from '../env.js';
import { ModelFileError } from './errors.js';
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
}

/** Options of `requestFile`. */
export interface RequestFileOptions {
  htmlMeansMissing?: boolean;
  /** Extra request headers (`Range`, `If-Range` for a resumed download). */
  headers?: Record<string, string>;
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
}

/**
 * Downloads `url` with `env.fetch`, streaming the body to report progress, and checks that
 * exactly content-length bytes arrived. Appends `url` to `attempt.urls`.
 * @throws ModelFileError (`not_found`, `http`, `network`, `truncated`, `malformed`).
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
  });
  return concat(chunks, length);
}

/**
 * Sends the request and checks the answer: a 2xx status, and no HTML page where a model file
 * belongs. Appends `url` to `attempt.urls`. The body is left unread.
 * @throws ModelFileError (`not_found`, `http`, `network`, `malformed`).
 */
export async function requestFile(url: string, attempt: FileAttempt, options: RequestFileOptions = {}): Promise<Response> {
  attempt.urls.push(url);
  const fail = (reason: ModelFileError['reason'], detail: string, extra: { status?: number; hubErrorCode?: string; cause?: unknown } = {}) =>
    new ModelFileError({ ...attempt, reason, detail, ...extra });

  let response: Response;
  try {
    response = await env.fetch(url, options.headers === undefined ? undefined : { headers: options.headers });
  } catch (cause) {
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
 * @throws ModelFileError (`truncated` when the connection closed early, `malformed` when more came).
 */
export async function readBody(response: Response, attempt: FileAttempt, declared: number | undefined, sink: BodySink): Promise<number> {
  const fail = (reason: 'truncated' | 'malformed', detail: string, cause?: unknown) =>
    new ModelFileError({ ...attempt, reason, detail, status: response.status, cause });
  const cut = (cause: unknown) => fail('truncated', `the connection closed mid-body (${describe(cause)})`, cause);
  const report = (received: number) => sink.onProgress?.(byteProgress(sink.start + received, sink.total));

  let received = 0;
  if (response.body === null) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throw cut(cause);
    }
    await sink.write(bytes);
    received = bytes.length;
    report(received);
  } else {
    const reader = response.body.getReader();
    try {
      for (;;) {
        // Only failures of the stream itself count as a cut; an exception from the sink or onProgress passes through.
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          throw cut(cause);
        }
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
