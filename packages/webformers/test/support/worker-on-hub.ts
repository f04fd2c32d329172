/**
 * The setup the worker tests share: a local Hub server over test/fixtures/models, and a worker
 * client whose in-process worker loads from it (vitest hooks start and stop both). Also the
 * Python `generate()` goldens of the fixture models.
 */
import { afterAll, beforeAll } from 'vitest';
import { MemoryBlobStore, ModelStore } from '../../src/cache/index.js';
import { env } from '../../src/env.js';
import { createWorkerClient, type WorkerClient } from '../../src/worker/client.js';
import type { HostRuntime } from '../../src/worker/host.js';
import { inThreadRuntime } from '../../src/worker/runtime.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { fetchRetryingResets, startInProcessWorker, type InProcessWorker } from './in-process-worker.js';
import { MODEL_FIXTURES, readFixtureJSON } from './model-goldens.js';

export interface WorkerOnHub {
  server: HubServer;
  client: WorkerClient;
  /** The worker started last (a lost worker is replaced on the next call). */
  worker: InProcessWorker;
}

/** The in-thread API over a store of its own, in memory. */
export const memoryRuntime = (): HostRuntime => inThreadRuntime(new ModelStore(new MemoryBlobStore()));

/** Registers the hooks; the fields of the answer are set once `beforeAll` has run. */
export function useWorkerOnHub(runtime: () => HostRuntime = memoryRuntime): WorkerOnHub {
  const setup = {} as WorkerOnHub;
  const savedEnv = { ...env, backends: structuredClone(env.backends) };
  beforeAll(async () => {
    env.fetch = fetchRetryingResets;
    setup.server = await startHubServer({ root: MODEL_FIXTURES });
    setup.client = createWorkerClient({
      createWorker: () => {
        setup.worker = startInProcessWorker(runtime());
        return setup.worker;
      },
    });
    setup.client.env.remoteHost = `${setup.server.url}/`;
    setup.client.env.allowLocalModels = false;
  });
  afterAll(async () => {
    setup.client.terminate();
    Object.assign(env, savedEnv);
    await setup.server.close();
  });
  return setup;
}

/** One case of a fixture's goldens/generation.json (Python `generate()`). */
export interface GenerationCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  generation_kwargs: Record<string, unknown>;
  sequences: number[][];
  decoded: string[];
}

export function generationCases(model: string): GenerationCase[] {
  return readFixtureJSON<{ cases: GenerationCase[] }>(model, 'goldens/generation.json').cases;
}
