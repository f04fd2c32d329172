import { mkdtemp, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env, type FileCache, type FileCacheKey } from '../env.js';
import { FIXTURE_MODELS, expectFileBytes, fixturePath, isolateEnv, modelFileFailureOf as failureOf } from '../../test/support/hub-fixtures.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { ModelFileError } from './errors.js';
import { getModelFile } from './get-model-file.js';
import type { ProgressInfo } from './types.js';

const MODEL = 'tiny-random-gpt2';

/** Every failure must say which model, revision and file, and where it looked. */
function expectNamed(error: ModelFileError, model: string, revision: string, file: string, url: string) {
  expect([error.model, error.revision, error.file]).toEqual([model, revision, file]);
  expect(error.urls).toContain(url);
  for (const part of [`"${model}"`, `"${revision}"`, `"${file}"`, url]) expect(error.message).toContain(part);
}

describe('getModelFile from the remote host', () => {
  isolateEnv();
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
    env.remoteHost = `${hub.url}/`;
  });
  afterEach(async () => {
    await hub.close();
  });
  const remoteUrl = (file: string, revision = 'main', model = MODEL) => `${hub.url}/${model}/resolve/${encodeURIComponent(revision)}/${file}`;

  it('downloads JSON and ONNX files byte for byte', async () => {
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      const bytes = await getModelFile(MODEL, file);
      await expectFileBytes(bytes, MODEL, file);
      // Owning the whole ArrayBuffer is what makes the result safe to transfer to a worker.
      expect([bytes!.byteOffset, bytes!.byteLength]).toEqual([0, bytes!.buffer.byteLength]);
    }
    expect(hub.requests.map((r) => [r.layout, r.model, r.revision, r.file, r.status])).toEqual([
      ['hub', MODEL, 'main', 'config.json', 200],
      ['hub', MODEL, 'main', 'tokenizer.json', 200],
      ['hub', MODEL, 'main', 'onnx/model.onnx', 200],
    ]);
  });

  it('reports initiate, download, growing progress and done with the model and file names', async () => {
    hub.setFault(`${MODEL}/tokenizer_config.json`, { kind: 'slow', chunkSize: 64, delayMs: 1 });
    const size = (await readFile(fixturePath(MODEL, 'tokenizer_config.json'))).length;
    const events: ProgressInfo[] = [];
    await getModelFile(MODEL, 'tokenizer_config.json', { progress_callback: (e) => events.push(e) });

    expect(events.map((e) => e.status).filter((s, i, all) => s !== all[i - 1])).toEqual(['initiate', 'download', 'progress', 'done']);
    for (const e of events) expect(e).toMatchObject({ name: MODEL, file: 'tokenizer_config.json' });
    const progress = events.flatMap((e) => (e.status === 'progress' ? [e] : []));
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i].loaded).toBeGreaterThan(progress[i - 1].loaded);
    expect(progress.at(-1)).toMatchObject({ loaded: size, total: size, progress: 100 });
  });

  it('puts the revision in the URL, encoded as one segment', async () => {
    for (const revision of ['v1.0', 'refs/pr/1', '0123456789abcdef0123456789abcdef01234567']) {
      await getModelFile(MODEL, 'config.json', { revision });
      expect(hub.requests.at(-1)).toMatchObject({ revision, path: new URL(remoteUrl('config.json', revision)).pathname });
    }
  });

  it('loads namespaced ids (org/name)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hub-org-'));
    try {
      await mkdir(join(root, 'test-org'));
      await symlink(join(FIXTURE_MODELS, MODEL), join(root, 'test-org', MODEL));
      const orgHub = await startHubServer({ root });
      env.remoteHost = orgHub.url;
      try {
        await expectFileBytes(await getModelFile(`test-org/${MODEL}`, 'config.json'), MODEL, 'config.json');
        expect(orgHub.requests[0]).toMatchObject({ model: `test-org/${MODEL}`, file: 'config.json', status: 200 });
      } finally {
        await orgHub.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails on 404 with not_found, naming model, revision, file and URL', async () => {
    const error = await failureOf(getModelFile(MODEL, 'onnx/model_q4.onnx', { revision: 'v2' }));
    expect(error.reason).toBe('not_found');
    expect(error.status).toBe(404);
    expectNamed(error, MODEL, 'v2', 'onnx/model_q4.onnx', remoteUrl('onnx/model_q4.onnx', 'v2'));
    expect(error.hint).toMatch(/model id and revision/);
  });

  it('fails on 500 with http and a retry hint', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'status', status: 500 });
    const error = await failureOf(getModelFile(MODEL, 'config.json'));
    expect([error.reason, error.status]).toEqual(['http', 500]);
    expectNamed(error, MODEL, 'main', 'config.json', remoteUrl('config.json'));
    expect(error.hint).toMatch(/retry/);
  });

  it('says a 401/403 may be a gated or private repository', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'status', status: 403, headers: { 'x-error-code': 'GatedRepo' } });
    const error = await failureOf(getModelFile(MODEL, 'config.json'));
    expect([error.reason, error.status, error.hubErrorCode]).toEqual(['http', 403, 'GatedRepo']);
    expect(error.hint).toMatch(/gated/);
    hub.setFault(`${MODEL}/config.json`, { kind: 'status', status: 401 });
    expect((await failureOf(getModelFile(MODEL, 'config.json'))).hint).toMatch(/private or gated/);
  });

  it('fails with truncated when the connection is cut mid-body or content-length is wrong', async () => {
    hub.setFault(`${MODEL}/onnx/model.onnx`, { kind: 'cut' });
    const cut = await failureOf(getModelFile(MODEL, 'onnx/model.onnx'));
    expect(cut.reason).toBe('truncated');
    expectNamed(cut, MODEL, 'main', 'onnx/model.onnx', remoteUrl('onnx/model.onnx'));
    expect(cut.hint).toMatch(/retry/);

    hub.setFault(`${MODEL}/vocab.json`, { kind: 'wrong-length' });
    const wrongLength = await failureOf(getModelFile(MODEL, 'vocab.json'));
    expect(wrongLength.reason).toBe('truncated');
    expectNamed(wrongLength, MODEL, 'main', 'vocab.json', remoteUrl('vocab.json'));
  });

  it('refuses an HTML page instead of JSON or ONNX, by content-type or by its first byte', async () => {
    hub.setFault(`${MODEL}/config.json`, { kind: 'html' });
    const byType = await failureOf(getModelFile(MODEL, 'config.json'));
    expect(byType.reason).toBe('malformed');
    expectNamed(byType, MODEL, 'main', 'config.json', remoteUrl('config.json'));

    hub.setFault(`${MODEL}/onnx/model.onnx`, { kind: 'html', contentType: 'application/octet-stream' });
    const byBody = await failureOf(getModelFile(MODEL, 'onnx/model.onnx'));
    expect(byBody.reason).toBe('malformed');
    expect(byBody.message).toMatch(/HTML/);
  });

  it('returns null for a missing optional file (fatal: false), but still throws on server errors', async () => {
    const events: ProgressInfo[] = [];
    expect(await getModelFile(MODEL, 'no_such_file.json', { fatal: false, progress_callback: (e) => events.push(e) })).toBeNull();
    expect(events.map((e) => e.status)).toEqual(['initiate']);
    hub.setFault(`${MODEL}/generation_config.json`, { kind: 'status', status: 500 });
    expect((await failureOf(getModelFile(MODEL, 'generation_config.json', { fatal: false }))).reason).toBe('http');
  });

  it('with local_files_only fails offline without touching the network', async () => {
    const error = await failureOf(getModelFile(MODEL, 'config.json', { local_files_only: true }));
    expect(error.reason).toBe('offline');
    expect(error.message).toMatch(/local_files_only/);
    expect(hub.requests).toEqual([]);
    expect(await getModelFile(MODEL, 'config.json', { local_files_only: true, fatal: false })).toBeNull();
  });

  it('stores downloads in env.cache and serves the next load from it without a request', async () => {
    const stored = new Map<string, Uint8Array>();
    const keys: FileCacheKey[] = [];
    const cache: FileCache = {
      match: async (key) => stored.get(key.url),
      put: async (key, bytes) => {
        keys.push(key);
        stored.set(key.url, bytes);
      },
    };
    env.cache = cache;
    const first = await getModelFile(MODEL, 'config.json', { revision: 'v1' });
    expect(keys).toEqual([{ model: MODEL, revision: 'v1', file: 'config.json', url: remoteUrl('config.json', 'v1') }]);
    expect(hub.requests).toHaveLength(1);

    env.allowRemoteModels = false;
    const events: ProgressInfo[] = [];
    expect(await getModelFile(MODEL, 'config.json', { revision: 'v1', progress_callback: (e) => events.push(e) })).toEqual(first);
    expect(hub.requests).toHaveLength(1);
    expect(events.map((e) => e.status)).toEqual(['initiate', 'download', 'progress', 'done']);
  });
});

