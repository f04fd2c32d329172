/**
 * Catches files that are "not what they claim": an HTML page (login wall, error page, a dev
 * server's single-page-app fallback) served with status 200 where JSON or ONNX bytes belong.
 */
import { ModelFileError } from './errors.js';
import type { FileAttempt } from './fetch-with-progress.js';

/** Whether a response's content-type says HTML for a file that is not an HTML file. */
export function isHtmlResponse(contentType: string | null, file: string): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType) && !/\.html?$/i.test(file);
}

// Only formats whose first byte can never be "<": JSON starts with a value, and an ONNX
// ModelProto starts with a protobuf field tag (0x08 for ir_version). Text files such as
// vocab.txt may legitimately start with "<pad>", so they are not checked.
const CHECKED_EXTENSIONS = /\.(json|onnx|onnx_data)$/i;

/** Why `bytes` cannot be the content of `file`, or `null` when nothing is wrong with them. */
export function contentProblem(file: string, bytes: Uint8Array): string | null {
  return leadingContentProblem(file, bytes) ?? null;
}

/**
 * The same check on the first bytes of a file as they arrive: a problem, `null` when the file
 * starts well, or `undefined` while only a byte order mark and whitespace have arrived.
 */
export function leadingContentProblem(file: string, head: Uint8Array): string | null | undefined {
  if (!CHECKED_EXTENSIONS.test(file)) return null;
  let i = 0;
  // Skip a UTF-8 byte order mark and whitespace (HTML pages often start with a newline).
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i >= head.length) return undefined;
  return head[i] === 0x3c ? 'the body is an HTML/XML document (starts with "<"), not the file' : null;
}

/**
 * The bytes, once `contentProblem` finds nothing wrong with them.
 * @throws ModelFileError with reason `malformed`.
 */
export function checkedContent(bytes: Uint8Array, attempt: FileAttempt): Uint8Array {
  const problem = contentProblem(attempt.file, bytes);
  if (problem !== null) throw malformed(attempt, problem);
  return bytes;
}

/**
 * The same check for a file that streams into a store, where the whole file is never in memory:
 * the returned function is given each chunk in order and throws as soon as the start is wrong.
 */
export function streamingContentCheck(attempt: FileAttempt): (chunk: Uint8Array) => void {
  let head: Uint8Array | undefined;
  let decided = false;
  return (chunk) => {
    if (decided) return;
    head = head === undefined ? chunk : joinBytes(head, chunk);
    const problem = leadingContentProblem(attempt.file, head);
    if (problem === undefined) return;
    decided = true;
    head = undefined;
    if (problem !== null) throw malformed(attempt, problem);
  };
}

function malformed(attempt: FileAttempt, problem: string): ModelFileError {
  return new ModelFileError({ ...attempt, reason: 'malformed', detail: problem });
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
