/**
 * The whole worker path in Node: main-thread client ⇄ Comlink over a MessageChannel ⇄ WorkerHost
 * running the real in-thread API, fetching the fixture models from the local Hub server.
 * Expected values come from the Python-transformers goldens of test/fixtures/models.
 */
import { statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore, ModelStore } from '../cache/index.js';
import { env } from '../env.js';
import { ModelFileError } from '../hub/errors.js';
import type { ProgressInfo } from '../hub/index.js';
import { loadPretrainedModel } from '../models/load-model.js';
import { pipeline, UnknownTaskError, type LabelScore, type TokenEntity } from '../pipelines/index.js';
import { loadTokenizer } from '../tokenizers/index.js';
import { Tensor } from '../utils/tensor.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { fetchRetryingResets, startInProcessWorker, type InProcessWorker } from '../../test/support/in-process-worker.js';
import { expectTensorMatchesGolden, MODEL_FIXTURES, readFixtureJSON, utf16Index, type GoldenTensor } from '../../test/support/model-goldens.js';
import { createWorkerClient, type WorkerClient } from './client.js';
import { DisposedHandleError, WorkerLostError } from './errors.js';
import type { HostRuntime } from './host.js';

const CLASSIFIER = 'tiny-random-bert-sequence-classification';
const NER = 'tiny-random-bert-token-classification';
const FEATURES = 'tiny-random-bert-feature-extraction';

interface ClassificationCase { input: string; kwargs: Record<string, unknown>; output: LabelScore[] }
type Entity = TokenEntity & { start: number; end: number };
interface NerCase { input: string; kwargs: Record<string, unknown>; output: Entity[] }

function expectScores(actual: LabelScore[], expected: LabelScore[]): void {
  expect(actual.map((r) => r.label)).toEqual(expected.map((r) => r.label));
  actual.forEach((r, i) => expect(Math.abs(r.score - expected[i].score)).toBeLessThanOrEqual(1e-4));
}

let server: HubServer;
const savedEnv = { ...env, backends: structuredClone(env.backends) };
const workers: InProcessWorker[] = [];
let client: WorkerClient;

function realRuntime(): HostRuntime {
  return {
    env,
    store: new ModelStore(new MemoryBlobStore()),
    pipeline: (task, model, options) => pipeline(task, model, options),
    loadModel: loadPretrainedModel,
    loadTokenizer,
  };
}

function newClient(runtime: () => HostRuntime = realRuntime): WorkerClient {
  const made = createWorkerClient({
    createWorker: () => {
      const worker = startInProcessWorker(runtime());
      workers.push(worker);
      return worker;
    },
  });
  made.env.remoteHost = `${server.url}/`;
  made.env.allowLocalModels = false;
  // Each load fetches from the server (so that faults apply); the cache test turns the store on.
  made.env.useBrowserCache = false;
  return made;
}

beforeAll(async () => {
  env.fetch = fetchRetryingResets;
  server = await startHubServer({ root: MODEL_FIXTURES });
  client = newClient();
});

afterEach(() => {
  for (const fault of ['onnx/model.onnx', 'tokenizer.json']) {
    server.setFault(`${CLASSIFIER}/${fault}`, undefined);
  }
});

afterAll(async () => {
  for (const worker of workers) if (!worker.terminated) worker.terminate();
  Object.assign(env, savedEnv);
  await server.close();
});

describe('pipelines through the worker match Python transformers', () => {
  it('text-classification gives the goldens (top_k null and default)', async () => {
    const golden = readFixtureJSON<Record<string, ClassificationCase[]>>(CLASSIFIER, 'goldens/pipeline.json');
    const classify = await client.pipeline('text-classification', CLASSIFIER);
    expect(classify.task).toBe('text-classification');
    expect(classify.modelId).toBe(CLASSIFIER);
    for (const c of golden['text-classification']) expectScores((await classify(c.input, { top_k: null })) as LabelScore[], c.output);
    const batch = (await classify(golden['text-classification-default'].map((c) => c.input))) as LabelScore[];
    batch.forEach((best, i) => expectScores([best], golden['text-classification-default'][i].output));
    await classify.dispose();
  });

  it('token-classification gives the fast-tokenizer goldens (labels, words, spans, scores)', async () => {
    const golden = readFixtureJSON<{ 'token-classification': NerCase[] }>(NER, 'goldens/pipeline-fast.json')['token-classification'];
    const ner = await client.pipeline('ner', NER);
    for (const c of golden.filter((g) => g.kwargs.stride === undefined)) {
      const got = (await ner(c.input, c.kwargs)) as Entity[];
      expect(got.map((e) => e.entity ?? (e as unknown as { entity_group: string }).entity_group)).toEqual(c.output.map((e) => e.entity ?? (e as unknown as { entity_group: string }).entity_group));
      expect(got.map((e) => e.word)).toEqual(c.output.map((e) => e.word));
      expect(got.map((e) => [e.start, e.end])).toEqual(c.output.map((e) => [utf16Index(c.input, e.start), utf16Index(c.input, e.end)]));
      got.forEach((e, i) => expect(Math.abs(e.score - c.output[i].score)).toBeLessThanOrEqual(1e-4));
    }
    await ner.dispose();
  });

  it('feature-extraction answers with a Tensor rebuilt on the main thread', async () => {
    const golden = readFixtureJSON<{ 'feature-extraction': { input: string; output: GoldenTensor }[] }>(FEATURES, 'goldens/pipeline.json')['feature-extraction'];
    const embed = await client.pipeline('feature-extraction', FEATURES);
    const out = (await embed(golden[0].input)) as Tensor;
    expect(out).toBeInstanceOf(Tensor);
    expectTensorMatchesGolden(out, golden[0].output, 1e-4, 'last_hidden_state');
    await embed.dispose();
  });
});

