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
});
