import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const manifest = JSON.parse(
  readFileSync(new URL('../packages/webformers/test/fixtures/tokenizers/manifest.json', import.meta.url), 'utf8'),
) as { name: string }[];

test.describe('tokenizers in Chromium match Rust tokenizers', () => {
  for (const { name } of manifest) {
    test(name, async ({ page }) => {
      await page.goto('/e2e/pages/tokenizers.html');
      await expect(page.locator('#log')).toHaveText('ready');
      const report = await page.evaluate(
        (n) => (globalThis as unknown as { runTokenizerConformance(n: string): Promise<{ total: number; failureCount: number; firstFailures: unknown[] }> }).runTokenizerConformance(n),
        name,
      );
      expect(report.total).toBeGreaterThan(300);
      expect(report.firstFailures).toEqual([]);
      expect(report.failureCount).toBe(0);
    });
  }
});
