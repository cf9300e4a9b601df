import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules of axe-core: the level the product is held to. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's serious and critical violations on the page as it is now, one line each (rule, impact,
 * the first three elements). Scalar's API reference is checked too (app/partner/api/api-reference.tsx
 * mends its two violations with its customCss option).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const where = v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ');
      return `${new URL(page.url()).pathname}: ${v.id} (${v.impact}) ${where}`;
    });
}

/** Fails the test (softly: the rest of the test still runs) when the page in its current state has a serious violation. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // A server action's refresh can leave the title empty for a moment (a CI run on cc8f4db saw
  // document-title on /me/requests/… right after one, passing in every run before). Waiting up to
  // 5 s for it is what a person sees once the page settles; a page without a title still fails.
  await page.waitForFunction(() => document.title.trim() !== '', undefined, { timeout: 5_000 }).catch(() => {});
  expect.soft(await seriousViolations(page), `serious accessibility violations: ${state}`).toEqual([]);
}

/**
 * Walks the page with the Tab key (as a keyboard user does, so :focus-visible applies) and returns
 * every control that showed no focus indicator: no outline and no box-shadow ring on the control,
 * or, for a visually hidden input (a styled file picker), on its label. Stops when focus comes back
 * round or after `maxTabs`.
 */
export async function controlsWithoutFocus(page: Page, maxTabs = 80): Promise<string[]> {
  const missing: string[] = [];
  const seen = new Set<string>();
  await page.locator('body').focus();
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      const shows = (e: Element) => {
        const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      };
      const box = el.getBoundingClientRect();
      const hidden = box.width <= 1 || box.height <= 1;
      const label = el instanceof HTMLInputElement ? el.labels?.[0] : null;
      const key = `${name}@${Math.round(box.x)},${Math.round(box.y)}`;
      return { key, name, shown: hidden ? !!label && shows(label) : shows(el) };
    });
    if (!focused) continue;
    if (seen.has(focused.key)) break;
    seen.add(focused.key);
    if (!focused.shown) missing.push(`${new URL(page.url()).pathname}: ${focused.name}`);
  }
  return missing;
}
