import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { FIXTURE_MODELS, fixturePath, isolateEnv, modelFileFailureOf as failureOf } from '../../test/support/hub-fixtures.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { getModelJSON } from './get-model-json.js';

const MODEL = 'tiny-random-gpt2';

describe('getModelJSON', () => {
  isolateEnv();
  let hub: HubServer;
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hub-json-'));
    await mkdir(join(root, 'broken'));
    await writeFile(join(root, 'broken', 'config.json'), '{"model_type": "gpt2",');
    await writeFile(join(root, 'broken', 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    hub = await startHubServer({ root });
    env.remoteHost = hub.url;
  });
  afterEach(async () => {
    await hub.close();
    await rm(root, { recursive: true, force: true });
  });

  it('parses the file as JSON.parse parses it from disk', async () => {
    env.allowLocalModels = true;
    env.localModelPath = FIXTURE_MODELS;
    for (const file of ['config.json', 'generation_config.json', 'tokenizer_config.json']) {
      const fromDisk: unknown = JSON.parse(await readFile(fixturePath(MODEL, file), 'utf8'));
      expect(await getModelJSON(MODEL, file), file).toEqual(fromDisk);
    }
  });

  it('fails with malformed, naming the file and its URL, when the JSON does not parse', async () => {
    const error = await failureOf(getModelJSON('broken', 'config.json', { revision: 'v3' }));
    expect(error.reason).toBe('malformed');
    expect(error.message).toContain('not valid JSON');
    for (const part of ['"broken"', '"v3"', '"config.json"', `${hub.url}/broken/resolve/v3/config.json`]) expect(error.message).toContain(part);
  });

  it('fails with malformed when the bytes are not UTF-8', async () => {
    const error = await failureOf(getModelJSON('broken', 'latin1.json'));
    expect(error.reason).toBe('malformed');
    expect(error.message).toContain('UTF-8');
  });

  it('returns null for a missing optional file (fatal: false)', async () => {
    expect(await getModelJSON('broken', 'generation_config.json', { fatal: false })).toBeNull();
    expect((await failureOf(getModelJSON('broken', 'generation_config.json'))).reason).toBe('not_found');
  });
});
