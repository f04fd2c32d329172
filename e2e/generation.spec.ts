// model.generate() in Chromium, on wasm and on WebGPU (SwiftShader here), against Python's generate()
// goldens token for token. The page runs the library (e2e/pages/generation.ts); this file reads the
// goldens and decides what must hold.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openTestPage, pageCaller } from './support/test-page.js';
import type { GenerationApi, GenerationCase } from './pages/generation.js';

const FIXTURES = new URL('../packages/webformers/test/fixtures/models/', import.meta.url);
const goldenCases = (model: string): GenerationCase[] => JSON.parse(readFileSync(new URL(`${model}/goldens/generation.json`, FIXTURES), 'utf8')).cases;
const vocabSize = (model: string): number => JSON.parse(readFileSync(new URL(`${model}/config.json`, FIXTURES), 'utf8')).vocab_size;
const greedyAndBeam = (c: GenerationCase) => /greedy|beam/.test(c.name);

const openPage = (page: Page) => openTestPage(page, '/e2e/pages/generation.html');
const call = pageCaller<GenerationApi>('generation');

for (const device of ['wasm', 'webgpu'] as const) {
  test.describe(`generate() on ${device} matches Python generate()`, () => {
    test.beforeEach(async ({ page }) => {
      await openPage(page);
      if (device === 'webgpu') test.skip((await call(page, 'gpuAdapter')) === null, 'no WebGPU adapter');
    });

    // wasm: every golden of all four models. WebGPU on SwiftShader runs about a hundred times slower, so it
    // takes the greedy and beam cases of one decoder-only and one encoder-decoder model.
    const models = device === 'wasm' ? ['tiny-random-gpt2', 'tiny-random-llama-qwen3tok', 'tiny-random-bart', 'tiny-random-t5'] : ['tiny-random-gpt2', 'tiny-random-t5'];
    for (const model of models) {
      test(`${model}: ${device === 'wasm' ? 'every' : 'greedy and beam'} generation golden token for token`, async ({ page }) => {
        test.setTimeout(device === 'webgpu' ? 600_000 : 180_000);
        const cases = device === 'wasm' ? goldenCases(model) : goldenCases(model).filter(greedyAndBeam);
        expect(cases.length).toBeGreaterThanOrEqual(5);
        const report = await call(page, 'checkGenerationGoldens', model, device, cases);
        expect(report.device).toBe(device);
        expect(report.problems).toEqual([]);
        expect(report.compared).toBe(cases.length);
        if (device === 'webgpu') {
          // Each step reads back its logits [rows, length, vocab] and nothing else: no present.* (rank 4),
          // no encoder states, also not when beam search reorders the cache.
          expect(report.readBacks.length).toBeGreaterThan(0);
          expect(report.readBacks.filter((dims) => dims.length !== 3 || dims[2] !== vocabSize(model))).toEqual([]);
        } else {
          expect(report.readBacks).toEqual([]);
        }
      });
    }
  });
}

/**
 * The issue asks that a thousand generations in a row do not grow GPU memory. On SwiftShader (CPU-emulated
 * WebGPU, these machines) one tiny-random-t5 generation of 3 tokens takes about a second, so a thousand take
 * ~14 minutes (821 s measured on a loaded 2-core machine): the default run is 100 and WEBFORMERS_E2E_GENERATIONS=1000 runs the full count. tiny-random-gpt2
 * runs 12 at most: onnxruntime-web's lm_head MatMul ([1, 1, 32] x [32, 50257]) alone takes ~1.8 s a step there.
 */
const GENERATIONS = Number(process.env.WEBFORMERS_E2E_GENERATIONS ?? 100);
/** Calls before GPU memory must stop growing: ORT's allocator keeps freed buffers for reuse, one per size it has seen. */
const WARM_UP = 10;

test.describe('WebGPU memory', () => {
  const runs = [
    { model: 'tiny-random-t5', names: ['source0_greedy', 'source0_beam3'], calls: GENERATIONS },
    { model: 'tiny-random-gpt2', names: ['prompt0_greedy', 'prompt0_beam3'], calls: Math.min(GENERATIONS, 12) },
  ];
  for (const { model, names, calls } of runs) {
    test(`${model}: ${calls} generations in a row (greedy and beam) end with no GPU tensor alive and no more GPU buffers than after call ${WARM_UP}`, async ({ page }) => {
      test.setTimeout(120_000 + calls * 5_000);
      await openPage(page);
      test.skip((await call(page, 'gpuAdapter')) === null, 'no WebGPU adapter');
      const cases = names.map((name) => goldenCases(model).find((k) => k.name === name) as GenerationCase)
        .map((c) => ({ ...c, generation_kwargs: { ...c.generation_kwargs, max_new_tokens: 3 } }));
      const report = await call(page, 'gpuBufferGrowth', model, 'webgpu', calls, cases);
      console.log(`${model}: ${calls} generations in ${(report.milliseconds / 1000).toFixed(1)} s; live GPUBuffers after call 1, ${WARM_UP}, ${calls}: ` +
        `${report.liveBuffersAfterEachCall[0]}, ${report.liveBuffersAfterEachCall[WARM_UP - 1]}, ${report.liveBuffersAfterEachCall[calls - 1]}`);
      expect(report.device).toBe('webgpu');
      // The cache stayed on the GPU during calls, and every GPU tensor the library held was disposed after each.
      expect(report.peakDuringCalls).toBeGreaterThan(0);
      expect(report.afterEachCall).toEqual(new Array(calls).fill(0));
      // GPUBuffers still allocated at the WebGPU API (ORT's pool included; the weights make the count positive):
      // after every call from WARM_UP + 1 on, neither more buffers nor more bytes than after call WARM_UP.
      expect(report.liveBuffersAfterEachCall[0]).toBeGreaterThan(0);
      const grewAfter = (series: number[]) => series.slice(WARM_UP).map((v, i) => ({ call: WARM_UP + i + 1, v })).filter(({ v }) => v > series[WARM_UP - 1]);
      expect(grewAfter(report.liveBuffersAfterEachCall)).toEqual([]);
      expect(grewAfter(report.liveBufferBytesAfterEachCall)).toEqual([]);
    });
  }
});
