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
  /** Called once the response is known to be good, before the body is read. */
  onResponse?: () => void;
  /** Called after each received chunk, with `loaded` strictly increasing. */
  onProgress?: (progress: ByteProgress) => void;
  /**
   * Treat an HTML answer as "file missing" instead of "malformed". For local model folders
   * served by a web server: dev servers answer unknown paths with the app's index.html.
   */
  htmlMeansMissing?: boolean;
}

/**
 * Downloads `url` with `env.fetch`, streaming the body to report progress, and checks that
 * exactly content-length bytes arrived. Appends `url` to `attempt.urls`.
 * @throws ModelFileError (`not_found`, `http`, `network`, `truncated`, `malformed`).
 */
export async function fetchWithProgress(url: string, attempt: FileAttempt, options: FetchWithProgressOptions = {}): Promise<Uint8Array> {
  attempt.urls.push(url);
  const fail = (reason: ModelFileError['reason'], detail: string, extra: { status?: number; hubErrorCode?: string; cause?: unknown } = {}) =>
    new ModelFileError({ ...attempt, reason, detail, ...extra });

  let response: Response;
  try {
    response = await env.fetch(url);
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
  options.onResponse?.();

  const declared = declaredLength(response.headers);
  // Only failures of the stream itself count as a cut; an exception from onProgress passes through.
  const cut = (cause: unknown) => fail('truncated', `the connection closed mid-body (${describe(cause)})`, { status: response.status, cause });
  const bytes = await readBody(response, declared, options.onProgress, cut);
  if (declared !== undefined && bytes.length !== declared) {
    throw bytes.length < declared
      ? fail('truncated', `received ${bytes.length} of ${declared} bytes (content-length)`, { status: response.status })
      : fail('malformed', `received ${bytes.length} bytes but content-length says ${declared}`, { status: response.status });
  }
  return bytes;
}

/**
 * The body size promised by the headers, or `undefined` when unknown. With a content-encoding
 * (gzip from a CDN), content-length counts the compressed bytes while fetch hands out the
 * decompressed ones, so it cannot be checked against what we read.
 */
function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const raw = headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

async function readBody(
  response: Response,
  declared: number | undefined,
  onProgress: FetchWithProgressOptions['onProgress'],
  cut: (cause: unknown) => Error,
): Promise<Uint8Array> {
  const report = (loaded: number, total: number) => onProgress?.({ loaded, total, progress: total === 0 ? 100 : (loaded / total) * 100 });
  if (response.body === null) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throw cut(cause);
    }
    report(bytes.length, bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (cause) {
      throw cut(cause);
    }
    const { done, value } = chunk;
    if (done) break;
    if (value.length === 0) continue;
    chunks.push(value);
    loaded += value.length;
    report(loaded, Math.max(declared ?? 0, loaded));
  }
  if (loaded === 0 && !declared) report(0, 0);
  return concat(chunks, loaded);
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

async function discardBody(response: Response): Promise<void> {
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
