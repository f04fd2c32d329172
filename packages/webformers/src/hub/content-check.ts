/**
 * Catches files that are "not what they claim": an HTML page (login wall, error page, a dev
 * server's single-page-app fallback) served with status 200 where JSON or ONNX bytes belong.
 */

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
  if (!CHECKED_EXTENSIONS.test(file)) return null;
  let i = 0;
  // Skip a UTF-8 byte order mark and whitespace (HTML pages often start with a newline).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c ? 'the body is an HTML/XML document (starts with "<"), not the file' : null;
}