describe('models and tokenizers through the worker', () => {
  it('a model call gives the golden logits and leaves the caller its input tensors', async () => {
    const golden = readFixtureJSON<{ cases: { name: string; input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]; outputs: { logits: GoldenTensor } }[] }>(CLASSIFIER, 'goldens/outputs.json');
    const model = await client.AutoModelForSequenceClassification.from_pretrained(CLASSIFIER);
    expect(model.modelId).toBe(CLASSIFIER);
    expect(model.config.model_type).toBe('bert');
    expect(model.inputNames).toContain('input_ids');
    const c = golden.cases[0];
    const int64 = (rows: number[][]) => new Tensor('int64', rows.flat().map(BigInt), [rows.length, rows[0].length]);
    const inputs = { input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) };
    const { logits } = await model(inputs);
    expectTensorMatchesGolden(logits, c.outputs.logits, 1e-4, 'logits');
    expect(inputs.input_ids.tolist()).toEqual([c.input_ids[0].map(BigInt)]);
    await model.dispose();
  });

  it('a tokenizer answers like the Rust-backed goldens, with special tokens readable synchronously', async () => {
    const golden = readFixtureJSON<{ cases: { text: string; kwargs: Record<string, unknown>; input_ids: number[]; decoded: string; tokens: string[] }[] }>(CLASSIFIER, 'goldens/tokenizer.json');
    const tokenizer = await client.AutoTokenizer.from_pretrained(CLASSIFIER);
    const c = golden.cases[0];
    expect(await tokenizer.encode(c.text)).toEqual(c.input_ids);
    expect(await tokenizer.decode(c.input_ids)).toBe(c.decoded);
    expect(await tokenizer.convert_ids_to_tokens(c.input_ids)).toEqual(c.tokens);
    expect(tokenizer.cls_token).toBe(c.tokens[0]);
    expect(tokenizer.cls_token_id).toBe(c.input_ids[0]);
    const encoded = await tokenizer([c.text]);
    expect(encoded.input_ids).toBeInstanceOf(Tensor);
    expect((encoded.input_ids as Tensor).tolist()).toEqual([c.input_ids.map(BigInt)]);
    await tokenizer.dispose();
  });
});

