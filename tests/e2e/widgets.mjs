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
    kind: 'countdown',
    /** A Tết banner; `article` names it, so tests never share a dismissal. */
    html: (id, article) => `<bangtin-countdown id="${id}" lunar="01-01" version="${article}"><p class="fallback">Đếm ngược Tết chưa tải được.</p></bangtin-countdown>`,
    placeholder: (id, article) => `<div id="${id}" data-bangtin="countdown" data-lunar="01-01" data-version="${article}"><p class="fallback">Đếm ngược Tết chưa tải được.</p></div>`,
    /** It counts, names its timer, and the reader can dismiss it. */
    async works(widget) {
      const timer = widget.getByRole('timer');
      await expect(timer).toHaveAttribute('aria-label', /^Thời gian còn lại đến Mùng 1 Tết /);
      await expect(timer.locator('.n').first()).toHaveText(/^\d+$/);
      await expect(widget.locator('.fallback')).toBeHidden();
      await widget.getByRole('button', { name: 'Ẩn' }).click();
      await expect(widget.locator('.panel')).toBeHidden();
    },
    /** In a sandboxed frame (storage throws, the API answers no CORS) it counts with the
     * device's clock, and dismissing still works for the page view. */
    async sandboxed(frame, messages) {
      await this.works(frame.locator('#w'));
      expect(messages).toEqual([]);
    },
  },
];
