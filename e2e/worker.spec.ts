// `webformers/worker` in Chromium: pipelines run in a module Worker, fetching the fixture models from
// the local Hub server; results are compared here with the Python goldens read from disk.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startHubServer, type HubServer } from '../packages/webformers/test/support/hub-server.js';
import type { WorkerPageApi } from './pages/worker.js';
import { mainThreadTasks } from '../bench/main-thread-trace.mjs';

const FIXTURES = fileURLToPath(new URL('../packages/webformers/test/fixtures/models/', import.meta.url));
const CLASSIFIER = 'tiny-random-bert-sequence-classification';
const NER = 'tiny-random-bert-token-classification';
const TOL = 1e-4;

interface LabelScore { label: string; score: number }
interface Entity { entity?: string; entity_group?: string; score: number; index?: number; word: string; start: number | null; end: number | null }
interface Case<O> { input: string; kwargs: Record<string, unknown>; output: O }
const golden = <T>(model: string, file: string): T => JSON.parse(readFileSync(`${FIXTURES}${model}/goldens/${file}`, 'utf8')) as T;

function expectLabelScores(actual: LabelScore[], expected: LabelScore[], what: string): void {
  expect(actual.map((r) => r.label), what).toEqual(expected.map((r) => r.label));
  actual.forEach((r, i) => expect(Math.abs(r.score - expected[i].score), `${what} score ${i}`).toBeLessThanOrEqual(TOL));
}

/** Wall and CPU time of every task the renderer main thread ran, from a Chrome trace. */
function tasksInTrace(trace: Buffer): { wallMs: number; cpuMs: number }[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: unknown[] } | unknown[];
  return mainThreadTasks(Array.isArray(parsed) ? parsed : parsed.traceEvents);
}

/** A Python code-point index as a UTF-16 index into the same string. */
const utf16Index = (text: string, index: number) => [...text].slice(0, index).join('').length;

let server: HubServer;
test.beforeAll(async () => {
  server = await startHubServer({ root: FIXTURES });
});
test.afterAll(async () => {
  await server.close();
});
test.afterEach(() => {
  server.setFault(`${CLASSIFIER}/onnx/model.onnx`, undefined);
});

/** A reload by the Vite dev server (see `call`) cut a navigation or a page function short. */
const cutByReload = (error: unknown) => /Execution context was destroyed|interrupted by another navigation/.test(String(error));

async function openPage(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto('/e2e/pages/worker.html');
      await expect(page.locator('#log')).toHaveText('ready', { timeout: 60_000 });
      await evaluate(page, 'configure', [server.url]);
      return;
    } catch (error) {
      if (attempt === 3 || !cutByReload(error)) throw error;
    }
  }
}

