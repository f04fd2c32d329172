// The encoder fixtures in Chromium, on wasm and on WebGPU (SwiftShader here), against the Python
// goldens: raw outputs (outputs.json) and every pipeline golden. The page runs the library and
// compares (e2e/pages/encoders.ts); this file reads the goldens and decides what must hold.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openTestPage, pageCaller } from './support/test-page.js';
import type { PipelineTask } from '../packages/webformers/src/index.js';
import type { AutoHead, EncodersApi, OutputCase, PipelineCase, PipelineCheck } from './pages/encoders.js';

const FIXTURES = new URL('../packages/webformers/test/fixtures/models/', import.meta.url);
const readGolden = (model: string, file: string) => JSON.parse(readFileSync(new URL(`${model}/goldens/${file}`, FIXTURES), 'utf8'));

const OUTPUT_MODELS: [AutoHead, string][] = [
  ['sequence-classification', 'tiny-random-bert-sequence-classification'],
  ['token-classification', 'tiny-random-bert-token-classification'],
  ['question-answering', 'tiny-random-bert-question-answering'],
  ['masked-lm', 'tiny-random-bert-masked-lm'],
  ['base', 'tiny-random-bert-feature-extraction'],
  ['sequence-classification', 'tiny-random-bert-nli'],
];

interface PipelineSuite { task: PipelineTask; model: string; file: string; key: string; check: PipelineCheck }
const PIPELINE_SUITES: PipelineSuite[] = [
  { task: 'text-classification', model: 'tiny-random-bert-sequence-classification', file: 'pipeline.json', key: 'text-classification', check: 'scores' },
  { task: 'text-classification', model: 'tiny-random-bert-sequence-classification', file: 'pipeline.json', key: 'text-classification-default', check: 'scores' },
  // The fast-tokenizer goldens are the reference for words, offsets and first/average/max.
  { task: 'token-classification', model: 'tiny-random-bert-token-classification', file: 'pipeline-fast.json', key: 'token-classification', check: 'spans' },
  // The slow-tokenizer goldens have no offsets and join words differently ("world !"): labels and scores only.
  { task: 'token-classification', model: 'tiny-random-bert-token-classification', file: 'pipeline.json', key: 'token-classification', check: 'scores' },
  { task: 'question-answering', model: 'tiny-random-bert-question-answering', file: 'pipeline-fast.json', key: 'question-answering', check: 'spans' },
  // The slow path widens answers to whole words differently ("France." vs "."); scores are the same.
  { task: 'question-answering', model: 'tiny-random-bert-question-answering', file: 'pipeline.json', key: 'question-answering', check: 'scores' },
  { task: 'fill-mask', model: 'tiny-random-bert-masked-lm', file: 'pipeline.json', key: 'fill-mask', check: 'scores' },
  { task: 'feature-extraction', model: 'tiny-random-bert-feature-extraction', file: 'pipeline.json', key: 'feature-extraction', check: 'scores' },
  { task: 'zero-shot-classification', model: 'tiny-random-bert-nli', file: 'pipeline.json', key: 'zero-shot-classification', check: 'scores' },
];

const openPage = (page: Page, query = '') => openTestPage(page, `/e2e/pages/encoders.html${query}`);
const call = pageCaller<EncodersApi>('encoders');

for (const device of ['wasm', 'webgpu'] as const) {
  test.describe(`encoders on ${device} match Python transformers`, () => {
    test.beforeEach(async ({ page }) => {
      await openPage(page);
      if (device === 'webgpu') test.skip((await call(page, 'gpuAdapter')) === null, 'no WebGPU adapter');
    });

    for (const [head, model] of OUTPUT_MODELS) {
      test(`${model} outputs.json (logits / hidden states within 1e-4)`, async ({ page }) => {
        const cases = readGolden(model, 'outputs.json').cases as OutputCase[];
        const report = await call(page, 'checkModelOutputs', head, model, device, cases);
        expect(report.device).toBe(device);
        expect(report.problems).toEqual([]);
        expect(report.compared).toBeGreaterThanOrEqual(cases.length);
      });
    }

    for (const s of PIPELINE_SUITES) {
      test(`${s.task} ${s.model} ${s.file}[${s.key}] (${s.check})`, async ({ page }) => {
        const cases = readGolden(s.model, s.file)[s.key] as PipelineCase[];
        const report = await call(page, 'checkPipeline', s.task, s.model, device, cases, s.check);
        expect(report.device).toBe(device);
        expect(report.problems).toEqual([]);
        expect(report.compared).toBe(cases.length);
      });
    }
  });
}

