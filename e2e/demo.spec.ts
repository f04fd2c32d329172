/**
 * The demo app (apps/demo), built and served as users get it, driven view by view in Chromium
 * with its embedded models. Expected numbers come from the models' README (PyTorch and
 * transformers.js runs made when they were trained). Screenshots of every view, desktop and
 * phone, go to e2e/artifacts/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test } from '@playwright/test';
import { startHubServer, type HubServer } from '../packages/webformers/test/support/hub-server.js';
import { buildDemo, startDemoServer, type DemoServer } from './demo/demo-server.js';
import { startStaticServer } from './demo/static-server.js';
import { generationGoldens, nerSimpleGoldens, qaGoldens, sentimentGoldens } from './demo/demo-goldens.js';
import { DESKTOP, expectNoError, openView, pickModel, screenshotBoth, setModelHost, shownError, showView } from './demo/demo-page.js';

/** A stand-in for the Hub serving the tiny fixture models, so Hub downloads and storage run without a network. */
const FIXTURE_MODELS = fileURLToPath(new URL('../packages/webformers/test/fixtures/models/', import.meta.url));
const HUB_MODEL = 'tiny-random-bert-sequence-classification';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

let demo: DemoServer;
let hub: HubServer;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  buildDemo();
  demo = await startDemoServer();
  hub = await startHubServer({ root: FIXTURE_MODELS });
});

test.afterAll(async () => {
  await demo?.close();
  await hub?.close();
});

test.use({ viewport: DESKTOP });

test('classification: each line scored as PyTorch scores it (1e-3), labels as transformers.js', async ({ page }) => {
  const goldens = sentimentGoldens();
  await openView(page, demo.url, 'classify');
  await pickModel(page, 'classify', 'sentiment-sst2');
  await page.locator('#classify-input').fill(goldens.map((g) => g.text).join('\n'));
  await page.locator('#classify-run').click();
  const rows = page.locator('.class-result');
  await expect(rows).toHaveCount(goldens.length, { timeout: 120_000 });
  for (const [i, golden] of goldens.entries()) {
    const row = rows.nth(i);
    await expect(row.locator('.class-text')).toHaveText(golden.text);
    expect(await row.locator('li.top').getAttribute('data-label')).toBe(golden.label);
    const positive = Number(await row.locator('li[data-label="POSITIVE"]').getAttribute('data-score'));
    expect(Math.abs(positive - golden.positive)).toBeLessThanOrEqual(1e-3);
  }
  await expect(page.locator('#view-classify [data-stat="load"]')).not.toBeEmpty();
  await expect(page.locator('#view-classify [data-stat="latency"]')).not.toBeEmpty();
  await screenshotBoth(page, 'classify');
});

test('NER: simple aggregation gives the transformers.js entities; first keeps single-piece names whole', async ({ page }) => {
  await openView(page, demo.url, 'ner');
  const goldens = nerSimpleGoldens();
  // Sentences whose names are single vocabulary pieces: the README says 'first' labels them as 'simple' does.
  for (const sentence of ['John Smith works at Google in London.', 'The European Union rejected the German proposal.']) {
    const expected = goldens.get(sentence);
    expect(expected).toBeDefined();
    for (const strategy of ['simple', 'first']) {
      await page.locator('#ner-input').fill(sentence);
      await page.locator('#ner-aggregation').selectOption(strategy);
      await page.locator('#ner-run').click();
      const marks = page.locator('#ner-output mark');
      await expect(marks).toHaveCount(expected!.length, { timeout: 120_000 });
      for (const [i, golden] of expected!.entries()) {
        const mark = marks.nth(i);
        expect(await mark.getAttribute('data-type')).toBe(golden.group);
        expect(await mark.evaluate((m) => m.firstChild?.textContent?.toLowerCase())).toBe(golden.word);
        expect(Math.abs(Number(await mark.getAttribute('data-score')) - golden.score)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(await mark.getAttribute('title')).toContain(golden.group);
      }
    }
  }
  await expect(page.locator('#ner-aggregation')).toBeVisible();
  await page.locator('#ner-aggregation').selectOption('first');
  await page.locator('#ner-input').fill('John Smith works at Google in London. The European Union rejected the German proposal.');
  await page.locator('#ner-run').click();
  await expect(page.locator('#ner-output mark').first()).toBeVisible();
  await screenshotBoth(page, 'ner');
});

test('QA: answers and scores as transformers.js, answer marked in the context, weak-model note shown', async ({ page }) => {
  await openView(page, demo.url, 'qa');
  await expect(page.locator('#qa-weak-note')).toContainText('EM 3.7 / F1 9.3');
  // transformers.js decodes the uncased tokens ("12, 000"); the page shows the context's own text, so compare without case and spaces.
  const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  for (const golden of qaGoldens()) {
    await page.locator('#qa-question').fill(golden.question);
    await page.locator('#qa-context').fill(golden.context);
    await page.locator('#qa-top-k').fill('3');
    await page.locator('#qa-run').click();
    const best = page.locator('.answers li').first();
    await expect(best).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('.answers li')).toHaveCount(3);
    expect(normalise((await best.getAttribute('data-answer'))!)).toBe(normalise(golden.answer));
    expect(Math.abs(Number(await best.getAttribute('data-score')) - golden.score)).toBeLessThanOrEqual(5e-4 + 1e-9);
    expect(normalise(await page.locator('#qa-output mark.best').innerText())).toBe(normalise(golden.answer));
    await page.locator('#qa-output').waitFor();
  }
  await screenshotBoth(page, 'qa');
});