describe('getModelFile from a local model folder', () => {
  isolateEnv();
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
    env.remoteHost = hub.url;
    env.allowLocalModels = true;
  });
  afterEach(async () => {
    await hub.close();
  });

  it('reads files from the filesystem in Node, byte for byte and with no request', async () => {
    env.localModelPath = FIXTURE_MODELS;
    const events: ProgressInfo[] = [];
    for (const file of ['config.json', 'onnx/model.onnx']) {
      const bytes = await getModelFile(MODEL, file, { progress_callback: (e) => events.push(e) });
      await expectFileBytes(bytes, MODEL, file);
      expect([bytes!.byteOffset, bytes!.byteLength]).toEqual([0, bytes!.buffer.byteLength]);
    }
    expect(hub.requests).toEqual([]);
    const size = (await readFile(fixturePath(MODEL, 'config.json'))).length;
    expect(events.slice(0, 4)).toEqual([
      { status: 'initiate', name: MODEL, file: 'config.json' },
      { status: 'download', name: MODEL, file: 'config.json' },
      { status: 'progress', name: MODEL, file: 'config.json', loaded: size, total: size, progress: 100 },
      { status: 'done', name: MODEL, file: 'config.json' },
    ]);
  });

  it('skips the local folder entirely when env.allowLocalModels is false', async () => {
    env.localModelPath = FIXTURE_MODELS;
    env.allowLocalModels = false;
    await expectFileBytes(await getModelFile(MODEL, 'config.json'), MODEL, 'config.json');
    expect(hub.requests.map((r) => r.layout)).toEqual(['hub']);
  });

  it('falls back to the remote host when the local folder lacks the file', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hub-empty-'));
    try {
      env.localModelPath = empty;
      await expectFileBytes(await getModelFile(MODEL, 'config.json'), MODEL, 'config.json');
      expect(hub.requests).toHaveLength(1);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('with env.allowRemoteModels false and no local copy fails offline, listing the local path', async () => {
    env.localModelPath = FIXTURE_MODELS;
    env.allowRemoteModels = false;
    const error = await failureOf(getModelFile(MODEL, 'onnx/model_fp16.onnx'));
    expect(error.reason).toBe('offline');
    expectNamed(error, MODEL, 'main', 'onnx/model_fp16.onnx', fixturePath(MODEL, 'onnx/model_fp16.onnx'));
    expect(error.message).toMatch(/env\.allowRemoteModels is false/);
    expect(error.hint).toMatch(/allowRemoteModels|localModelPath/);
    expect(hub.requests).toEqual([]);
  });

  it('fetches local models from an http(s) localModelPath, as browsers do', async () => {
    env.localModelPath = `${hub.url}/`;
    await expectFileBytes(await getModelFile(MODEL, 'onnx/model.onnx'), MODEL, 'onnx/model.onnx');
    expect(hub.requests.map((r) => [r.layout, r.path])).toEqual([['static', `/${MODEL}/onnx/model.onnx`]]);
  });

  it("treats a dev server's HTML fallback page as a missing local file and goes remote", async () => {
    env.localModelPath = `${hub.url}/`;
    hub.setFault(`${MODEL}/config.json`, { kind: 'html' });
    const error = await failureOf(getModelFile(MODEL, 'config.json'));
    // Both places serve the page here: the local one is skipped, the remote one is refused.
    expect(hub.requests.map((r) => r.layout)).toEqual(['static', 'hub']);
    expect(error.reason).toBe('malformed');
    expect(error.urls).toEqual([`${hub.url}/${MODEL}/config.json`, `${hub.url}/${MODEL}/resolve/main/config.json`]);
  });
});
