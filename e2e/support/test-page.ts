// What every spec that drives a test page under e2e/pages/ does: open it, wait for its "ready",
// and call the functions it put on `globalThis[name]` with JSON-serialisable arguments.
import { expect, type Page } from '@playwright/test';

type PageFunction = (...args: never[]) => unknown;

export async function openTestPage(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#log')).toHaveText('ready', { timeout: 60_000 });
}

/** A typed caller of the page API the page installed as `globalThis[globalName]`. */
export function pageCaller<Api extends { [K in keyof Api]: PageFunction }>(globalName: string) {
  return <K extends keyof Api & string>(page: Page, name: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>> =>
    page.evaluate(
      ([g, n, a]) => (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)[g][n](...a),
      [globalName, name, args as unknown[]] as const,
    ) as Promise<Awaited<ReturnType<Api[K]>>>;
}