function evaluate<K extends keyof WorkerPageApi>(page: Page, name: K, args: Parameters<WorkerPageApi[K]>): Promise<Awaited<ReturnType<WorkerPageApi[K]>>> {
  return page.evaluate(
    ([n, a]) => (globalThis as unknown as { workerPage: Record<string, (...x: unknown[]) => unknown> }).workerPage[n as string](...(a as unknown[])),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<WorkerPageApi[K]>>>;
}

/**
 * Runs a page function. The Vite dev server reloads open pages when a watched file outside the
 * page's hot-update graph changes (e.g. a library file only the worker imports) or when it
 * re-optimizes dependencies; a run cut by such a reload is repeated once on a fresh page instead
 * of failing for a reason that is not the library's.
 */
async function call<K extends keyof WorkerPageApi>(page: Page, name: K, ...args: Parameters<WorkerPageApi[K]>): Promise<Awaited<ReturnType<WorkerPageApi[K]>>> {
  try {
    return await evaluate(page, name, args);
  } catch (error) {
    if (!cutByReload(error)) throw error;
    await openPage(page);
    return evaluate(page, name, args);
  }
}

test.describe('webformers/worker in Chromium', () => {
  test.beforeEach(async ({ page }) => openPage(page));

  test('text-classification through the worker gives the Python goldens', async ({ page }) => {
    const cases = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'];
    const outputs = await call(page, 'runPipeline', 'text-classification', CLASSIFIER, cases.map((c) => ({ input: c.input, kwargs: c.kwargs })));
    expect(outputs).toHaveLength(cases.length);
    cases.forEach((c, i) => expectLabelScores(outputs[i] as LabelScore[], c.output, `case ${i}`));
  });

  test('token-classification through the worker gives the fast-tokenizer goldens', async ({ page }) => {
    const cases = golden<{ 'token-classification': Case<Entity[]>[] }>(NER, 'pipeline-fast.json')['token-classification'].filter((c) => c.kwargs.stride === undefined);
    const outputs = (await call(page, 'runPipeline', 'ner', NER, cases.map((c) => ({ input: c.input, kwargs: c.kwargs })))) as Entity[][];
    cases.forEach((c, i) => {
      const got = outputs[i];
      const label = (e: Entity) => e.entity ?? e.entity_group;
      expect(got.map(label), `case ${i}`).toEqual(c.output.map(label));
      expect(got.map((e) => e.word), `case ${i}`).toEqual(c.output.map((e) => e.word));
      expect(got.map((e) => [e.start, e.end]), `case ${i}`).toEqual(c.output.map((e) => [utf16Index(c.input, e.start!), utf16Index(c.input, e.end!)]));
      got.forEach((e, j) => expect(Math.abs(e.score - c.output[j].score), `case ${i} entity ${j}`).toBeLessThanOrEqual(TOL));
    });
  });

  test('progress events reach the main thread in order, with the byte counts of the files', async ({ page }) => {
    type Event = { status: string; file?: string; loaded?: number; total?: number };
    const events = (await call(page, 'progressEvents', CLASSIFIER)) as Event[];
    expect(events.slice(-2).map((e) => e.status)).toEqual(['ready', 'resolved']);
    const files = [...new Set(events.flatMap((e) => (e.file ? [e.file] : [])))];
    expect(files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
    for (const file of files) {
      const own = events.filter((e) => e.file === file);
      expect(own[0].status, file).toBe('initiate');
      expect(own.at(-1)!.status, file).toBe('done');
      const progress = own.filter((e) => e.status === 'progress');
      const loaded = progress.map((e) => e.loaded!);
      expect(loaded, file).toEqual([...loaded].sort((a, b) => a - b));
      const size = statSync(`${FIXTURES}${CLASSIFIER}/${file}`).size;
      expect(progress.at(-1), file).toMatchObject({ loaded: size, total: size });
    }
  });

  test('an error in the worker reaches the caller with its class and code', async ({ page }) => {
    const error = await call(page, 'loadError', 'no-such-model');
    expect(error).toMatchObject({ name: 'ModelFileError', code: 'model_file', reason: 'not_found', isModelFileError: true, isWebformersError: true });
  });

  test('a worker that crashes mid-call rejects that call, and the next call works in a fresh worker', async ({ page }) => {
    server.setFault(`${CLASSIFIER}/onnx/model.onnx`, { kind: 'slow', chunkSize: 256 * 1024, delayMs: 100 });
    const c = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'][0];
    const pending = call(page, 'crashMidCall', CLASSIFIER, c.input);
    // Later downloads are fast again; the first (slow) one is in flight when the worker crashes.
    setTimeout(() => server.setFault(`${CLASSIFIER}/onnx/model.onnx`, undefined), 500);
    const { error, workers, after } = await pending;
    expect(error).toMatchObject({ name: 'WorkerLostError', code: 'worker_lost', reason: 'crashed', isWorkerLostError: true });
    expect(error!.message).toMatch(/crash requested/);
    expect(workers).toBe(2);
    expectLabelScores(after as LabelScore[], c.output, 'after the crash');
  });

  test('a worker terminated mid-call rejects that call, and the pipeline works again after', async ({ page }) => {
    const cases = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'];
    const c = cases[0];
    const long = cases.reduce((a, b) => (b.input.length > a.input.length ? b : a)).input;
    const { error, after } = await call(page, 'terminateMidCall', CLASSIFIER, long, c.input);
    expect(error).toMatchObject({ name: 'WorkerLostError', code: 'worker_lost', reason: 'terminated' });
    expectLabelScores(after as LabelScore[], c.output, 'after terminate');
  });

  test('no main-thread task is longer than 50 ms while the worker loads and runs', async ({ page, browser }) => {
    const texts = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'].map((c) => c.input);
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    const { longTasks, ticks, results } = await call(page, 'longTasksDuring', CLASSIFIER, texts, 10);
    const tasks = tasksInTrace(await browser.stopTracing());
    expect(tasks.length, 'main-thread tasks in the trace').toBeGreaterThan(0);
    expect(results).toBe(10 * texts.length);
    expect(ticks).toBeGreaterThan(0);
    // The main thread's own work per task (CPU time from the trace), whatever the machine's load.
    const busiest = Math.max(...tasks.map((t) => t.cpuMs));
    expect(busiest, 'most main-thread CPU time in one task (ms)').toBeLessThanOrEqual(50);
    // PerformanceObserver measures wall-clock time. On a machine with free cores it must see no
    // long task at all; on a shared, overloaded one (this project's CI box has 2 cores and a load
    // of 15) the OS parks the main thread mid-task for 100+ ms while it does ~0.3 ms of work, so
    // there the entries are recorded, and asserted only with WEBFORMERS_STRICT_LONGTASKS=1.
    test.info().annotations.push({ type: 'longtask wall-clock durations (ms)', description: JSON.stringify(longTasks) });
    if (process.env.WEBFORMERS_STRICT_LONGTASKS === '1') expect(longTasks, 'PerformanceObserver long tasks').toEqual([]);
  });

  test('generated text streams through the worker as the goldens say', async ({ page }) => {
    type GenCase = { input: string; kwargs: Record<string, unknown>; output: { generated_text: string }[] };
    const cases = golden<{ 'text-generation': GenCase[] }>('tiny-random-gpt2', 'pipeline.json')['text-generation'];
    const full = cases.find((c) => c.kwargs.return_full_text === undefined)!;
    const newOnly = cases.find((c) => c.input === full.input && c.kwargs.return_full_text === false)!;
    const { chunks, result } = await call(page, 'streamGeneration', 'tiny-random-gpt2', full.input, full.kwargs);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(newOnly.output[0].generated_text);
    expect(result).toEqual(full.output);
  });

  test('AutoModelForCausalLM.generate() runs in the worker and gives the Python goldens, beam search included', async ({ page }) => {
    type GenCase = { name: string; input_ids: number[][]; attention_mask: number[][]; generation_kwargs: Record<string, unknown>; sequences: number[][] };
    const cases = golden<{ cases: GenCase[] }>('tiny-random-gpt2', 'generation.json').cases.filter((c) => ['prompt0_greedy', 'prompt0_beam3', 'prompt1_rep_penalty_no_repeat_beam'].includes(c.name));
    expect(cases).toHaveLength(3);
    const outputs = await call(page, 'generateWithModel', 'tiny-random-gpt2', cases.map(({ input_ids, attention_mask, generation_kwargs }) => ({ input_ids, attention_mask, generation_kwargs })));
    cases.forEach((c, i) => {
      expect(outputs[i].tensor, c.name).toBe(true);
      expect(outputs[i].sequences, c.name).toEqual(c.sequences);
    });
    expect(outputs[0].choice).toMatchObject({ device: 'wasm', dtype: { model: 'fp32' } });
  });

  test('an aborted generate() answers with the tokens produced so far (the golden prefix), and the model works again', async ({ page }) => {
    type GenCase = { name: string; input_ids: number[][]; attention_mask: number[][]; generation_kwargs: Record<string, unknown>; sequences: number[][] };
    const c = golden<{ cases: GenCase[] }>('tiny-random-gpt2', 'generation.json').cases.find((g) => g.name === 'prompt0_greedy')!;
    const { input_ids, attention_mask, generation_kwargs } = c;
    const { tensor, partial, puts, again } = await call(page, 'abortGeneration', 'tiny-random-gpt2', { input_ids, attention_mask, generation_kwargs }, 4);
    expect(tensor).toBe(true);
    const promptLength = c.input_ids[0].length;
    // Every put reached the page before the answer: the prompt, then one per new token.
    expect(partial[0].length).toBe(promptLength + puts - 1);
    expect(partial[0].length).toBeGreaterThanOrEqual(promptLength + 3);
    expect(partial[0].length).toBeLessThan(c.sequences[0].length);
    expect(partial[0]).toEqual(c.sequences[0].slice(0, partial[0].length));
    expect(again).toEqual(c.sequences);
  });

  test('a TextStreamer over generator.tokenizer streams the new text of a call in the worker', async ({ page }) => {
    type GenCase = { input: string; kwargs: Record<string, unknown>; output: { generated_text: string }[] };
    const cases = golden<{ 'text-generation': GenCase[] }>('tiny-random-gpt2', 'pipeline.json')['text-generation'];
    const full = cases.find((c) => c.kwargs.return_full_text === undefined)!;
    const newOnly = cases.find((c) => c.input === full.input && c.kwargs.return_full_text === false)!;
    const { chunks, chunksAtResolve, result } = await call(page, 'textStreamerThroughWorker', 'tiny-random-gpt2', full.input, full.kwargs);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunksAtResolve, 'every chunk arrived before the call resolved').toBe(chunks.length);
    expect(chunks.join('')).toBe(newOnly.output[0].generated_text);
    expect(result).toEqual(full.output);
  });

  test('an AbortSignal aborts a load in the worker: its download stops, and the next load fetches afresh', async ({ page }) => {
    const graph = `${CLASSIFIER}/onnx/model.onnx`;
    // About 6 s for the 4 MB graph, the first time only.
    server.setFault(graph, { kind: 'slow', chunkSize: 64 * 1024, delayMs: 100, once: true });
    const before = server.requests.length;
    const c = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'][0];
    const { error, rejectedAfterMs, after } = await call(page, 'abortLoad', CLASSIFIER, c.input);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(rejectedAfterMs).toBeLessThan(200);
    expectLabelScores(after as LabelScore[], c.output, 'after the abort');
    // The second load did not join the aborted (slow) download, which would still be running
    // otherwise (loads of one file share a download): it made a request of its own.
    const graphRequests = server.requests.slice(before).filter((r) => `${r.model}/${r.file}` === graph && r.method === 'GET');
    expect(graphRequests.map((r) => r.fault)).toEqual(['slow', undefined]);
  });

  test('the store of the worker is listed and cleared through cache', async ({ page }) => {
    const { listed, afterClear } = await call(page, 'cacheThroughWorker', CLASSIFIER);
    const models = listed as { model: string; files: { path: string; bytes: number }[] }[];
    expect(models.map((m) => m.model)).toEqual([CLASSIFIER]);
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      expect(models[0].files.find((f) => f.path === file)?.bytes, file).toBe(statSync(`${FIXTURES}${CLASSIFIER}/${file}`).size);
    }
    expect(afterClear).toEqual([]);
  });

  test('a custom worker URL works, and one on another origin goes through a Blob trampoline', async ({ page, baseURL }) => {
    const c = golden<Record<string, Case<LabelScore[]>[]>>(CLASSIFIER, 'pipeline.json')['text-classification'][0];
    const path = '/packages/webformers/src/worker/worker-entry.ts';
    expectLabelScores((await call(page, 'viaWorkerURL', path, CLASSIFIER, c.input)) as LabelScore[], c.output, 'same origin');
    const otherOrigin = new URL(path, baseURL!.replace('127.0.0.1', 'localhost')).href;
    expectLabelScores((await call(page, 'viaWorkerURL', otherOrigin, CLASSIFIER, c.input)) as LabelScore[], c.output, 'other origin');
  });
});
