// Every widget, as the hostile-world tests see it: how a page places it, and how to tell it
// works. A new widget joins the hostile host pages (hostile.spec.mjs) with one entry here.
import { expect } from '@playwright/test';

export const widgets = [
  {
    kind: 'rating',
    /** The element a newspaper writes, with its fallback content. */
    html: (id, article) => `<bangtin-rating id="${id}" article="${article}"><p class="fallback">Bình chọn chưa tải được.</p></bangtin-rating>`,
    /** The same, as a placeholder for CMSs that strip unknown tags. */
    placeholder: (id, article) => `<div id="${id}" data-bangtin="rating" data-article="${article}"><p class="fallback">Bình chọn chưa tải được.</p></div>`,
    /** It shows its data and a reader can use it. */
    async works(widget) {
      await expect(widget.locator('.panel[data-phase=ready]')).toHaveCount(1);
      await widget.locator('[role=radio][aria-label="4 sao"]').click();
      await expect(widget.locator('[role=status]')).toHaveText('Cảm ơn bạn đã bình chọn.');
      await expect(widget.locator('.summary')).toHaveText(/1 lượt bình chọn$/);
    },
  },
  {
    kind: 'ticker',
    // The ticker has no article: the key only names the test (the demo feed is shared).
    html: (id) => `<bangtin-ticker id="${id}" feed="tin-moi"><p class="fallback">Tin mới cập nhật chưa tải được.</p></bangtin-ticker>`,
    placeholder: (id) => `<div id="${id}" data-bangtin="ticker" data-feed="tin-moi"><p class="fallback">Tin mới cập nhật chưa tải được.</p></div>`,
    /** Its headlines are links to their articles, and the reader can stop them. */
    async works(widget) {
      await expect(widget.locator('.track ul:not([inert]) a').first()).toHaveAttribute('href', /^https:\/\//);
      await expect(widget.locator('.fallback')).toBeHidden();
      await widget.getByRole('button', { name: 'Tạm dừng' }).click();
      await expect(widget.getByRole('button', { name: 'Tiếp tục' })).toBeVisible();
      await expect(widget.locator('.panel.held')).toHaveCount(1);
    },
  },
];