const SEQ = 'tiny-random-bert-sequence-classification';
const seqCases = () => readGolden(SEQ, 'outputs.json').cases as OutputCase[];

/** Opens the page and counts the pthread workers onnxruntime-web starts (its own module, named em-pthread). */
async function openCountingThreads(page: Page, query: string): Promise<() => number> {
  let ortWorkers = 0;
  page.on('worker', (worker) => { if (/onnxruntime-web/.test(worker.url())) ortWorkers++; });
  await openPage(page, query);
  return () => ortWorkers;
}

test.describe('onnxruntime-web in the page', () => {
  test('fetches its .mjs/.wasm from our own origin, next to its module in onnxruntime-web/dist', async ({ page, baseURL }) => {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await openPage(page);
    const report = await call(page, 'checkModelOutputs', 'sequence-classification', SEQ, 'wasm', seqCases().slice(0, 1));
    expect(report.problems).toEqual([]);
    expect(urls.filter((u) => !u.startsWith(`${baseURL}/`))).toEqual([]);
    expect(urls.filter((u) => /\.wasm(\?|$)/.test(u)).map((u) => new URL(u).pathname)).toEqual(['/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm']);
  });

  test('runs multi-threaded when the page is cross-origin isolated and numThreads asks for it', async ({ page }) => {
    const ortWorkers = await openCountingThreads(page, '?threads=2');
    expect(await call(page, 'crossOriginIsolated')).toBe(true);
    const report = await call(page, 'checkModelOutputs', 'sequence-classification', SEQ, 'wasm', seqCases());
    expect(report.problems).toEqual([]);
    expect(ortWorkers()).toBeGreaterThan(0);
  });

  test('runs single-threaded, with the same results, on a page without cross-origin isolation', async ({ page }) => {
    // The same page served without COOP/COEP: no SharedArrayBuffer, so wasm threads cannot start.
    await page.route('**/e2e/pages/encoders.html*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    const ortWorkers = await openCountingThreads(page, '?threads=2');
    expect(await call(page, 'crossOriginIsolated')).toBe(false);
    const report = await call(page, 'checkModelOutputs', 'sequence-classification', SEQ, 'wasm', seqCases());
    expect(report.problems).toEqual([]);
    expect(ortWorkers()).toBe(0);
  });
});

test.describe('device choice on this adapter', () => {
  test("device 'auto' picks WebGPU when an adapter exists, and says so", async ({ page }) => {
    await openPage(page);
    const adapter = await call(page, 'gpuAdapter');
    expect(await call(page, 'autoDevice', 'text-classification', SEQ)).toBe(adapter ? 'webgpu' : 'wasm');
  });

  test("fp16 on WebGPU without 'shader-f16' is a clear device error", async ({ page }) => {
    await openPage(page);
    const adapter = await call(page, 'gpuAdapter');
    test.skip(adapter === null, 'no WebGPU adapter');
    test.skip(adapter!.features.includes('shader-f16'), "this adapter has 'shader-f16', so fp16 is allowed");
    const error = await call(page, 'loadError', 'text-classification', SEQ, 'webgpu', 'fp16');
    expect(error).toMatchObject({ name: 'DeviceUnavailableError', code: 'device_unavailable' });
    expect(error!.message).toMatch(/dtype 'fp16' needs the WebGPU feature 'shader-f16'/);
    expect(error!.hint).toMatch(/dtype 'fp32'/);
  });
});