describe('progress, errors, abort and dispose', () => {
  it('delivers progress events in order, with byte counts of the files, before the pipeline resolves', async () => {
    const events: ProgressInfo[] = [];
    const classify = await client.pipeline('sentiment-analysis', CLASSIFIER, { progress_callback: (e) => events.push(e) });
    expect(events.at(-1)).toEqual({ status: 'ready', task: 'sentiment-analysis', model: CLASSIFIER });
    const files = [...new Set(events.flatMap((e) => ('file' in e ? [e.file] : [])))];
    expect(files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
    for (const file of files) {
      const own = events.filter((e) => 'file' in e && e.file === file);
      expect(own[0].status, file).toBe('initiate');
      expect(own.at(-1)!.status, file).toBe('done');
      const progress = own.filter((e): e is Extract<ProgressInfo, { status: 'progress' }> => e.status === 'progress');
      const loaded = progress.map((e) => e.loaded);
      expect(loaded, file).toEqual([...loaded].sort((a, b) => a - b));
      const size = statSync(`${MODEL_FIXTURES}${CLASSIFIER}/${file}`).size;
      expect(progress.at(-1)?.loaded, file).toBe(size);
      expect(progress.at(-1)?.total, file).toBe(size);
    }
    await classify.dispose();
  });

  it('rejects with the error class, code and hint thrown in the worker', async () => {
    const missing = await client.pipeline('text-classification', 'no-such-model').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileError);
    expect((missing as ModelFileError).code).toBe('model_file');
    expect((missing as ModelFileError).reason).toBe('not_found');
    expect((missing as ModelFileError).hint).toEqual(expect.any(String));
    const task = await client.pipeline('no-such-task' as never, CLASSIFIER).catch((e: unknown) => e);
    expect(task).toBeInstanceOf(UnknownTaskError);
  });

  it('an aborted signal rejects the call at once with an AbortError and stops it in the worker', async () => {
    // About 1.6 s of download, so that rejecting "at once" and rejecting after the load differ.
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, { kind: 'slow', chunkSize: 256 * 1024, delayMs: 100 });
    const own = newClient();
    const controller = new AbortController();
    const loading = own.pipeline('text-classification', CLASSIFIER, { signal: controller.signal } as never);
    const host = workers.at(-1)!.host;
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 100);
    const error = await loading.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - abortedAt).toBeLessThan(500);
    // The download goes on in the worker (fetches have no signal yet); what it loads is released.
    await new Promise((done) => setTimeout(done, 3000));
    expect(host.liveObjects).toBe(0);
    own.terminate();
  });

  it('dispose releases the pipeline in the worker; later calls say it was disposed', async () => {
    const own = newClient();
    const classify = await own.pipeline('text-classification', CLASSIFIER);
    const host = workers.at(-1)!.host;
    // The pipeline, and its tokenizer under a handle of its own (`classify.tokenizer`).
    expect(host.liveObjects).toBe(2);
    await classify.dispose();
    expect(host.liveObjects).toBe(0);
    await expect(classify('Hello')).rejects.toBeInstanceOf(DisposedHandleError);
    own.terminate();
  });

  it('sends settings changed on the main thread with the next call', async () => {
    const own = newClient();
    own.env.remoteHost = 'http://127.0.0.1:9/';
    const error = await own.pipeline('text-classification', CLASSIFIER).catch((e: unknown) => e);
    expect((error as ModelFileError).reason).toBe('network');
    own.env.remoteHost = `${server.url}/`;
    const classify = await own.pipeline('text-classification', CLASSIFIER);
    expect(await classify('Hello world!')).toHaveLength(1);
    own.terminate();
  });

  it('forwards cache operations to the store of the worker', async () => {
    const own = newClient();
    own.env.useBrowserCache = true;
    const classify = await own.pipeline('text-classification', CLASSIFIER);
    const listed = await own.cache.list();
    expect(listed.map((m) => m.model)).toEqual([CLASSIFIER]);
    const onnx = listed[0].files.find((f) => f.path === 'onnx/model.onnx');
    expect(onnx?.bytes).toBe(statSync(`${MODEL_FIXTURES}${CLASSIFIER}/onnx/model.onnx`).size);
    expect((await own.cache.usage()).bytes).toBe(listed[0].bytes);
    expect(await own.cache.delete(CLASSIFIER)).toBeGreaterThan(0);
    expect(await own.cache.list()).toEqual([]);
    await classify.dispose();
    own.terminate();
  });
});

describe('a lost worker', () => {
  it('rejects the call in flight when the worker crashes, and the next call starts a fresh worker', async () => {
    const own = newClient();
    const classify = await own.pipeline('text-classification', CLASSIFIER);
    const first = workers.at(-1)!;
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, { kind: 'slow', chunkSize: 64 * 1024, delayMs: 50 });
    const loading = own.pipeline('text-classification', CLASSIFIER);
    setTimeout(() => first.crash('out of memory'), 50);
    const error = await loading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).reason).toBe('crashed');
    expect((error as WorkerLostError).message).toMatch(/out of memory/);
    expect(first.terminated).toBe(true);
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, undefined);

    // The pipeline made before the crash loads again in the fresh worker on its next call.
    const golden = readFixtureJSON<Record<string, ClassificationCase[]>>(CLASSIFIER, 'goldens/pipeline.json')['text-classification'][0];
    expectScores((await classify(golden.input, { top_k: null })) as LabelScore[], golden.output);
    expect(workers.at(-1)).not.toBe(first);
    own.terminate();
  });

  it('terminate() rejects pending calls with WorkerLostError and the next call works', async () => {
    const own = newClient();
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, { kind: 'slow', chunkSize: 64 * 1024, delayMs: 50 });
    const loading = own.pipeline('text-classification', CLASSIFIER);
    setTimeout(() => own.terminate(), 50);
    const error = await loading.catch((e: unknown) => e);
    expect((error as WorkerLostError).reason).toBe('terminated');
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, undefined);
    const classify = await own.pipeline('text-classification', CLASSIFIER);
    expect(await classify('Hello world!')).toHaveLength(1);
    own.terminate();
  });
});