test('generation: greedy text equals the transformers.js output; beam search returns whole', async ({ page }) => {
  await openView(page, demo.url, 'generate');
  const greedy = generationGoldens().filter((g) => g.options.do_sample === false);
  expect(greedy.length).toBeGreaterThan(0);
  for (const golden of greedy) {
    await page.locator('#gen-prompt').fill(golden.prompt);
    await page.locator('#gen-max-new-tokens').fill(String(golden.options.max_new_tokens));
    await page.locator('#gen-repetition-penalty').fill(String(golden.options.repetition_penalty ?? 1));
    await page.locator('#gen-run').click();
    await expectNoError(page, 'generate', '#gen-output [data-generated][data-done]');
    const generated = page.locator('#gen-output [data-generated][data-done]');
    expect(golden.prompt + (await generated.textContent())).toBe(golden.text);
  }
  // Beam search cannot stream (as in Python): the text arrives whole, and the page says why the first-token time is missing.
  await page.locator('#gen-beams').fill('2');
  await page.locator('#gen-run').click();
  await expectNoError(page, 'generate', '#gen-output [data-generated][data-done]');
  await expect(page.locator('#view-generate [data-stat="first"]')).toHaveText(/beam search/);
  await page.locator('#gen-beams').fill('1');
  await page.locator('#gen-run').click();
  await expectNoError(page, 'generate', '#gen-output [data-generated][data-done]');
  await expect(page.locator('#view-generate [data-stat="first"]')).not.toBeEmpty();
  await expect(page.locator('#view-generate [data-stat="rate"]')).not.toBeEmpty();
  await screenshotBoth(page, 'generate');
});

