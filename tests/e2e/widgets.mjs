// Every widget, as the hostile-world tests see it: how a page places it, and how to tell it
// works. A new widget joins the hostile host pages (hostile.spec.mjs) and the API outages
// (outages.spec.mjs, for widgets that show data from the API: those with `shown`) with one
// entry here.
import { expect } from '@playwright/test';

export const widgets = [
  {
    kind: 'rating',
    /** The element a newspaper writes, with its fallback content. */
    html: (id, article) => `<bangtin-rating id="${id}" article="${article}"><p class="fallback">Bình chọn chưa tải được.</p></bangtin-rating>`,
    /** The same, as a placeholder for CMSs that strip unknown tags. */
    placeholder: (id, article) => `<div id="${id}" data-bangtin="rating" data-article="${article}"><p class="fallback">Bình chọn chưa tải được.</p></div>`,
    /** What is on screen once its data arrived. */
    shown: '.panel[data-phase=ready]',
    /** It shows its data and a reader can use it. */
    async works(widget) {
      await expect(widget.locator('.panel[data-phase=ready]')).toHaveCount(1);
      await widget.locator('[role=radio][aria-label="4 sao"]').click();
      await expect(widget.locator('[role=status]')).toHaveText('Cảm ơn bạn đã bình chọn.');
      await expect(widget.locator('.summary')).toHaveText(/1 lượt bình chọn$/);
    },
  },
  {
    kind: 'feedback',
    html: (id, article) => `<bangtin-feedback id="${id}" article="${article}"><p class="fallback">Ý kiến bạn đọc chưa tải được.</p></bangtin-feedback>`,
    placeholder: (id, article) => `<div id="${id}" data-bangtin="feedback" data-article="${article}"><p class="fallback">Ý kiến bạn đọc chưa tải được.</p></div>`,
    shown: '.panel:visible',
    /** Its list arrived (empty for a fresh article) and the form takes text. (No sorting here:
     * a new order is a request of its own, and these pages count the loader's requests.) */
    async works(widget) {
      await expect(widget.locator('.panel')).toBeVisible();
      await expect(widget.getByText('Chưa có phản hồi nào.')).toBeVisible();
      await widget.getByLabel('Họ và tên').fill('Bạn đọc thử');
      await widget.getByLabel('Nội dung phản hồi').fill('Mười ký tự trở lên.');
      await expect(widget.locator('#message-count')).toHaveText('19');
      await expect(widget.getByRole('button', { name: 'Mới nhất' })).toHaveAttribute('aria-pressed', 'true');
      await expect(widget.getByRole('button', { name: 'Gửi phản hồi' })).toBeVisible();
    },
  },
  {
    kind: 'ticker',
    // The ticker has no article: the key only names the test (the demo feed is shared).
    html: (id) => `<bangtin-ticker id="${id}" feed="tin-moi"><p class="fallback">Tin mới cập nhật chưa tải được.</p></bangtin-ticker>`,
    placeholder: (id) => `<div id="${id}" data-bangtin="ticker" data-feed="tin-moi"><p class="fallback">Tin mới cập nhật chưa tải được.</p></div>`,
    shown: '.track a',
    /** Its headlines are links to their articles, and the reader can stop them. */
    async works(widget) {
      await expect(widget.locator('.track ul:not([inert]) a').first()).toHaveAttribute('href', /^https:\/\//);
      await expect(widget.locator('.fallback')).toBeHidden();
      await widget.getByRole('button', { name: 'Tạm dừng' }).click();
      await expect(widget.getByRole('button', { name: 'Tiếp tục' })).toBeVisible();
      await expect(widget.locator('.panel.held')).toHaveCount(1);
    },
  },
  {
    kind: 'countdown',
    // No `shown`: it needs no data from the API (only the server's time, when it can get it),
    // so the API outages (outages.spec.mjs, widgets with `shown`) do not apply to it.
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
