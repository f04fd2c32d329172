/**
 * A local stand-in for the Hugging Face Hub, for tests (vitest in Node, Playwright's config).
 * Serves a directory of model folders as `/{model}/resolve/{revision}/{file}` (any revision maps
 * to the same folder; model ids may be `name` or `org/name`) and also as plain static files
 * `/{model}/{file}`, which is what a browser sees under `env.localModelPath`. Like the Hub it
 * labels files with etags (SHA-256 for LFS files) and answers `Range: bytes=N-` with 206 (honouring
 * If-Range), and it answers CORS preflights. Every request is recorded, and faults can be injected
 * per file. Pure Node: no test-framework imports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/** What to do instead of serving a file normally; with `once`, only for the next request of that file. */
export type HubFault = (
  /** Answer with this status (and headers, e.g. `{ 'x-error-code': 'GatedRepo' }`) and a short text body. */
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** Send the right headers and `bytes` of the body (default: half), wait `pauseMs` (default 0), then drop the connection. */
  | { kind: 'cut'; bytes?: number; pauseMs?: number }
  /** Declare `extra` (default 100) bytes more than the file has, send the file, then close the connection. */
  | { kind: 'wrong-length'; extra?: number }
  /** Send the body in `chunkSize`-byte pieces, waiting `delayMs` between them. */
  | { kind: 'slow'; chunkSize: number; delayMs: number }
  /** Answer 200 with an HTML page, labelled `contentType` (default `text/html; charset=utf-8`). */
  | { kind: 'html'; contentType?: string }
  /** Ignore Range headers and send the whole file with 200, as servers without range support do. */
  | { kind: 'ignore-range' }
  /** Label the file with this etag (quoted) instead of its own: a new version, or a digest that does not match. */
  | { kind: 'etag'; etag: string }
) & { once?: boolean };

export interface HubRequest {
  method: string;
  /** The raw request path, as sent. */
  path: string;
  layout: 'hub' | 'static';
  model: string;
  /** Decoded revision (`'refs/pr/1'`), `undefined` for static requests. */
  revision: string | undefined;
  file: string;
  status: number;
  fault: HubFault['kind'] | undefined;
  /** The request's `Range` and `If-Range` headers, when sent. */
  range: string | undefined;
  ifRange: string | undefined;
}

export interface HubServerOptions {
  /** Directory holding one folder per model (`root/{model}/{file}`). */
  root: string;
  /** Initial faults, keyed by `{model}/{file}` (e.g. `'tiny-random-gpt2/onnx/model.onnx'`). */
  faults?: Record<string, HubFault>;
  /** More files, as `{model}/{file}` → a path on disk, served as if they were under `root`. */
  extraFiles?: Record<string, string>;
}

export interface HubServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request answered so far, in order. */
  requests: HubRequest[];
  /** Sets (or with `undefined`, clears) the fault for `{model}/{file}`, for every revision and layout. */
  setFault(path: string, fault: HubFault | undefined): void;
  close(): Promise<void>;
}

const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Not the file you asked for.</body></html>\n';

const EXPOSED_HEADERS = 'content-length, content-type, content-range, accept-ranges, etag, x-linked-etag, x-linked-size, x-error-code';

/** Files the Hub keeps in LFS (weights): their etag is the SHA-256 of the content. */
const LFS_FILE = /\.(onnx|onnx_data(_\d+)?|bin|safetensors|model)$/;

/**
 * The version headers the Hub sends: LFS files carry their SHA-256 as etag (and, on the resolve
 * answer, as x-linked-etag with x-linked-size); other files carry their git blob SHA-1.
 */
function versionHeaders(file: string, bytes: Buffer, etagOverride: string | undefined): Record<string, string | number> {
  if (etagOverride !== undefined) return { etag: `"${etagOverride}"`, 'x-linked-etag': `"${etagOverride}"` };
  if (LFS_FILE.test(file)) {
    const sha256 = `"${createHash('sha256').update(bytes).digest('hex')}"`;
    return { etag: sha256, 'x-linked-etag': sha256, 'x-linked-size': bytes.length };
  }
  const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  return { etag: `"${blob}"` };
}

/**
 * The start of the part a `Range: bytes=N-` request asks for, `undefined` to send the whole file
 * (no Range, a form this server does not serve, or an If-Range that names another version), or
 * `'unsatisfiable'` when N is past the end.
 */
