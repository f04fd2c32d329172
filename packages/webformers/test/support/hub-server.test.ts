import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_MODELS, fixturePath } from './hub-fixtures.js';
import { startHubServer, type HubServer } from './hub-server.js';

const MODEL = 'tiny-random-bert-sequence-classification';

describe('hub test server', () => {
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS, faults: { [`${MODEL}/vocab.txt`]: { kind: 'status', status: 503 } } });
  });
  afterEach(async () => {
    await hub.close();
  });

  it('serves files in the Hub layout for any revision, and as static files', async () => {
    const expected = await readFile(fixturePath(MODEL, 'config.json'));
    for (const path of [`/${MODEL}/resolve/main/config.json`, `/${MODEL}/resolve/refs%2Fpr%2F7/config.json`, `/${MODEL}/config.json`]) {
      const response = await fetch(hub.url + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(expected.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(expected), path).toBe(true);
    }
    expect(hub.requests.map((r) => [r.layout, r.model, r.revision, r.file])).toEqual([
      ['hub', MODEL, 'main', 'config.json'],
      ['hub', MODEL, 'refs/pr/7', 'config.json'],
      ['static', MODEL, undefined, 'config.json'],
    ]);
  });

  it('answers missing files with 404 and the Hub EntryNotFound code', async () => {
    const response = await fetch(`${hub.url}/${MODEL}/resolve/main/nope.json`);
    expect([response.status, response.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
  });

  it('refuses paths that climb out of the root', async () => {
    for (const path of [`/${MODEL}/resolve/main/..%2F..%2Fpackage.json`, '/..%2Fpackage.json/x', `/${MODEL}/resolve/main/..%5C..%5Cpackage.json`]) {
      expect((await fetch(hub.url + path)).status, path).toBe(400);
    }
  });

  it('applies faults given at start and set later, and clears them', async () => {
    expect((await fetch(`${hub.url}/${MODEL}/resolve/main/vocab.txt`)).status).toBe(503);
    hub.setFault(`${MODEL}/vocab.txt`, undefined);
    hub.setFault(`${MODEL}/config.json`, { kind: 'html' });
    expect((await fetch(`${hub.url}/${MODEL}/resolve/main/vocab.txt`)).status).toBe(200);
    const html = await fetch(`${hub.url}/${MODEL}/config.json`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(hub.requests.map((r) => [r.status, r.fault])).toEqual([
      [503, 'status'],
      [200, undefined],
      [200, 'html'],
    ]);
    await html.arrayBuffer();
  });

  it('labels LFS files with their SHA-256 and answers Range with 206, unless If-Range names another version', async () => {
    const file = await readFile(fixturePath(MODEL, 'onnx/model.onnx'));
    const etag = `"${createHash('sha256').update(file).digest('hex')}"`;
    const url = `${hub.url}/${MODEL}/resolve/main/onnx/model.onnx`;
    const whole = await fetch(url);
    expect([whole.headers.get('etag'), whole.headers.get('x-linked-etag'), whole.headers.get('accept-ranges')]).toEqual([etag, etag, 'bytes']);
    await whole.arrayBuffer();

    const part = await fetch(url, { headers: { Range: 'bytes=1000-', 'If-Range': etag } });
    expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes 1000-${file.length - 1}/${file.length}`]);
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(1000))).toBe(true);

    const changed = await fetch(url, { headers: { Range: 'bytes=1000-', 'If-Range': '"older"' } });
    expect(changed.status).toBe(200);
    expect(Buffer.from(await changed.arrayBuffer()).equals(file)).toBe(true);

    const past = await fetch(url, { headers: { Range: `bytes=${file.length}-` } });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${file.length}`]);
    expect(hub.requests.map((r) => [r.status, r.range, r.ifRange])).toEqual([
      [200, undefined, undefined],
      [206, 'bytes=1000-', etag],
      [200, 'bytes=1000-', '"older"'],
      [416, `bytes=${file.length}-`, undefined],
    ]);
  });

  it('applies a fault given with once to one request only, and serves extra files', async () => {
    const extra = await startHubServer({
      root: FIXTURE_MODELS,
      extraFiles: { [`${MODEL}/onnx/model_quantized.onnx`]: fixturePath(MODEL, 'config.json') },
      faults: { [`${MODEL}/config.json`]: { kind: 'status', status: 500, once: true } },
    });
    try {
      expect((await fetch(`${extra.url}/${MODEL}/resolve/main/config.json`)).status).toBe(500);
      expect((await fetch(`${extra.url}/${MODEL}/resolve/main/config.json`)).status).toBe(200);
      const served = Buffer.from(await (await fetch(`${extra.url}/${MODEL}/resolve/main/onnx/model_quantized.onnx`)).arrayBuffer());
      expect(served.equals(await readFile(fixturePath(MODEL, 'config.json')))).toBe(true);
    } finally {
      await extra.close();
    }
  });
});
