/** Drives the demo's views the way a person would: pick, type, click, read what the page shows. */
import { expect, type Page } from '@playwright/test';

export const SCREENSHOTS = new URL('../artifacts/screenshots/', import.meta.url);
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export type ViewId = 'generate' | 'ner' | 'classify' | 'qa' | 'storage';

export async function openView(page: Page, base: string, view: ViewId): Promise<void> {
  await page.goto(`${base}#${view}`);
  await expect(page.locator(`#view-${view}`)).toBeVisible();
}

export async function showView(page: Page, view: ViewId): Promise<void> {
  await page.locator(`a.tab[data-view="${view}"]`).click();
  await expect(page.locator(`#view-${view}`)).toBeVisible();
}

/** Picks a model by id: one of the listed ones, or typed into the "Other Hub model" field. */
export async function pickModel(page: Page, view: ViewId, model: string, settings: { device?: string; dtype?: string } = {}): Promise<void> {
  const picker = page.locator(`#${view}-model`);
  const listed = await picker.locator(`option[value="${model}"]`).count();
  if (listed > 0) {
    await picker.selectOption(model);
  } else {
    await picker.selectOption('__custom__');
    await page.locator(`#${view}-custom-model`).fill(model);
  }
  if (settings.device) await page.locator(`#${view}-device`).selectOption(settings.device);
  if (settings.dtype) await page.locator(`#${view}-dtype`).selectOption(settings.dtype);
}

export async function setModelHost(page: Page, host: string): Promise<void> {
  await showView(page, 'storage');
  await page.locator('#hub-host').fill(host);
  await page.locator('#hub-host').dispatchEvent('change');
}

/** The in-page error of a view, once one is shown: its kind and text. */
export async function shownError(page: Page, view: ViewId): Promise<{ kind: string; text: string }> {
  const box = page.locator(`#view-${view} .error-box:not([hidden])`).first();
  await expect(box).toBeVisible({ timeout: 120_000 });
  return { kind: (await box.getAttribute('data-error-kind')) ?? '', text: await box.innerText() };
}

/** Waits for `selector` to appear; fails at once with the page's message when the view shows an error instead. */
export async function expectNoError(page: Page, view: ViewId, selector: string, timeout = 180_000): Promise<void> {
  const error = page.locator(`#view-${view} .error-box:not([hidden])`);
  await expect(page.locator(selector).or(error).first()).toBeAttached({ timeout });
  if (await error.isVisible()) throw new Error(`The ${view} view shows an error: ${await error.innerText()}`);
}

export async function screenshotBoth(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    // From the top: a full-page capture of a scrolled page paints the sticky header mid-page.
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForTimeout(150);
    await page.screenshot({ path: new URL(`${name}-${size}.png`, SCREENSHOTS).pathname, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}
