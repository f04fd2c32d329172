import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { FIXTURE_MODELS, fixturePath, isolateEnv, modelFileFailureOf as failureOf } from '../../test/support/hub-fixtures.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { fetchWithProgress, type ByteProgress, type FileAttempt } from './fetch-with-progress.js';

const MODEL = 'tiny-random-gpt2';

function attemptFor(file: string): FileAttempt {
  return { model: MODEL, revision: 'main', file, urls: [] };
}

describe('fetchWithProgress against the hub server', () => {
  isolateEnv();
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
  });
  afterEach(async () => {
    await hub.close();
  });
  const urlOf = (file: string) => `${hub.url}/${MODEL}/resolve/main/${file}`;

  it('returns the exact bytes and reports strictly growing progress that ends at the file size', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'slow', chunkSize: 128, delayMs: 2 });
    const expected = new Uint8Array(await readFile(fixturePath(MODEL, 'config.json')));
    const seen: ByteProgress[] = [];
    let responded = 0;
    const bytes = await fetchWithProgress(urlOf('config.json'), attemptFor('config.json'), {
      onResponse: () => responded++,
      onProgress: (p) => seen.push(p),
    });
    expect(bytes).toEqual(expected);
    expect(responded).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 128));
    for (let i = 1; i < seen.length; i++) expect(seen[i].loaded).toBeGreaterThan(seen[i - 1].loaded);
    for (const p of seen) expect(p.total).toBe(expected.length);
    expect(seen.at(-1)).toEqual({ loaded: expected.length, total: expected.length, progress: 100 });
  });

  it('lets an exception thrown by onProgress through instead of calling it a cut connection', async () => {
    const thrown = new Error('progress UI broke');
    const error = await fetchWithProgress(urlOf('config.json'), attemptFor('config.json'), {
      onProgress: () => {
        throw thrown;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(thrown);
  });

  it('records the URL it tried in the attempt', async () => {
    const attempt = attemptFor('config.json');
    await fetchWithProgress(urlOf('config.json'), attempt);
    expect(attempt.urls).toEqual([urlOf('config.json')]);
  });

  it('fails with truncated when the connection is cut mid-body', async () => {
    hub.setFault(`${MODEL}/onnx/model.onnx`, { kind: 'cut', bytes: 4096 });
    const error = await failureOf(fetchWithProgress(urlOf('onnx/model.onnx'), attemptFor('onnx/model.onnx')));
    expect(error.reason).toBe('truncated');
    expect(error.urls).toEqual([urlOf('onnx/model.onnx')]);
  });

  it('fails with truncated when content-length promises more than is sent', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'wrong-length', extra: 50 });
    expect((await failureOf(fetchWithProgress(urlOf('config.json'), attemptFor('config.json')))).reason).toBe('truncated');
  });

  it('maps 404 to not_found and other statuses to http, keeping the status and X-Error-Code', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'status', status: 500 });
    const serverError = await failureOf(fetchWithProgress(urlOf('config.json'), attemptFor('config.json')));
    expect([serverError.reason, serverError.status]).toEqual(['http', 500]);

    const missing = await failureOf(fetchWithProgress(urlOf('no-such-file.json'), attemptFor('no-such-file.json')));
    expect([missing.reason, missing.status, missing.hubErrorCode]).toEqual(['not_found', 404, 'EntryNotFound']);
  });

  it('refuses an HTML page served for a JSON file, or reports it missing when asked to', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'html' });
    expect((await failureOf(fetchWithProgress(urlOf('config.json'), attemptFor('config.json')))).reason).toBe('malformed');
    const asMissing = await failureOf(fetchWithProgress(urlOf('config.json'), attemptFor('config.json'), { htmlMeansMissing: true }));
    expect(asMissing.reason).toBe('not_found');
  });

  it('fails with network when nothing answers', async () => {
    const url = urlOf('config.json');
    await hub.close();
    const error = await failureOf(fetchWithProgress(url, attemptFor('config.json')));
    expect(error.reason).toBe('network');
    hub = await startHubServer({ root: FIXTURE_MODELS });
  });
});

describe('fetchWithProgress byte-count checks (env.fetch stubs)', () => {
  isolateEnv();
  const body = new TextEncoder().encode('{"a": 1}');

  it('fails with truncated when a body ends cleanly before content-length', async () => {
    env.fetch = async () => new Response(body, { headers: { 'content-length': String(body.length + 10) } });
    const error = await failureOf(fetchWithProgress('https://h/m/resolve/main/a.json', attemptFor('a.json')));
    expect(error.reason).toBe('truncated');
    expect(error.message).toContain(`received ${body.length} of ${body.length + 10} bytes`);
  });

  it('does not check content-length against decoded bytes when the response is content-encoded', async () => {
    env.fetch = async () => new Response(body, { headers: { 'content-length': '3', 'content-encoding': 'gzip' } });
    const seen: ByteProgress[] = [];
    expect(await fetchWithProgress('https://h/m/resolve/main/a.json', attemptFor('a.json'), { onProgress: (p) => seen.push(p) })).toEqual(body);
    expect(seen.at(-1)).toEqual({ loaded: body.length, total: body.length, progress: 100 });
  });

  it('grows total with loaded when there is no content-length', async () => {
    env.fetch = async () => new Response(new Blob([body]).stream());
    const seen: ByteProgress[] = [];
    expect(await fetchWithProgress('https://h/m/resolve/main/a.json', attemptFor('a.json'), { onProgress: (p) => seen.push(p) })).toEqual(body);
    expect(seen.at(-1)).toEqual({ loaded: body.length, total: body.length, progress: 100 });
  });

  it('reports one complete progress event for an empty file', async () => {
    env.fetch = async () => new Response(new Uint8Array(0), { headers: { 'content-length': '0' } });
    const seen: ByteProgress[] = [];
    expect((await fetchWithProgress('https://h/m/resolve/main/empty.txt', attemptFor('empty.txt'), { onProgress: (p) => seen.push(p) })).length).toBe(0);
    expect(seen).toEqual([{ loaded: 0, total: 0, progress: 100 }]);
  });
});
