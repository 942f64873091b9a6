// Breaking news at the moderation desk (/admin, "Tin nóng"): post an item with an expiry, edit it,
// unpin or pin it again, expire it now. Works under the desk's session (admin.js tells it when
// the desk opens, with the CSRF token); the routes are /api/v1/admin/breaking
// (crates/server/src/ticker/admin.rs). Titles and links reach the page through textContent only.
'use strict';

(() => {
  const API = '/api/v1/admin/breaking';
  const $ = (id) => document.getElementById(id);
  const el = {
    section: $('breaking'),
    form: $('breaking-form'),
    title: $('breaking-title-input'),
    url: $('breaking-url'),
    feed: $('breaking-feed'),
    expires: $('breaking-expires'),
    error: $('breaking-error'),
    submit: $('breaking-submit'),
    cancel: $('breaking-cancel'),
    announce: $('breaking-announce'),
    list: $('breaking-list'),
    empty: $('breaking-empty'),
    desk: $('desk'),
  };
  if (!el.section) return;

  const state = { csrf: null, items: [], feeds: [], editing: null };

  const timeParts = new Intl.DateTimeFormat('vi-VN', {
    day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });

  /** "13:46 28/11" in the moderator's own time (the form takes that time too). */
  function when(ms) {
    const p = {};
    for (const part of timeParts.formatToParts(new Date(ms))) p[part.type] = part.value;
    return `${p.hour}:${p.minute} ${p.day}/${p.month}`;
  }

  /** The value of a datetime-local field for `ms`, in local time. */
  function localValue(ms) {
    const d = new Date(ms);
    const two = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  function say(message) {
    el.announce.textContent = '';
    setTimeout(() => { el.announce.textContent = message; }, 50);
  }

  async function request(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['x-bangtin-csrf'] = state.csrf;
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch {
      throw Object.assign(new Error('network'), { status: 0, code: 'network' });
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const err = data && data.error ? data.error : {};
      throw Object.assign(new Error(err.message || `http_${res.status}`), { status: res.status, code: err.code || '' });
    }
    return data;
  }

  /** A write; a stale CSRF token is renewed once from the session. */
  async function write(method, path, body) {
    try {
      return await request(method, path, body);
    } catch (e) {
      if (e.status !== 403 || e.code !== 'csrf_failed') throw e;
      const session = await request('GET', '/api/v1/admin/session');
      state.csrf = session.csrf;
      return request(method, path, body);
    }
  }

  const FIELD_OF = {
    invalid_title: 'title', invalid_url: 'url', invalid_feed: 'feed', invalid_expires_at: 'expires',
  };
  const WORDS = {
    invalid_title: 'Tiêu đề phải có từ 1 đến 200 ký tự.',
    invalid_url: 'Đường dẫn phải là địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://.',
    invalid_feed: 'Dòng tin này không còn trên máy chủ. Hãy chọn lại.',
    invalid_expires_at: 'Thời điểm hết hạn phải nằm trong 30 ngày tới.',
    not_found: 'Không tìm thấy tin nóng này (có thể người khác vừa thay đổi). Danh sách đã được làm mới.',
    unauthorized: 'Phiên đăng nhập đã hết hạn. Vui lòng tải lại trang và đăng nhập lại.',
  };

  function problem(e, what) {
    if (e.status === 0) return `${what}: không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.`;
    if (WORDS[e.code]) return `${what}: ${WORDS[e.code]}`;
    if (e.status >= 500) return `${what}: máy chủ gặp lỗi (${e.status}). Vui lòng thử lại.`;
    return `${what}: ${e.message}.`;
  }

  function clearInvalid() {
    for (const input of [el.title, el.url, el.feed, el.expires]) input.removeAttribute('aria-invalid');
    el.error.textContent = '';
  }

  function invalid(field, message) {
    const input = { title: el.title, url: el.url, feed: el.feed, expires: el.expires }[field];
    el.error.textContent = message;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  function resetForm() {
    state.editing = null;
    el.form.reset();
    el.expires.value = localValue(Date.now() + 2 * 60 * 60 * 1000);
    el.submit.textContent = 'Đăng tin nóng';
    el.cancel.hidden = true;
    clearInvalid();
  }

  function renderFeeds() {
    const chosen = el.feed.value;
    while (el.feed.options.length > 1) el.feed.remove(1);
    for (const name of state.feeds) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = `Chỉ dòng tin “${name}”`;
      el.feed.append(option);
    }
    el.feed.value = state.feeds.includes(chosen) ? chosen : '';
  }

  function stateText(item) {
    if (item.live) return `Đang ghim · hết hạn lúc ${when(item.expires_at)}`;
    if (item.expires_at <= Date.now()) return `Đã hết hạn lúc ${when(item.expires_at)}`;
    return `Đã bỏ ghim · hết hạn lúc ${when(item.expires_at)}`;
  }

  function button(label, describedBy, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    b.textContent = label;
    b.setAttribute('aria-describedby', describedBy);
    b.addEventListener('click', onClick);
    return b;
  }

  function render() {
    el.list.textContent = '';
    el.empty.hidden = state.items.length > 0;
    for (const item of state.items) {
      const li = document.createElement('li');
      li.dataset.id = String(item.id);
      const titleId = `breaking-item-${item.id}`;
      const title = document.createElement('p');
      title.className = 'breaking-item-title';
      title.id = titleId;
      title.textContent = item.title;
      const status = document.createElement('p');
      status.className = item.live ? 'breaking-state live' : 'breaking-state';
      status.textContent = `${stateText(item)} · ${item.feed ? `dòng tin “${item.feed}”` : 'mọi dòng tin'}`;
      const actions = document.createElement('div');
      actions.className = 'breaking-actions';
      actions.append(button('Sửa', titleId, () => edit(item)));
      const expired = item.expires_at <= Date.now();
      if (!expired) {
        actions.append(item.pinned
          ? button('Bỏ ghim', titleId, () => change(item, 'PATCH', { pinned: false }, 'Đã bỏ ghim'))
          : button('Ghim lại', titleId, () => change(item, 'PATCH', { pinned: true }, 'Đã ghim lại')));
        actions.append(button('Cho hết hạn ngay', titleId, () => change(item, 'DELETE', undefined, 'Đã cho hết hạn')));
      }
      li.append(title, status, actions);
      el.list.append(li);
    }
  }

  async function load() {
    try {
      const data = await request('GET', API);
      state.items = Array.isArray(data.items) ? data.items : [];
      state.feeds = Array.isArray(data.feeds) ? data.feeds : [];
      renderFeeds();
      render();
    } catch (e) {
      el.error.textContent = problem(e, 'Chưa tải được tin nóng');
    }
  }

  function edit(item) {
    clearInvalid();
    state.editing = item.id;
    el.title.value = item.title;
    el.url.value = item.url;
    el.feed.value = item.feed || '';
    el.expires.value = localValue(Math.max(item.expires_at, Date.now() + 60 * 60 * 1000));
    el.submit.textContent = 'Lưu thay đổi';
    el.cancel.hidden = false;
    el.title.focus();
    say(`Đang sửa tin nóng: ${item.title}`);
  }

  async function change(item, method, body, done) {
    clearInvalid();
    try {
      await write(method, `${API}/${item.id}`, body);
      say(`${done}: ${item.title}`);
      await load();
      const again = el.list.querySelector(`li[data-id="${item.id}"] button`);
      if (again) again.focus();
    } catch (e) {
      el.error.textContent = problem(e, 'Chưa thay đổi được tin nóng');
      if (e.code === 'not_found') await load();
    }
  }

  el.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearInvalid();
    const title = el.title.value.trim();
    const url = el.url.value.trim();
    const expires = new Date(el.expires.value).getTime();
    if (!title) return invalid('title', 'Hãy nhập tiêu đề.');
    if (!/^https?:\/\/\S+$/i.test(url)) return invalid('url', WORDS.invalid_url);
    if (!Number.isFinite(expires) || expires <= Date.now()) return invalid('expires', WORDS.invalid_expires_at);
    const body = { title, url, feed: el.feed.value, expires_at: expires };
    const editing = state.editing;
    el.submit.disabled = true;
    try {
      if (editing) {
        body.pinned = true;
        await write('PATCH', `${API}/${editing}`, body);
        say(`Đã lưu và ghim: ${title}`);
      } else {
        await write('POST', API, body);
        say(`Đã đăng tin nóng: ${title}`);
      }
      resetForm();
      await load();
      el.title.focus();
    } catch (e) {
      const field = FIELD_OF[e.code];
      if (field) invalid(field, WORDS[e.code]);
      else el.error.textContent = problem(e, editing ? 'Chưa lưu được' : 'Chưa đăng được');
    } finally {
      el.submit.disabled = false;
    }
  });

  el.cancel.addEventListener('click', () => {
    resetForm();
    say('Đã hủy sửa.');
    el.title.focus();
  });

  // The desk's one-letter shortcuts act on feedback; here letters are only what they are.
  el.section.addEventListener('keydown', (event) => {
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.stopPropagation();
    }
  });

  document.addEventListener('bangtin:desk', (event) => {
    state.csrf = event.detail && event.detail.csrf;
    resetForm();
    load();
  });
  document.addEventListener('bangtin:logged-out', () => {
    state.csrf = null;
    state.items = [];
    render();
  });

  resetForm();
  // The desk may have opened before this script ran.
  if (el.desk && !el.desk.hidden) {
    request('GET', '/api/v1/admin/session').then((session) => {
      state.csrf = session.csrf;
      load();
    }, () => {});
  }
})();
