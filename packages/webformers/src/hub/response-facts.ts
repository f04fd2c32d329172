/**
 * What a response says about the remote file behind it: its size, SHA-256 and version (etag),
 * and for a partial (206) answer where the part starts. A store checks downloads against these.
 */
import type { FileExpectations, PartialDownloadInfo } from '../env.js';
import { declaredLength } from './fetch-with-progress.js';

/** Size, SHA-256 and etag of the file, as far as the headers tell. */
export function fileExpectations(response: Response): FileExpectations {
  const facts: FileExpectations = {};
  const size = response.status === 206 ? contentRange(response.headers)?.total : declaredLength(response.headers);
  if (size !== undefined) facts.size = size;
  const sha256 = announcedSha256(response.headers);
  if (sha256 !== undefined) facts.sha256 = sha256;
  const etag = response.headers.get('etag');
  if (etag !== null) facts.etag = etag;
  return facts;
}

/**
 * The file's SHA-256 as the server announces it. The Hub gives LFS files (weights, large
 * tokenizers) an etag that is their SHA-256 in quotes, as `x-linked-etag` on the resolve answer
 * and `etag` on the storage answer; other files get a git blob SHA-1 (40 digits), which is not a
 * content digest we can check, and neither is a weak etag. So only a strong 64-hex-digit value counts.
 */
export function announcedSha256(headers: Headers): string | undefined {
  const value = headers.get('x-linked-etag') ?? headers.get('etag');
  const match = value === null ? null : /^\s*"?([0-9a-f]{64})"?\s*$/i.exec(value);
  return match === null ? undefined : match[1].toLowerCase();
}

/** Headers that ask for the rest of a file after its kept part, unless the file changed since. */
export function resumeHeaders(kept: PartialDownloadInfo): Record<string, string> {
  const headers: Record<string, string> = { Range: `bytes=${kept.bytes}-` };
  // If-Range only accepts a strong validator; with a weak one the server would always resend everything.
  if (kept.etag !== undefined && !kept.etag.trim().startsWith('W/')) headers['If-Range'] = kept.etag;
  return headers;
}

/**
 * Whether a 206 answer continues the kept part: it starts right after it, and nothing the server
 * says about the file (size, digest, etag) contradicts what the kept part was downloaded for.
 */
export function continuesKeptPart(response: Response, kept: PartialDownloadInfo): boolean {
  if (response.status !== 206 || contentRange(response.headers)?.start !== kept.bytes) return false;
  const now = fileExpectations(response);
  return (['size', 'sha256', 'etag'] as const).every((field) => now[field] === undefined || kept[field] === undefined || now[field] === kept[field]);
}

/** `Content-Range: bytes 100-199/1000` → `{ start: 100, total: 1000 }` (total unknown for `/*`). */
function contentRange(headers: Headers): { start: number; total: number | undefined } | undefined {
  const match = /^\s*bytes\s+(\d+)-\d+\/(\d+|\*)\s*$/i.exec(headers.get('content-range') ?? '');
  if (match === null) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}
