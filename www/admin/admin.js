// The moderation desk (/admin): plain script, no build step, served under
// `script-src 'self'` with no inline code. Untrusted text (names, emails, messages, article
// keys, replies) only ever reaches the page through `textContent` and checked `href`s.
'use strict';

(() => {
  const API = '/api/v1/admin';
  const PAGE = 50;
  const STATUSES = ['pending', 'published', 'rejected', 'spam', 'deleted'];
  const STATUS_NAME = {
    pending: 'Chờ duyệt',
    published: 'Đã đăng',
    rejected: 'Đã từ chối',
    spam: 'Rác',
    deleted: 'Đã xóa',
  };
  const EMPTY = {
    pending: 'Không còn phản hồi nào chờ duyệt.',
    published: 'Chưa có phản hồi nào được đăng.',
    rejected: 'Không có phản hồi nào bị từ chối.',
    spam: 'Không có phản hồi nào bị đánh dấu rác.',
    deleted: 'Không có phản hồi nào đã xóa.',
  };
  // Per action: the button label, what it leads to, the past-tense sentence for announcements.
  const ACTIONS = {
    approve: { label: 'Duyệt', to: 'published', done: 'Đã duyệt' },
    reject: { label: 'Từ chối', to: 'rejected', done: 'Đã từ chối' },
    spam: { label: 'Đánh dấu rác', to: 'spam', done: 'Đã đánh dấu rác' },
    pending: { label: 'Chuyển về chờ duyệt', to: 'pending', done: 'Đã chuyển về chờ duyệt' },
    delete: { label: 'Xóa', to: 'deleted', done: 'Đã xóa' },
    restore: { label: 'Khôi phục', to: null, done: 'Đã khôi phục' },
  };
  // The action that puts an item back into a status (the inverse of a change, for undo).
  const BACK_TO = { published: 'approve', rejected: 'reject', spam: 'spam', pending: 'pending' };
  const KEY_ACTIONS = { a: 'approve', r: 'reject', s: 'spam', p: 'pending', d: 'delete' };
  // The audit log's action names (crates/server/src/feedback/store.rs), in words.
  const AUDIT_ACTIONS = {
    approve: 'duyệt', reject: 'từ chối', spam: 'đánh dấu rác', pending: 'chuyển về chờ duyệt',
    delete: 'xóa', restore: 'khôi phục', reply: 'trả lời', delete_reply: 'xóa trả lời',
    login: 'đăng nhập', logout: 'đăng xuất', export: 'xuất dữ liệu',
    moderator_add: 'thêm người kiểm duyệt', moderator_token: 'cấp mã đăng nhập mới',
    moderator_revoke: 'thu hồi người kiểm duyệt',
    breaking_post: 'đăng tin nóng', breaking_edit: 'sửa tin nóng', breaking_pin: 'ghim tin nóng',
    breaking_unpin: 'bỏ ghim tin nóng', breaking_expire: 'cho tin nóng hết hạn',
  };

  const $ = (id) => document.getElementById(id);
  const el = {
    loading: $('loading'),
    account: $('account'),
    whoName: $('who-name'),
    logout: $('logout'),
    loginView: $('login-view'),
    loginForm: $('login-form'),
    loginNotice: $('login-notice'),
    loginError: $('login-error'),
    loginSubmit: $('login-submit'),
    token: $('token'),
    desk: $('desk'),
    statusList: $('status-list'),
    filterForm: $('filter-form'),
    articleFilter: $('article-filter'),
    filterClear: $('filter-clear'),
    selectAll: $('select-all'),
    selectedCount: $('selected-count'),
    bulkActions: $('bulk-actions'),
    bulkReply: $('bulk-reply'),
    bulkReplyText: $('bulk-reply-text'),
    undo: $('undo'),
    undoWhat: $('undo-what'),
    refresh: $('refresh'),
    announce: $('announce'),
    error: $('error'),
    queueTitle: $('queue-title'),
    queueSummary: $('queue-summary'),
    items: $('items'),
    empty: $('empty'),
    more: $('more'),
    auditLoad: $('audit-load'),
    auditWrap: $('audit-wrap'),
    auditBody: $('audit-body'),
  };

  const state = {
    moderator: null,
    csrf: null,
    status: 'pending',
    article: '',
    items: [], // the loaded list, in the server's order (newest first)
    next: null,
    counts: {},
    currentId: null,
    selected: new Set(),
    drafts: new Map(), // feedback id → reply text being typed (survives re-renders and re-login)
    undo: [], // done actions, newest last: {kind:'status', changes:[{id,status,previous}]} | {kind:'reply', replies:[…]}
    loadSeq: 0,
  };
  const nodes = new Map(); // feedback id → <li>

  // ---------- Words and formats ----------

  const timeParts = new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit', month: '2-digit', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });

  /** "26/11/2026 13:46" in Vietnam's time, whatever the moderator's own zone. */
  function formatTime(ms) {
    const date = new Date(Number(ms));
    if (!Number.isFinite(date.getTime())) return '';
    const p = {};
    for (const part of timeParts.formatToParts(date)) p[part.type] = part.value;
    return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
  }

  function isoTime(ms) {
    const date = new Date(Number(ms));
    return Number.isFinite(date.getTime()) ? date.toISOString() : '';
  }

  const number = new Intl.NumberFormat('vi-VN');

  function items(n) {
    return `${number.format(n)} phản hồi`;
  }

  /** An article key may be linked only when it is an http(s) URL or a path on this site. */
  function articleHref(key) {
    if (typeof key !== 'string') return null;
    if (/^\/(?![/\\])/.test(key)) return key;
    if (!/^https?:\/\//i.test(key)) return null;
    try {
      const url = new URL(key);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function text(tag, content, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  // ---------- Talking to the server ----------

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message || code);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
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
      throw new ApiError(0, 'network');
    }
    if (res.status === 204) return null;
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const err = data && data.error ? data.error : {};
      throw new ApiError(res.status, err.code || `http_${res.status}`, err.message, res.headers.get('retry-after'));
    }
    if (data === null || typeof data !== 'object') throw new ApiError(res.status, 'bad_answer');
    return data;
  }

  /** A desk call: a lost session goes back to the login form; a stale CSRF token is renewed once. */
  async function call(method, path, body) {
    try {
      return await request(method, path, body);
    } catch (e) {
      if (e.status === 403 && e.code === 'csrf_failed') {
        const session = await request('GET', `${API}/session`).catch(() => null);
        if (session && session.csrf) {
          state.csrf = session.csrf;
          return request(method, path, body).catch(sessionLost);
        }
      }
      return sessionLost(e);
    }
  }

  function sessionLost(e) {
    if (e.status === 401) {
      showLogin('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại; những gì bạn đang viết vẫn được giữ.');
    }
    throw e;
  }

  /** What went wrong, for a person: `what` says what did not happen ("Chưa duyệt được"). */
  function problem(e, what) {
    if (e.status === 401) return '';
    if (e.status === 0) return `${what}: không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.`;
    if (e.status === 429) return `${what}: máy chủ đang bận. Vui lòng thử lại sau ${retrySeconds(e)} giây.`;
    if (e.status === 403) return `${what}: máy chủ từ chối yêu cầu. Hãy tải lại trang rồi thử lại.`;
    if (e.status >= 500) return `${what}: máy chủ gặp lỗi (${e.status}). Vui lòng thử lại.`;
    if (e.code === 'bad_answer') return `${what}: máy chủ trả lời không đúng dạng. Vui lòng thử lại.`;
    if (KNOWN_CODES[e.code]) return `${what}: ${KNOWN_CODES[e.code]}`;
    if (e.status === 404) return `${what}: không tìm thấy phản hồi (có thể người khác vừa thay đổi). Danh sách đã được làm mới.`;
    return `${what}: ${e.message || e.code}.`;
  }

  // Refusals a moderator can meet, in words (the server's messages are English, for developers).
  const KNOWN_CODES = {
    feedback_deleted: 'phản hồi này đã bị xóa (có thể bởi người khác). Danh sách đã được làm mới.',
    moderator_revoked: 'tài khoản kiểm duyệt này đã bị thu hồi.',
    invalid_message: 'nội dung trả lời phải từ 1 đến 3.000 ký tự.',
    invalid_ids: 'chọn từ 1 đến 100 phản hồi mỗi lần.',
  };

  function retrySeconds(e) {
    const n = Number.parseInt(e.retryAfter, 10);
    return Number.isFinite(n) && n > 0 ? n : 60;
  }

  function showError(message) {
    // Emptied first so that the same message twice is announced twice.
    el.error.textContent = '';
    if (message) setTimeout(() => { el.error.textContent = message; }, 50);
  }

  function announce(message) {
    el.announce.textContent = '';
    setTimeout(() => { el.announce.textContent = message; }, 50);
  }

  // ---------- Login and logout ----------

  function showLogin(notice) {
    state.moderator = null;
    state.csrf = null;
    el.loading.hidden = true;
    el.desk.hidden = true;
    el.account.hidden = true;
    el.loginView.hidden = false;
    el.loginNotice.textContent = notice || '';
    el.loginError.textContent = '';
    el.token.removeAttribute('aria-invalid');
    el.token.focus();
    document.dispatchEvent(new CustomEvent('bangtin:logged-out'));
  }

  function showDesk(session) {
    state.moderator = session.moderator;
    state.csrf = session.csrf;
    el.whoName.textContent = session.moderator && session.moderator.name ? session.moderator.name : '';
    el.loading.hidden = true;
    el.loginView.hidden = true;
    el.account.hidden = false;
    el.desk.hidden = false;
    // The login field just hid still holds the focus until the browser notices: a shortcut
    // pressed at once ("/") would be typed into it. The queue's heading takes it now; the list,
    // once loaded, takes it from there unless the moderator moved it meanwhile.
    if (el.loginView.contains(document.activeElement)) el.queueTitle.focus();
    // Other sections of the desk (breaking news, breaking.js) work under the same session.
    document.dispatchEvent(new CustomEvent('bangtin:desk', { detail: { csrf: state.csrf } }));
  }

  el.loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = el.token.value.trim();
    // The token is a secret: it leaves the field as soon as it is read.
    el.token.value = '';
    el.loginNotice.textContent = '';
    if (!token) {
      loginFailed('Hãy nhập mã đăng nhập.');
      return;
    }
    el.loginSubmit.disabled = true;
    el.loginError.textContent = '';
    try {
      const session = await request('POST', `${API}/login`, { token });
      showDesk(session);
      announce(`Đã đăng nhập: ${session.moderator ? session.moderator.name : ''}.`);
      await load({ focus: 'queue' });
    } catch (e) {
      if (e.status === 401) loginFailed('Mã đăng nhập không đúng, đã bị thu hồi hoặc đã được dùng. Mỗi mã chỉ dùng được một lần.');
      else if (e.status === 429) loginFailed(`Đã thử đăng nhập quá nhiều lần. Vui lòng chờ ${retrySeconds(e)} giây rồi thử lại.`);
      else if (e.status === 0) loginFailed('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.');
      else if (e.status >= 500) loginFailed(`Máy chủ gặp lỗi (${e.status}). Vui lòng thử lại.`);
      else loginFailed(`Không đăng nhập được: ${e.message || e.code}.`);
    } finally {
      el.loginSubmit.disabled = false;
    }
  });

  function loginFailed(message) {
    el.loginError.textContent = message;
    el.token.setAttribute('aria-invalid', 'true');
    el.token.focus();
  }

  el.logout.addEventListener('click', async () => {
    try {
      await request('POST', `${API}/logout`);
    } catch (e) {
      if (e.status !== 401) {
        showError(problem(e, 'Chưa đăng xuất được'));
        return;
      }
    }
    state.items = [];
    state.selected.clear();
    state.drafts.clear();
    state.undo = [];
    state.currentId = null;
    for (const node of nodes.values()) node.remove();
    nodes.clear();
    el.bulkReplyText.value = '';
    el.auditBody.textContent = '';
    el.auditWrap.hidden = true;
    updateUndo();
    showLogin('Đã đăng xuất.');
  });

  // ---------- Loading the list ----------

  /**
   * Loads the first page of the chosen status (and article). `focus`: 'queue' puts focus on the
   * current item (or the list's heading), an id focuses that item, undefined keeps focus where it is.
   */
  async function load({ focus, append = false } = {}) {
    const seq = ++state.loadSeq;
    // Focus is moved only if the moderator has not moved it while the list was on its way.
    const focusBefore = document.activeElement;
    const params = new URLSearchParams({ status: state.status, limit: String(PAGE) });
    if (state.article) params.set('article', state.article);
    if (append && state.next) params.set('before', state.next);
    el.items.setAttribute('aria-busy', 'true');
    let page;
    try {
      page = await call('GET', `${API}/feedback?${params}`);
    } catch (e) {
      if (seq === state.loadSeq) {
        el.items.removeAttribute('aria-busy');
        showError(problem(e, 'Chưa tải được danh sách'));
      }
      return false;
    }
    if (seq !== state.loadSeq) return false; // a newer load won
    el.items.removeAttribute('aria-busy');
    showError('');
    const list = Array.isArray(page.items) ? page.items.filter((i) => i && typeof i.id === 'string') : [];
    if (append) {
      const have = new Set(state.items.map((i) => i.id));
      state.items = state.items.concat(list.filter((i) => !have.has(i.id)));
    } else {
      state.items = list;
    }
    state.next = page.next || null;
    if (page.counts) state.counts = page.counts;
    const ids = new Set(state.items.map((i) => i.id));
    for (const id of state.selected) if (!ids.has(id)) state.selected.delete(id);
    if (!ids.has(state.currentId)) state.currentId = state.items.length ? state.items[0].id : null;
    if (typeof focus === 'string' && focus !== 'queue' && ids.has(focus)) state.currentId = focus;
    render();
    const focusStayed = document.activeElement === focusBefore || document.activeElement === document.body
      || !document.activeElement;
    if (focusStayed && (focus === 'queue' || (typeof focus === 'string' && ids.has(focus)))) focusCurrent();
    return true;
  }

  /** Only the counts (a one-item page carries them), after an action changed them. */
  async function refreshCounts() {
    const params = new URLSearchParams({ status: state.status, limit: '1' });
    if (state.article) params.set('article', state.article);
    try {
      const page = await call('GET', `${API}/feedback?${params}`);
      if (page.counts) {
        state.counts = page.counts;
        renderCounts();
      }
    } catch {
      // The local counts stay; the next load corrects them.
    }
  }

  // ---------- Rendering ----------

  function render() {
    renderCounts();
    for (const button of el.statusList.querySelectorAll('button[data-status]')) {
      button.setAttribute('aria-pressed', String(button.dataset.status === state.status));
    }
    const title = STATUS_NAME[state.status] + (state.article ? ` · bài “${state.article}”` : '');
    el.queueTitle.textContent = title;
    document.title = `${STATUS_NAME[state.status]} – Bàn kiểm duyệt phản hồi – bangtin`;
    for (const button of el.bulkActions.querySelectorAll('button[data-bulk]')) {
      const action = button.dataset.bulk;
      button.hidden = state.status === 'deleted' ? action !== 'restore' : action === 'restore' || ACTIONS[action].to === state.status;
    }
    el.bulkReply.hidden = state.status === 'deleted';
    renderList();
    renderSelection();
  }

  function renderCounts() {
    for (const status of STATUSES) {
      const node = el.statusList.querySelector(`[data-count="${status}"]`);
      const n = Number(state.counts[status]);
      node.textContent = number.format(Number.isFinite(n) && n > 0 ? n : 0);
    }
    const shown = state.items.length;
    const total = Number(state.counts[state.status]);
    el.queueSummary.textContent = state.article || !Number.isFinite(total)
      ? `Đang hiện ${items(shown)}.`
      : `Đang hiện ${number.format(shown)} trên ${items(total)}.`;
  }

  /** Keyed update: nodes of items still listed are kept (with their reply drafts and focus). */
  function renderList() {
    const active = document.activeElement;
    const keep = new Set(state.items.map((i) => i.id));
    for (const [id, node] of nodes) {
      if (!keep.has(id)) {
        node.remove();
        nodes.delete(id);
      }
    }
    let before = el.items.firstElementChild;
    for (const item of state.items) {
      let node = nodes.get(item.id);
      const data = JSON.stringify(item);
      if (!node) {
        node = buildItem(item);
        nodes.set(item.id, node);
      } else if (node.dataset.json !== data) {
        fillItem(node, item);
      }
      node.dataset.json = data;
      if (node !== before) el.items.insertBefore(node, before);
      else before = before.nextElementSibling;
      const current = item.id === state.currentId;
      node.classList.toggle('is-current', current);
      if (current) node.setAttribute('aria-current', 'true');
      else node.removeAttribute('aria-current');
      node.tabIndex = current ? 0 : -1;
      const box = node.querySelector('.select');
      box.checked = state.selected.has(item.id);
      node.classList.toggle('is-selected', box.checked);
    }
    el.empty.hidden = state.items.length > 0;
    el.empty.textContent = state.items.length ? '' : EMPTY[state.status] + (state.article ? ' (với bài viết đang lọc)' : '');
    el.more.hidden = !state.next;
    if (active && active !== document.activeElement && active.isConnected) active.focus();
    // A control that was rebuilt under the focus: the focus goes to its item, never to <body>.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost && active && active !== document.body && !active.isConnected) focusCurrent();
  }

  function buildItem(item) {
    const node = document.createElement('li');
    node.className = 'item';
    node.dataset.id = item.id;
    const article = document.createElement('article');
    article.className = 'item-card';
    const headingId = `item-${cssId(item.id)}-name`;
    article.setAttribute('aria-labelledby', headingId);
    node.append(article);

    const select = document.createElement('div');
    select.className = 'check item-check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'select';
    box.id = `item-${cssId(item.id)}-select`;
    const label = document.createElement('label');
    label.htmlFor = box.id;
    label.append(text('span', 'Chọn'), text('span', ` phản hồi của ${item.name || 'bạn đọc'}`, 'visually-hidden'));
    select.append(box, label);

    const body = document.createElement('div');
    body.className = 'item-body';

    const actions = document.createElement('div');
    actions.className = 'item-actions';
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', 'Thao tác');

    const reply = document.createElement('form');
    reply.className = 'reply-form';
    reply.action = '/admin';
    reply.method = 'post';
    const replyId = `item-${cssId(item.id)}-reply`;
    const replyLabel = document.createElement('label');
    replyLabel.htmlFor = replyId;
    replyLabel.textContent = 'Trả lời của tòa soạn';
    const area = document.createElement('textarea');
    area.id = replyId;
    area.className = 'reply-text';
    area.name = 'message';
    area.rows = 2;
    area.maxLength = 3000;
    area.value = state.drafts.get(item.id) || '';
    area.setAttribute('aria-describedby', 'bulk-reply-hint');
    const send = text('button', 'Gửi trả lời', 'button');
    send.type = 'submit';
    reply.append(replyLabel, area, send);

    article.append(select, body, actions, reply);
    fillItem(node, item);
    return node;
  }

  /** Everything of an item that the server's data decides (not its reply draft). */
  function fillItem(node, item) {
    const id = cssId(item.id);
    const body = node.querySelector('.item-body');
    body.textContent = '';

    const head = document.createElement('header');
    head.className = 'item-head';
    const name = text('h3', item.name || '(không tên)', 'item-name');
    name.id = `item-${id}-name`;
    head.append(name);
    const meta = document.createElement('p');
    meta.className = 'item-meta';
    if (item.email) {
      meta.append(text('span', 'Email: ', 'visually-hidden'), text('span', item.email, 'item-email'));
    } else {
      meta.append(text('span', 'Không để lại email', 'item-email item-email-none'));
    }
    const time = text('time', formatTime(item.created_at), 'item-time');
    time.dateTime = isoTime(item.created_at);
    meta.append(time);
    const likes = Number(item.likes) || 0;
    if (likes > 0) meta.append(text('span', `${number.format(likes)} lượt thích`, 'item-likes'));
    if (item.status && item.status !== state.status) {
      meta.append(text('span', STATUS_NAME[item.status] || item.status, 'badge'));
    }
    head.append(meta);

    const where = document.createElement('p');
    where.className = 'item-article';
    where.append(text('span', 'Bài viết: '));
    const href = articleHref(item.article);
    if (href) {
      const link = text('a', item.article);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.append(text('span', ' (mở thẻ mới)', 'visually-hidden'));
      where.append(link);
    } else {
      where.append(text('span', item.article, 'item-article-key'));
    }
    head.append(where);
    body.append(head);

    if (Array.isArray(item.reasons) && item.reasons.length) {
      const reasons = document.createElement('p');
      reasons.className = 'item-reasons';
      reasons.append(text('span', 'Lý do bị coi là rác: ', 'reasons-label'), text('span', item.reasons.map(reasonText).join('; ')));
      body.append(reasons);
    }

    // `white-space: pre-wrap` keeps the reader's line breaks; the text stays text.
    body.append(text('p', item.message, 'item-message'));

    if (Array.isArray(item.replies) && item.replies.length) {
      const section = document.createElement('section');
      section.className = 'replies';
      section.setAttribute('aria-label', 'Tòa soạn trả lời');
      section.append(text('h4', 'Tòa soạn trả lời', 'replies-title'));
      const list = document.createElement('ul');
      list.className = 'reply-list';
      for (const r of item.replies) {
        const li = document.createElement('li');
        li.className = 'reply';
        const by = document.createElement('p');
        by.className = 'reply-meta';
        const who = r.moderator && typeof r.moderator === 'object' ? r.moderator.name : r.moderator;
        if (who) by.append(text('span', who, 'reply-who'));
        const t = text('time', formatTime(r.created_at));
        t.dateTime = isoTime(r.created_at);
        by.append(t);
        li.append(by, text('p', r.message, 'reply-message'));
        list.append(li);
      }
      section.append(list);
      body.append(section);
    }

    const actions = node.querySelector('.item-actions');
    actions.textContent = '';
    const names = item.status === 'deleted'
      ? ['restore']
      : ['approve', 'reject', 'spam', 'pending', 'delete'].filter((a) => ACTIONS[a].to !== item.status);
    for (const action of names) {
      const button = text('button', ACTIONS[action].label, `button action-${action}`);
      button.type = 'button';
      button.dataset.action = action;
      actions.append(button);
    }
    node.querySelector('.reply-form').hidden = item.status === 'deleted';
    node.querySelector('.select + label .visually-hidden').textContent = ` phản hồi của ${item.name || 'bạn đọc'}`;
  }

  function reasonText(reason) {
    const known = {
      honeypot: 'điền vào ô bẫy dành cho máy',
      too_fast: 'gửi quá nhanh sau khi mở biểu mẫu',
      links: 'quá nhiều liên kết',
      duplicate: 'trùng nội dung vừa gửi',
      reader_burst: 'một người gửi dồn dập',
    };
    return known[reason] ? `${known[reason]} (${reason})` : String(reason);
  }

  function cssId(id) {
    return String(id).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  function renderSelection() {
    const n = state.selected.size;
    el.selectedCount.textContent = n ? `Đã chọn ${items(n)}` : 'Chưa chọn mục nào';
    const total = state.items.length;
    el.selectAll.checked = total > 0 && n === total;
    el.selectAll.indeterminate = n > 0 && n < total;
    for (const [id, node] of nodes) {
      const on = state.selected.has(id);
      node.querySelector('.select').checked = on;
      node.classList.toggle('is-selected', on);
    }
  }

  // ---------- The current item ----------

  function indexOf(id) {
    return state.items.findIndex((i) => i.id === id);
  }

  function setCurrent(id) {
    if (state.currentId === id) return;
    const old = nodes.get(state.currentId);
    if (old) {
      old.classList.remove('is-current');
      old.removeAttribute('aria-current');
      old.tabIndex = -1;
    }
    state.currentId = id;
    const node = nodes.get(id);
    if (node) {
      node.classList.add('is-current');
      node.setAttribute('aria-current', 'true');
      node.tabIndex = 0;
    }
  }

  /** Focus on the current item, or on the list's "empty" line: never lost to <body>. */
  function focusCurrent() {
    const node = nodes.get(state.currentId);
    if (node) {
      node.focus();
      node.scrollIntoView({ block: 'nearest' });
    } else if (!el.empty.hidden) {
      el.empty.focus();
    } else {
      el.queueTitle.focus();
    }
  }

  function move(step) {
    if (!state.items.length) return;
    let i = indexOf(state.currentId);
    i = i < 0 ? 0 : Math.min(state.items.length - 1, Math.max(0, i + step));
    setCurrent(state.items[i].id);
    focusCurrent();
  }

  el.items.addEventListener('focusin', (event) => {
    const node = event.target.closest('li.item');
    if (node) setCurrent(node.dataset.id);
  });

  // ---------- Actions ----------

  /** The ids an action applies to: the selection if there is one, else the current item. */
  function targets() {
    if (state.selected.size) return state.items.filter((i) => state.selected.has(i.id)).map((i) => i.id);
    return state.currentId && indexOf(state.currentId) >= 0 ? [state.currentId] : [];
  }

  // Actions run one after another, in the order asked: a second key pressed while the first
  // action is on its way acts on what is current once the first is done.
  let chain = Promise.resolve();
  function enqueue(job) {
    const run = chain.then(job);
    chain = run.catch(() => {});
    return run;
  }

  /** `ids`: a list, or a function that picks them when the action's turn comes. */
  function act(action, ids) {
    return enqueue(() => runAction(action, typeof ids === 'function' ? ids() : ids));
  }

  async function runAction(action, ids) {
    if (!ids.length) {
      announce('Chưa chọn phản hồi nào.');
      return;
    }
    const info = ACTIONS[action];
    // Nothing to do for items already there (a on a published item, say).
    const todo = ids.filter((id) => {
      const item = state.items.find((i) => i.id === id);
      return !item || action === 'restore' ? true : info.to !== item.status && item.status !== 'deleted';
    });
    if (!todo.length) {
      const deleted = ids.some((id) => (state.items.find((i) => i.id === id) || {}).status === 'deleted');
      announce(deleted
        ? 'Phản hồi đã xóa chỉ có thể khôi phục (nút “Khôi phục” hoặc phím d).'
        : `Phản hồi này đã ở mục “${STATUS_NAME[info.to]}”.`);
      return;
    }
    const focusWasInList = el.items.contains(document.activeElement) || document.activeElement === document.body;
    const firstIndex = Math.min(...todo.map(indexOf).filter((i) => i >= 0));
    let answer;
    try {
      answer = await call('POST', `${API}/feedback/actions`, { action, ids: todo });
    } catch (e) {
      showError(problem(e, `Chưa ${info.label.toLowerCase()} được`));
      if (e.status === 404 || e.status === 409) await load();
      return;
    }
    showError('');
    const changes = (Array.isArray(answer.updated) ? answer.updated : []).filter((u) => u && u.id);
    applyChanges(changes, firstIndex);
    if (changes.length) {
      state.undo.push({ kind: 'status', action, changes });
      updateUndo();
    }
    const n = changes.length;
    announce(n
      ? `${info.done} ${items(n)}. Nhấn u để hoàn tác.`
      : 'Không có phản hồi nào thay đổi.');
    if (focusWasInList) focusCurrent();
    refreshCounts();
  }

  /** Applies {id,status,previous} changes to the list: items that leave the view go away. */
  function applyChanges(changes, firstIndex) {
    for (const change of changes) {
      const item = state.items.find((i) => i.id === change.id);
      if (item) item.status = change.status;
      if (change.previous && state.counts[change.previous] > 0) state.counts[change.previous] -= 1;
      if (change.status) state.counts[change.status] = (Number(state.counts[change.status]) || 0) + 1;
      state.selected.delete(change.id);
    }
    const before = state.items;
    state.items = before.filter((i) => i.status === state.status);
    if (indexOf(state.currentId) < 0) {
      // The next item takes the place of the one that left, or the last one if it was last.
      const start = Number.isFinite(firstIndex) ? firstIndex : 0;
      const after = before.slice(start).find((i) => i.status === state.status);
      const next = after || state.items[state.items.length - 1];
      state.currentId = next ? next.id : null;
    }
    render();
    if (!state.items.length && state.next) load({ focus: 'queue' });
  }

  async function reply(ids, message, { area } = {}) {
    const clean = message.trim();
    if (!ids.length) {
      announce('Chưa chọn phản hồi nào để trả lời.');
      return false;
    }
    if (!clean) {
      announce('Hãy viết nội dung trả lời.');
      if (area) area.focus();
      return false;
    }
    let answer;
    try {
      answer = await call('POST', `${API}/replies`, { ids, message: clean });
    } catch (e) {
      // The text stays where it was typed.
      showError(problem(e, 'Chưa gửi được trả lời'));
      return false;
    }
    showError('');
    const replies = (Array.isArray(answer.replies) ? answer.replies : []).filter((r) => r && r.id);
    for (const r of replies) {
      const item = state.items.find((i) => i.id === r.feedback_id);
      if (!item) continue;
      item.replies = (item.replies || []).concat({
        id: r.id, message: r.message, created_at: r.created_at, moderator: state.moderator ? state.moderator.name : '',
      });
      state.drafts.delete(item.id);
    }
    if (replies.length) {
      state.undo.push({ kind: 'reply', replies });
      updateUndo();
    }
    renderList();
    announce(`Đã gửi trả lời cho ${items(replies.length)}. Nhấn u để hoàn tác.`);
    return true;
  }

  async function undo() {
    const last = state.undo[state.undo.length - 1];
    if (!last) {
      announce('Không có thao tác nào để hoàn tác.');
      return;
    }
    let restored = [];
    try {
      if (last.kind === 'status') {
        // Each item goes back to where it was: one request per earlier status.
        const groups = new Map();
        for (const change of last.changes) {
          let back = BACK_TO[change.previous];
          if (change.status === 'deleted') back = 'restore';
          else if (change.previous === 'deleted') back = 'delete';
          if (!back) continue;
          if (!groups.has(back)) groups.set(back, []);
          groups.get(back).push(change.id);
        }
        for (const [action, ids] of groups) {
          const answer = await call('POST', `${API}/feedback/actions`, { action, ids });
          restored = restored.concat((answer.updated || []).map((u) => u.id));
          // What is done is not undone twice if a later group fails.
          last.changes = last.changes.filter((c) => !ids.includes(c.id));
        }
      } else {
        while (last.replies.length) {
          const r = last.replies[0];
          await call('DELETE', `${API}/replies/${encodeURIComponent(r.id)}`);
          last.replies.shift();
          restored.push(r.feedback_id);
          const item = state.items.find((i) => i.id === r.feedback_id);
          if (item && item.replies) item.replies = item.replies.filter((x) => x.id !== r.id);
        }
      }
    } catch (e) {
      showError(problem(e, 'Chưa hoàn tác được'));
      return;
    }
    state.undo.pop();
    updateUndo();
    showError('');
    const what = last.kind === 'status' ? `thao tác “${ACTIONS[last.action].label}”` : 'trả lời';
    announce(`Đã hoàn tác ${what} (${items(restored.length || 1)}).`);
    const focusId = restored.find(Boolean);
    if (last.kind === 'status') {
      await load({ focus: focusId });
      if (!nodes.has(focusId)) focusCurrent();
    } else {
      renderList();
      if (focusId && nodes.has(focusId)) {
        setCurrent(focusId);
        focusCurrent();
      }
    }
  }

  function updateUndo() {
    const last = state.undo[state.undo.length - 1];
    el.undo.disabled = !last;
    if (!last) el.undoWhat.textContent = 'Chưa có thao tác nào để hoàn tác.';
    else if (last.kind === 'status') el.undoWhat.textContent = `Thao tác vừa làm: ${ACTIONS[last.action].label} (${items(last.changes.length)}).`;
    else el.undoWhat.textContent = `Thao tác vừa làm: trả lời (${items(last.replies.length)}).`;
  }

  // ---------- Events ----------

  el.statusList.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-status]');
    if (button) chooseStatus(button.dataset.status, button);
  });

  function chooseStatus(status, focusAfter) {
    if (!STATUSES.includes(status)) return;
    state.status = status;
    state.selected.clear();
    state.currentId = null;
    state.next = null;
    state.items = [];
    render();
    load({ focus: focusAfter ? undefined : 'queue' });
  }

  el.filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    state.article = el.articleFilter.value.trim();
    state.selected.clear();
    state.currentId = null;
    load({ focus: 'queue' });
  });

  el.filterClear.addEventListener('click', () => {
    el.articleFilter.value = '';
    state.article = '';
    state.selected.clear();
    state.currentId = null;
    load();
  });

  el.selectAll.addEventListener('change', () => {
    if (el.selectAll.checked) for (const i of state.items) state.selected.add(i.id);
    else state.selected.clear();
    renderSelection();
  });

  el.items.addEventListener('change', (event) => {
    if (!event.target.classList.contains('select')) return;
    const id = event.target.closest('li.item').dataset.id;
    if (event.target.checked) state.selected.add(id);
    else state.selected.delete(id);
    renderSelection();
  });

  el.items.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = button.closest('li.item').dataset.id;
    setCurrent(id);
    act(button.dataset.action, [id]);
  });

  el.items.addEventListener('input', (event) => {
    if (!event.target.classList.contains('reply-text')) return;
    state.drafts.set(event.target.closest('li.item').dataset.id, event.target.value);
  });

  el.items.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const node = form.closest('li.item');
    const area = form.querySelector('textarea');
    if (await enqueue(() => reply([node.dataset.id], area.value, { area }))) {
      area.value = '';
      if (node.isConnected) {
        setCurrent(node.dataset.id);
        focusCurrent();
      }
    }
  });

  el.bulkActions.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-bulk]');
    if (!button) return;
    const ids = state.items.filter((i) => state.selected.has(i.id)).map((i) => i.id);
    act(button.dataset.bulk, ids);
  });

  el.bulkReply.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ids = state.items.filter((i) => state.selected.has(i.id)).map((i) => i.id);
    if (await enqueue(() => reply(ids, el.bulkReplyText.value, { area: el.bulkReplyText }))) {
      el.bulkReplyText.value = '';
      state.selected.clear();
      renderSelection();
    }
  });

  el.undo.addEventListener('click', () => enqueue(undo));
  el.refresh.addEventListener('click', () => load());
  el.more.addEventListener('click', async () => {
    const firstNew = state.items.length;
    if (await load({ append: true })) {
      const item = state.items[firstNew];
      if (item) {
        setCurrent(item.id);
        focusCurrent();
      } else {
        focusCurrent();
      }
    }
  });

  el.auditLoad.addEventListener('click', async () => {
    let answer;
    try {
      answer = await call('GET', `${API}/audit?limit=50`);
    } catch (e) {
      showError(problem(e, 'Chưa tải được nhật ký'));
      return;
    }
    el.auditBody.textContent = '';
    for (const entry of Array.isArray(answer.entries) ? answer.entries : []) {
      const row = document.createElement('tr');
      const who = entry.moderator && typeof entry.moderator === 'object' ? entry.moderator.name : entry.moderator;
      const t = text('time', formatTime(entry.at));
      t.dateTime = isoTime(entry.at);
      const when = document.createElement('td');
      when.append(t);
      row.append(when, text('td', who || ''), text('td', AUDIT_ACTIONS[entry.action] || entry.action), text('td', entry.feedback_id || ''));
      el.auditBody.append(row);
    }
    if (!el.auditBody.childElementCount) {
      const row = document.createElement('tr');
      const cell = text('td', 'Chưa có thao tác nào.');
      cell.colSpan = 4;
      row.append(cell);
      el.auditBody.append(row);
    }
    el.auditWrap.hidden = false;
    el.auditLoad.textContent = 'Tải lại nhật ký';
    announce('Đã tải nhật ký kiểm duyệt.');
  });

  /** Fields where letters are text, not shortcuts. */
  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable || target.closest('textarea, select, [contenteditable]')) return true;
    if (target.tagName !== 'INPUT') return false;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }

  document.addEventListener('keydown', (event) => {
    if (el.desk.hidden || event.defaultPrevented || event.isComposing) return;
    const target = event.target;

    // In a reply box: Ctrl+Enter sends, Escape goes back to the item; everything else is text.
    if (target instanceof HTMLTextAreaElement) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        target.form.requestSubmit();
      } else if (event.key === 'Escape') {
        const node = target.closest('li.item');
        if (node) {
          event.preventDefault();
          setCurrent(node.dataset.id);
          focusCurrent();
        }
      }
      return;
    }
    if (typing(target)) {
      if (event.key === 'Escape' && target === el.articleFilter) {
        event.preventDefault();
        focusCurrent();
      }
      return;
    }

    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      enqueue(undo);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;

    // Caps Lock does not change what a letter means here.
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      move(key === 'j' ? 1 : -1);
    } else if (KEY_ACTIONS[key]) {
      event.preventDefault();
      const action = state.status === 'deleted' && key === 'd' ? 'restore' : KEY_ACTIONS[key];
      act(action, targets);
    } else if (key === 'u') {
      event.preventDefault();
      enqueue(undo);
    } else if (key === 'x') {
      if (!state.currentId) return;
      event.preventDefault();
      const id = state.currentId;
      if (state.selected.has(id)) state.selected.delete(id);
      else state.selected.add(id);
      renderSelection();
      announce(state.selected.has(id) ? `Đã chọn. ${el.selectedCount.textContent}.` : `Đã bỏ chọn. ${el.selectedCount.textContent}.`);
    } else if (key === 't') {
      const node = nodes.get(state.currentId);
      const area = node && node.querySelector('textarea');
      if (area && !area.closest('form').hidden) {
        event.preventDefault();
        area.focus();
      }
    } else if (key === '/') {
      event.preventDefault();
      el.articleFilter.focus();
      el.articleFilter.select();
    } else if (/^[1-5]$/.test(key)) {
      event.preventDefault();
      chooseStatus(STATUSES[Number(key) - 1]);
    }
  });

  // ---------- Start ----------

  async function start() {
    try {
      const session = await request('GET', `${API}/session`);
      showDesk(session);
      await load();
    } catch (e) {
      if (e.status === 401) showLogin('');
      else if (e.status === 0) showLogin('Không kết nối được máy chủ. Kiểm tra mạng rồi tải lại trang.');
      else showLogin(`Không kiểm tra được phiên đăng nhập (${e.status || e.code}). Bạn có thể đăng nhập lại.`);
    }
  }

  updateUndo();
  start();
})();
