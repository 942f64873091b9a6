// Accessibility: keyboard-only voting, axe-core in both languages, reduced motion.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { article, hostPage, ready, watch } from './helpers.mjs';

test('keyboard only: arrows move the focus and never vote; Enter and Space vote', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('rating.html', { article: article('keyboard') }));
  const widget = page.locator('#w');
  await ready(widget);
  const summary = widget.locator('.summary');
  await page.locator('#before').focus();
  await page.keyboard.press('Tab');
  await expect(widget.getByRole('radio', { name: '1 sao' })).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(widget.getByRole('radio', { name: '4 sao' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect(summary).toHaveText('Chưa có lượt bình chọn nào');

  await page.keyboard.press('Enter');
  await expect(summary).toHaveText('4,0/5 · 1 lượt bình chọn');
  // Votes go out when cast: had an arrow voted, its request would be counted here too.
  expect(seen.count('/api/v1/votes')).toBe(1);
  await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await expect(summary).toHaveText('3,0/5 · 1 lượt bình chọn');
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  expect(seen.count('/api/v1/votes')).toBe(2);

  // One tab stop: Tab leaves the group; Shift+Tab comes back to the reader's vote.
  await page.keyboard.press('Tab');
  await expect(page.locator('#after')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(widget.getByRole('radio', { name: '3 sao' })).toBeFocused();
  const outline = await widget.getByRole('radio', { name: '3 sao' }).evaluate((b) => getComputedStyle(b).outlineStyle);
  expect(outline).toBe('solid'); // visible focus
  expect(seen.errors).toEqual([]);
});

for (const lang of ['vi', 'en']) {
  for (const scale of ['stars', 'thumbs']) {
    test(`axe-core finds no violations in the ${scale} widget (${lang})`, async ({ page }) => {
      await page.goto(hostPage('rating.html', { article: article(`axe-${lang}-${scale}`), lang, scale }));
      const widget = page.locator('#w');
      await ready(widget);
      await widget.getByRole('radio').first().click();
      await expect(widget.getByRole('status')).not.toBeEmpty();
      const results = await new AxeBuilder({ page })
        .include('#w')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      expect(results.passes.length).toBeGreaterThan(0);
    });
  }
}

test('prefers-reduced-motion turns transitions off', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(hostPage('rating.html', { article: article('motion') }));
  await ready(page.locator('#w'));
  const duration = await page.locator('#w').getByRole('radio').first().evaluate((b) => getComputedStyle(b).transitionDuration);
  expect(duration.split(',').every((d) => parseFloat(d) === 0)).toBe(true);
});
