import { mkdtempSync, rmSync, cpSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { MODEL_FIXTURES } from '../../test/support/model-goldens.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { AutoModelForSequenceClassification } from '../models/load-model.js';
import { ModelVariantError } from './errors.js';
import { modelFileExists } from './file-probe.js';

describe('variant probing', () => {
  let root: string;
  let hub: HubServer;
  beforeAll(async () => {
    // A remote repository holding only the q8 and q4 graphs.
    root = mkdtempSync(join(tmpdir(), 'webformers-hub-'));
    const repo = join(root, 'org', 'only-q8-q4');
    cpSync(join(MODEL_FIXTURES, 'tiny-random-bert-sequence-classification'), repo, { recursive: true });
    cpSync(join(repo, 'onnx/model.onnx'), join(repo, 'onnx/model_q4.onnx'));
    renameSync(join(repo, 'onnx/model.onnx'), join(repo, 'onnx/model_quantized.onnx'));
    hub = await startHubServer({ root });
    env.remoteHost = `${hub.url}/`;
    env.allowRemoteModels = true;
    env.allowLocalModels = false;
  });
  afterAll(async () => {
    await hub.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the variants a remote repository has, asking with HEAD only', async () => {
    hub.requests.length = 0;
    const error = await AutoModelForSequenceClassification.from_pretrained('org/only-q8-q4', { dtype: 'fp16' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelVariantError);
    expect((error as ModelVariantError).available).toEqual(['q8', 'q4']);
    const onnxRequests = hub.requests.filter((r) => r.file.startsWith('onnx/'));
    expect(onnxRequests.filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['onnx/model_fp16.onnx']);
    expect(onnxRequests.filter((r) => r.method === 'HEAD')).toHaveLength(7);
  });

  it('counts a failing or HTML answer as absent, and respects local_files_only', async () => {
    expect(await modelFileExists('org/only-q8-q4', 'onnx/model_q4.onnx')).toBe(true);
    hub.setFault('org/only-q8-q4/onnx/model_q4.onnx', { kind: 'status', status: 500 });
    expect(await modelFileExists('org/only-q8-q4', 'onnx/model_q4.onnx')).toBe(false);
    hub.setFault('org/only-q8-q4/onnx/model_q4.onnx', { kind: 'html' });
    expect(await modelFileExists('org/only-q8-q4', 'onnx/model_q4.onnx')).toBe(false);
    hub.setFault('org/only-q8-q4/onnx/model_q4.onnx', undefined);
    expect(await modelFileExists('org/only-q8-q4', 'onnx/model_q4.onnx', { local_files_only: true })).toBe(false);
    expect(await modelFileExists('../escape', 'onnx/model.onnx')).toBe(false);
  });

  it('finds local files on disk in Node', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = MODEL_FIXTURES;
    expect(await modelFileExists('tiny-random-bert-nli', 'onnx/model.onnx')).toBe(true);
    expect(await modelFileExists('tiny-random-bert-nli', 'onnx/model_fp16.onnx')).toBe(false);
  });
});
