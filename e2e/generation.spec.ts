// model.generate() in Chromium, on wasm and on WebGPU (SwiftShader here), against Python's generate()
// goldens token for token. The page runs the library (e2e/pages/generation.ts); this file reads the
// goldens and decides what must hold.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { GenerationApi, GenerationCase } from './pages/generation.js';

const FIXTURES = new URL('../packages/webformers/test/fixtures/models/', import.meta.url);
const goldenCases = (model: string): GenerationCase[] => JSON.parse(readFileSync(new URL(`${model}/goldens/generation.json`, FIXTURES), 'utf8')).cases;
const greedyAndBeam = (c: GenerationCase) => /greedy|beam/.test(c.name);

async function openPage(page: Page): Promise<void> {
  await page.goto('/e2e/pages/generation.html');
  await expect(page.locator('#log')).toHaveText('ready', { timeout: 60_000 });
}

function call<K extends keyof GenerationApi>(page: Page, name: K, ...args: Parameters<GenerationApi[K]>): Promise<Awaited<ReturnType<GenerationApi[K]>>> {
  return page.evaluate(
    ([n, a]) => (globalThis as unknown as { generation: Record<string, (...x: unknown[]) => unknown> }).generation[n](...a),
    [name as string, args as unknown[]] as const,
  ) as Promise<Awaited<ReturnType<GenerationApi[K]>>>;
}

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
      });
    }
  });
}

test.describe('WebGPU memory', () => {
  test('many generations in a row leave no GPU tensor alive, and the cache lives on the GPU during each', async ({ page }) => {
    test.setTimeout(600_000);
    await openPage(page);
    test.skip((await call(page, 'gpuAdapter')) === null, 'no WebGPU adapter');
    const runs = [['tiny-random-gpt2', ['prompt0_greedy', 'prompt0_beam3']], ['tiny-random-t5', ['source0_greedy', 'source0_beam3']]] as const;
    for (const [model, names] of runs) {
      const cases = names.map((name) => goldenCases(model).find((k) => k.name === name) as GenerationCase)
        .map((c) => ({ ...c, generation_kwargs: { ...c.generation_kwargs, max_new_tokens: 4 } }));
      const report = await call(page, 'gpuBufferGrowth', model, 'webgpu', 12, cases);
      expect(report.device).toBe('webgpu');
      expect(report.peakDuringCalls).toBeGreaterThan(0);
      expect(report.afterEachCall).toEqual(new Array(12).fill(0));
    }
  });
});