function requestedPart(range: string | undefined, ifRange: string | undefined, etag: string, size: number): number | 'unsatisfiable' | undefined {
  const match = range === undefined ? null : /^bytes=(\d+)-$/.exec(range.trim());
  if (match === null || (ifRange !== undefined && ifRange !== etag)) return undefined;
  const start = Number(match[1]);
  return start >= size ? 'unsatisfiable' : start;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const root = resolve(options.root);
  const faults = new Map<string, HubFault>(Object.entries(options.faults ?? {}));
  const extraFiles = new Map(Object.entries(options.extraFiles ?? {}).map(([key, path]) => [key, resolve(path)]));
  const requests: HubRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`hub-server error: ${String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    const rawPath = (req.url ?? '/').split('?')[0];
    const target = parsePath(rawPath);
    if (target === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
      return;
    }
    const faultKey = `${target.model}/${target.file}`;
    const range = req.headers.range;
    const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined;
    const record = (status: number, kind?: HubFault['kind']) =>
      requests.push({ method: req.method ?? 'GET', path: rawPath, ...target, status, fault: kind, range, ifRange });
    // A browser asks before sending Range with If-Range (not a CORS-safelisted header) to another origin.
    if (req.method === 'OPTIONS') {
      record(204);
      res.writeHead(204, { 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'range, if-range, authorization', 'access-control-max-age': '600' }).end();
      return;
    }
    const fault = faults.get(faultKey);
    if (fault?.once) faults.delete(faultKey);

    if (fault?.kind === 'status') {
      record(fault.status, fault.kind);
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(`injected ${fault.status}`);
      return;
    }
    if (fault?.kind === 'html') {
      record(200, fault.kind);
      const body = Buffer.from(HTML_PAGE);
      res.writeHead(200, { 'content-type': fault.contentType ?? 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
      return;
    }
    const filePath = extraFiles.get(faultKey) ?? resolve(root, target.model, ...target.file.split('/'));
    if (!extraFiles.has(faultKey) && !filePath.startsWith(root + sep)) {
      record(400, fault?.kind);
      res.writeHead(400, { 'content-type': 'text/plain' }).end('path escapes the root');
      return;
    }
    let file: Buffer;
    try {
      file = await readFile(filePath);
    } catch {
      record(404, fault?.kind);
      // The real Hub names the kind of absence in X-Error-Code.
      res.writeHead(404, { 'content-type': 'text/plain', 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': CONTENT_TYPES[filePath.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'accept-ranges': 'bytes',
      ...versionHeaders(target.file, file, fault?.kind === 'etag' ? fault.etag : undefined),
    };
    const part = fault?.kind === 'ignore-range' ? undefined : requestedPart(range, ifRange, headers.etag as string, file.length);
    if (part === 'unsatisfiable') {
      record(416, fault?.kind);
      res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
      return;
    }
    const status = part === undefined ? 200 : 206;
    const body = part === undefined ? file : file.subarray(part);
    if (part !== undefined) headers['content-range'] = `bytes ${part}-${file.length - 1}/${file.length}`;
    record(status, fault?.kind);
    if (req.method === 'HEAD') {
      res.writeHead(status, { ...headers, 'content-length': body.length }).end();
      return;
    }
    switch (fault?.kind) {
      case 'cut':
        res.writeHead(status, { ...headers, 'content-length': body.length });
        await write(res, body.subarray(0, fault.bytes ?? Math.floor(body.length / 2)));
        if (fault.pauseMs) await new Promise((done) => setTimeout(done, fault.pauseMs));
        res.socket?.destroy();
        return;
      case 'wrong-length':
        res.writeHead(status, { ...headers, 'content-length': body.length + (fault.extra ?? 100) });
        await write(res, body);
        res.socket?.destroy();
        return;
      case 'slow':
        res.writeHead(status, { ...headers, 'content-length': body.length });
        for (let offset = 0; offset < body.length; offset += fault.chunkSize) {
          await write(res, body.subarray(offset, offset + fault.chunkSize));
          await new Promise((done) => setTimeout(done, fault.delayMs));
        }
        res.end();
        return;
      default:
        res.writeHead(status, { ...headers, 'content-length': body.length }).end(body);
    }
  }

  await new Promise<void>((ready, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(path, fault) {
      if (fault === undefined) faults.delete(path);
      else faults.set(path, fault);
    },
    close: () =>
      new Promise<void>((closed, failed) => {
        server.close((error) => (error ? failed(error) : closed()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

/** Splits a request path into model, revision and file; `null` when it cannot name a file. */
function parsePath(rawPath: string): Pick<HubRequest, 'layout' | 'model' | 'revision' | 'file'> | null {
  const raw = rawPath.split('/').slice(1);
  const resolveAt = [1, 2].find((i) => raw[i] === 'resolve' && raw.length >= i + 3);
  // The revision is one segment that may hold an encoded "/" ("refs%2Fpr%2F1"); every other
  // segment must stay a plain name so that the file cannot escape the root.
  const revisionAt = resolveAt === undefined ? -1 : resolveAt + 1;
  const decoded: string[] = [];
  for (const [i, segment] of raw.entries()) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return null;
    }
    const plainName = value !== '' && value !== '.' && value !== '..' && !value.includes('/') && !value.includes('\\');
    if (i === revisionAt ? value === '' : !plainName) return null;
    decoded.push(value);
  }
  if (resolveAt !== undefined) {
    return { layout: 'hub', model: decoded.slice(0, resolveAt).join('/'), revision: decoded[revisionAt], file: decoded.slice(revisionAt + 1).join('/') };
  }
  if (decoded.length < 2) return null;
  // Static layout: where the model id ends is unknown, but it does not matter: fault keys and
  // file lookup both use the joined `{model}/{file}` path.
  return { layout: 'static', model: decoded[0], revision: undefined, file: decoded.slice(1).join('/') };
}

function write(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise((written, failed) => res.write(chunk, (error) => (error ? failed(error) : written())));
}
