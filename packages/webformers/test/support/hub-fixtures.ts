/** Shared setup for hub-layer tests: where the fixture models are, and an `env` reset per test. */
import { afterEach, beforeEach, expect } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { env } from '../../src/env.js';
import { MemoryBlobStore } from '../../src/cache/memory-blob-store.js';
import { ModelStore } from '../../src/cache/model-store.js';
import { ModelFileError } from '../../src/hub/errors.js';
import { startHubServer, type HubServer } from './hub-server.js';

/** The fixture model folders (`tiny-random-gpt2/`, ...), as served by the hub server. */
export const FIXTURE_MODELS = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

/** Absolute path of a fixture file, e.g. `fixturePath('tiny-random-gpt2', 'config.json')`. */
export function fixturePath(model: string, file: string): string {
  return join(FIXTURE_MODELS, model, ...file.split('/'));
}

/**
 * Restores every `env` field after each test, and starts each test remote-only (no local
 * folder, no cache) so that a test opts into exactly the sources it checks.
 */
export function isolateEnv(): void {
  const saved = { ...env, backends: structuredClone(env.backends) };
  beforeEach(() => {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.cache = null;
  });
  afterEach(() => {
    Object.assign(env, saved);
  });
}

/**
 * Serves the fixture models from a fresh hub server in each test of the calling `describe`, with
 * `env.remoteHost` pointing at it. Returns the running server (call it inside a test).
 */
export function serveFixtureModels(): () => HubServer {
  let hub: HubServer | undefined;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
    env.remoteHost = hub.url;
  });
  afterEach(async () => {
    await hub?.close();
  });
  return () => hub!;
}

/** `serveFixtureModels`, with a fresh in-memory store of `chunkSize`-byte chunks as `env.cache` in each test. */
export function serveFixtureModelsIntoStore(chunkSize: number): { hub: () => HubServer; store: () => ModelStore } {
  const hub = serveFixtureModels();
  let store: ModelStore | undefined;
  beforeEach(() => {
    store = new ModelStore(new MemoryBlobStore(), { chunkSize });
    env.cache = store;
  });
  return { hub, store: () => store! };
}

/**
 * Byte equality with the file on disk. Deep `toEqual` walks megabyte arrays element by element
 * (seconds per ONNX file); this compares natively and reports where they first differ.
 */
export async function expectFileBytes(actual: Uint8Array | null, model: string, file: string): Promise<void> {
  const expected = await readFile(fixturePath(model, file));
  expect(actual, `${model}/${file}`).not.toBeNull();
  const got = Buffer.from(actual!.buffer, actual!.byteOffset, actual!.byteLength);
  if (!got.equals(expected)) {
    let i = 0;
    while (i < Math.min(got.length, expected.length) && got[i] === expected[i]) i++;
    expect.fail(`${model}/${file}: got ${got.length} bytes, want ${expected.length}; first difference at byte ${i}`);
  }
}

/** The ModelFileError a load rejected with (fails the test if it resolved or threw something else). */
export async function modelFileFailureOf(promise: Promise<unknown>): Promise<ModelFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  return error as ModelFileError;
}
