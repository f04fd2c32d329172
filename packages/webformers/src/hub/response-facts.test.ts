import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { announcedSha256, continuesKeptPart, fileExpectations, resumeHeaders } from './response-facts.js';

// A real digest (of "webformers"), from Node's crypto rather than typed in.
const SHA = createHash('sha256').update('webformers').digest('hex');
const GIT_BLOB_SHA1 = createHash('sha1').update('blob 10\0webformers').digest('hex');

describe('announcedSha256', () => {
  it('reads the quoted SHA-256 of x-linked-etag, before etag, in lower case', () => {
    expect(announcedSha256(new Headers({ 'x-linked-etag': `"${SHA.toUpperCase()}"`, etag: '"other"' }))).toBe(SHA);
    expect(announcedSha256(new Headers({ etag: `"${SHA}"` }))).toBe(SHA);
    expect(announcedSha256(new Headers({ etag: SHA }))).toBe(SHA);
  });

  it('ignores git blob SHA-1 etags, weak etags and anything that is not 64 hex digits', () => {
    for (const etag of [`"${GIT_BLOB_SHA1}"`, `W/"${SHA}"`, `"${SHA}-2"`, '"abc"', '']) {
      expect(announcedSha256(new Headers({ etag })), etag).toBeUndefined();
    }
    expect(announcedSha256(new Headers())).toBeUndefined();
  });
});

describe('fileExpectations', () => {
  it('takes the size from content-length on 200 and from the Content-Range total on 206', () => {
    const whole = new Response('x', { headers: { 'content-length': '10', etag: `"${SHA}"` } });
    expect(fileExpectations(whole)).toEqual({ size: 10, sha256: SHA, etag: `"${SHA}"` });
    const part = new Response('x', { status: 206, headers: { 'content-length': '4', 'content-range': 'bytes 6-9/10' } });
    expect(fileExpectations(part)).toEqual({ size: 10 });
  });

  it('leaves the size out when the body is content-encoded or the total is unknown', () => {
    expect(fileExpectations(new Response('x', { headers: { 'content-length': '3', 'content-encoding': 'gzip' } }))).toEqual({});
    expect(fileExpectations(new Response('x', { status: 206, headers: { 'content-range': 'bytes 6-9/*' } }))).toEqual({});
  });
});

describe('resumeHeaders', () => {
  it('asks for the bytes after the kept part, with If-Range only for a strong etag', () => {
    expect(resumeHeaders({ bytes: 4096, etag: '"v1"' })).toEqual({ Range: 'bytes=4096-', 'If-Range': '"v1"' });
    expect(resumeHeaders({ bytes: 4096, etag: 'W/"v1"' })).toEqual({ Range: 'bytes=4096-' });
    expect(resumeHeaders({ bytes: 4096 })).toEqual({ Range: 'bytes=4096-' });
  });
});

describe('continuesKeptPart', () => {
  const partial = (range: string, etag = '"v1"') => new Response('x', { status: 206, headers: { 'content-range': range, etag } });

  it('accepts a 206 that starts where the kept part ends, for the same version', () => {
    expect(continuesKeptPart(partial('bytes 4096-9999/10000'), { bytes: 4096, size: 10000, etag: '"v1"' })).toBe(true);
    expect(continuesKeptPart(partial('bytes 4096-9999/10000'), { bytes: 4096 })).toBe(true);
  });

  it('refuses another start, another size or etag, and whole answers', () => {
    expect(continuesKeptPart(partial('bytes 0-9999/10000'), { bytes: 4096 })).toBe(false);
    expect(continuesKeptPart(partial('bytes 4096-9999/10000'), { bytes: 4096, size: 20000 })).toBe(false);
    expect(continuesKeptPart(partial('bytes 4096-9999/10000', '"v2"'), { bytes: 4096, etag: '"v1"' })).toBe(false);
    expect(continuesKeptPart(new Response('x', { headers: { etag: '"v1"' } }), { bytes: 4096, etag: '"v1"' })).toBe(false);
  });
});