test('generation: text appears while it is generated, and Stop ends the call early', async ({ page }) => {
  await openView(page, demo.url, 'generate');
  await page.locator('#view-generate .model-panel button.secondary').click();
  await expect(page.locator('#view-generate .status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  // Streaming, seen from the page: how many times did the text grow before the call finished?
  // (Counted, not timed: on a loaded machine time stamps say little.)
  await page.evaluate(() => {
    const output = document.querySelector('#gen-output')!;
    const seen = { updates: 0, last: '' };
    (globalThis as unknown as { streamUpdates: typeof seen }).streamUpdates = seen;
    new MutationObserver(() => {
      const generated = output.querySelector('[data-generated]');
      const text = generated?.textContent ?? '';
      if (generated && !generated.hasAttribute('data-done') && text !== seen.last && text !== '') seen.updates += 1;
      seen.last = text;
    }).observe(output, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.locator('#gen-prompt').fill('Once upon a time');
  await page.locator('#gen-max-new-tokens').fill('120');
  await page.locator('#gen-run').click();
  await expectNoError(page, 'generate', '#gen-output [data-generated][data-done]');
  const { updates } = await page.evaluate(() => (globalThis as unknown as { streamUpdates: { updates: number } }).streamUpdates);
  expect(updates, 'text updates shown before the call finished').toBeGreaterThanOrEqual(5);

  await page.locator('#gen-max-new-tokens').fill('512');
  await page.locator('#gen-run').click();
  await expectNoError(page, 'generate', '#gen-output [data-generated]:not(:empty)');
  await page.locator('#gen-stop').click();
  await expect(page.locator('#gen-run')).toBeEnabled({ timeout: 30_000 });
  // Stopped, not finished: the finished marker never came, and no error is shown for a stop.
  await expect(page.locator('#gen-output [data-generated]')).not.toHaveAttribute('data-done');
  await expect(page.locator('#view-generate .error-box')).toBeHidden();
});

test('Hub model: progress per file, stored, listed with its variant, storage figures match navigator.storage.estimate()', async ({ page }) => {
  await openView(page, demo.url, 'classify');
  await setModelHost(page, hub.url);
  await showView(page, 'classify');
  await pickModel(page, 'classify', HUB_MODEL, { dtype: 'fp32' });
  await page.locator('#classify-input').fill('a test line');
  await page.locator('#classify-run').click();
  await expect(page.locator('.class-result')).toHaveCount(1, { timeout: 120_000 });
  const onnxRow = page.locator('#view-classify .progress-list li[data-file="onnx/model.onnx"]');
  await expect(onnxRow).toHaveClass(/done/);
  await expect(onnxRow.locator('.figures')).toContainText('100%');

  await showView(page, 'storage');
  const stored = page.locator(`#stored-models li[data-model="${HUB_MODEL}"]`);
  await expect(stored).toBeVisible();
  await expect(stored.locator('li[data-variant="fp32"]')).toBeVisible();
  const figures = page.locator('#storage-figures');
  await expect(figures).toHaveAttribute('data-quota', /\d+/);
  const estimate = await page.evaluate(() => navigator.storage.estimate());
  // Chromium derives the quota from the disk's free space, which other processes change between
  // two reads; and usage moves while IndexedDB settles. Same figures, within that drift.
  expect(Math.abs(Number(await figures.getAttribute('data-quota')) - estimate.quota!)).toBeLessThanOrEqual(0.001 * estimate.quota!);
  const shownUsage = Number(await figures.getAttribute('data-usage'));
  expect(Math.abs(shownUsage - estimate.usage!)).toBeLessThanOrEqual(Math.max(1e6, 0.05 * estimate.usage!));
  await expect(figures.locator('[data-figure="quota"]')).toHaveText(/GB|MB/);
  expect(Number(await figures.getAttribute('data-store'))).toBeGreaterThanOrEqual(Number(await stored.locator('.size').getAttribute('data-bytes')));
  await screenshotBoth(page, 'storage');

  await stored.locator('li[data-variant="fp32"] button').click();
  await expect(stored.locator('li[data-variant="fp32"]')).toHaveCount(0);
  await expect(stored).toBeVisible();
  await stored.locator('button[data-delete-model]').click();
  await expect(stored).toHaveCount(0);

  await showView(page, 'classify');
  await page.locator('#view-classify .model-panel button.secondary').click();
  await expect(page.locator('#view-classify .status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await showView(page, 'storage');
  await expect(stored).toBeVisible();
  await page.locator('#storage-clear').click();
  await page.locator('#storage-clear').click();
  await expect(page.locator('#stored-models li')).toHaveCount(0);
  await expect(page.locator('#stored-models .empty')).toBeVisible();
});

test.describe('failure messages in the page', () => {
  test('chat asked of a model without a chat template', async ({ page }) => {
    await openView(page, demo.url, 'generate');
    await page.locator('#gen-mode').selectOption('chat');
    await page.locator('#gen-run').click();
    const error = await shownError(page, 'generate');
    expect(error.kind).toBe('no-chat');
    expect(error.text).toContain('cannot chat');
  });

  test('model not found', async ({ page }) => {
    await openView(page, demo.url, 'classify');
    await setModelHost(page, hub.url);
    await showView(page, 'classify');
    await pickModel(page, 'classify', 'nobody/no-such-model', { dtype: 'fp32' });
    await page.locator('#classify-run').click();
    const error = await shownError(page, 'classify');
    expect(error.kind).toBe('not-found');
    expect(error.text).toContain('Model not found');
    await screenshotBoth(page, 'error-not-found');
  });

  test('storage quota exceeded', async ({ page }) => {
    await openView(page, demo.url, 'classify');
    // The origin gets 200 kB of quota: the 4 MB fixture model cannot be stored.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(demo.url).origin, quotaSize: 200_000 });
    await setModelHost(page, hub.url);
    await showView(page, 'classify');
    await pickModel(page, 'classify', HUB_MODEL, { dtype: 'fp32' });
    await page.locator('#classify-run').click();
    const error = await shownError(page, 'classify');
    expect(error.kind).toBe('quota');
    expect(error.text).toContain('Not enough storage');
  });

  test('offline, and the model is not stored', async ({ page, context }) => {
    await openView(page, demo.url, 'classify');
    await setModelHost(page, hub.url);
    await context.setOffline(true);
    await expect(page.locator('#network-state')).toHaveText('Offline');
    await showView(page, 'classify');
    await pickModel(page, 'classify', HUB_MODEL, { dtype: 'fp32' });
    await page.locator('#classify-run').click();
    const error = await shownError(page, 'classify');
    expect(error.kind).toBe('offline');
    expect(error.text).toContain('You are offline');
  });

  test('WebGPU asked for in a browser without it', async ({ browserName }, testInfo) => {
    expect(browserName).toBe('chromium');
    const launch = testInfo.project.use.launchOptions ?? {};
    // The same browser without --enable-unsafe-webgpu: navigator.gpu gives no adapter on a machine without a GPU.
    const browser = await chromium.launch({ ...launch, args: (launch.args ?? []).filter((a) => a !== '--enable-unsafe-webgpu') });
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      const adapter = await (async () => {
        await page.goto(demo.url);
        return page.evaluate(async () => (await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()) ?? null);
      })();
      test.skip(adapter !== null, 'this machine has a real GPU, so WebGPU cannot be made absent by a flag');
      await openView(page, demo.url, 'classify');
      await pickModel(page, 'classify', 'sentiment-sst2', { device: 'webgpu' });
      await page.locator('#classify-run').click();
      const error = await shownError(page, 'classify');
      expect(error.kind).toBe('no-webgpu');
      expect(error.text).toContain('WebGPU is not available');
      await screenshotBoth(page, 'error-no-webgpu');
    } finally {
      await browser.close();
    }
  });
});

test('offline: after one visit the app reloads and runs stored models with the network off', async ({ browserName }, testInfo) => {
  expect(browserName).toBe('chromium');
  const profile = mkdtempSync(join(tmpdir(), 'webformers-demo-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, viewport: DESKTOP });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openView(page, demo.url, 'classify');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first visit installs the service worker; from the next load on it answers the page's and the worker's requests.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const golden = sentimentGoldens()[0];
    const classify = async () => {
      await pickModel(page, 'classify', 'sentiment-sst2');
      await page.locator('#classify-input').fill(golden.text);
      await page.locator('#classify-run').click();
      await expectNoError(page, 'classify', '.class-result');
      const positive = Number(await page.locator('.class-result li[data-label="POSITIVE"]').getAttribute('data-score'));
      expect(Math.abs(positive - golden.positive)).toBeLessThanOrEqual(1e-3);
    };
    const classifyHubModel = async () => {
      await pickModel(page, 'classify', HUB_MODEL, { dtype: 'fp32' });
      await page.locator('#classify-input').fill('a stored model');
      await page.locator('#classify-run').click();
      await expectNoError(page, 'classify', '.class-result');
      await expect(page.locator('#view-classify .status')).toHaveText(`Ready: ${HUB_MODEL}`);
    };
    await classify();
    await setModelHost(page, hub.url);
    await showView(page, 'classify');
    await classifyHubModel();

    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#network-state')).toHaveText('Offline');
    await showView(page, 'classify');
    await classify();
    const before = hub.requests.length;
    await classifyHubModel();
    expect(hub.requests.length).toBe(before);
    await showView(page, 'storage');
    await expect(page.locator('#offline-models li[data-offline-model="sentiment-sst2"]')).toBeVisible();
    await expect(page.locator(`#stored-models li[data-model="${HUB_MODEL}"]`)).toBeVisible();
    await screenshotBoth(page, 'storage-offline');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('script tag: examples/script-tag.html runs webformers with no build step', async ({ page }) => {
  const server = await startStaticServer(REPO_ROOT);
  try {
    const golden = sentimentGoldens()[1];
    await page.goto(`${server.url}/examples/script-tag.html`);
    await expect(page.locator('#run')).toBeEnabled({ timeout: 120_000 });
    await page.locator('#text').fill(golden.text);
    await page.locator('#run').click();
    const positive = Number(await page.locator('#result li[data-label="POSITIVE"]').getAttribute('data-score'));
    expect(Math.abs(positive - golden.positive)).toBeLessThanOrEqual(1e-3);
  } finally {
    await server.close();
  }
});
