// The console's shell: first-run setup, sign-in, navigation, heat pump selector, device and control pages.
import { t, h, clear, api, ApiError, setCsrf, whenUnauthorized, language, setLanguage, LANGS, fmtNumber, fmtTime,
  confirmDialog, toast, clearToasts, errorBox, fmtReading, label as words } from './core.js';
import { themeToggle } from './theme.js';

const root = document.getElementById('app');
const session = { user: null, devices: [] };
let pageCleanup = [];

export const can = {
  write: () => session.user && (session.user.role === 'operator' || session.user.role === 'admin'),
  admin: () => session.user && session.user.role === 'admin',
};

/** Runs fn now and every ms until the page changes. */
export function every(ms, fn) {
  // a failed refresh (gateway restarting, session gone) is retried next time; a 401 already leads to the login
  const run = () => Promise.resolve().then(fn).catch(e => { if (e.status !== 401) console.warn(e.message); });
  run();
  const id = setInterval(run, ms);
  pageCleanup.push(() => clearInterval(id));
}

function leavePage() {
  pageCleanup.forEach(fn => fn());
  pageCleanup = [];
}
export function onLeave(fn) { pageCleanup.push(fn); }

// ---------------------------------------------------------------- start

async function boot() {
  whenUnauthorized(() => { if (session.user) { session.user = null; showLogin(); } });
  let setupNeeded = false;
  try { setupNeeded = (await api('GET', '/setup')).needed; } catch (e) { if (!(e instanceof ApiError)) throw e; }
  if (setupNeeded) return showSetup();
  try {
    signedIn(await api('GET', '/me'));
  } catch {
    showLogin();
  }
}

function signedIn(me) {
  session.user = me;
  setCsrf(me.csrf_token || null);
  window.addEventListener('hashchange', route);
  route();
}

function centered(...content) {
  return clear(root, h('main.center', h('div.card.narrow', h('h1.brand', t('app')), ...content), h('div.row', langSwitch(), themeToggle())));
}

function showSetup() {
  const user = h('input#setup-user', { name: 'username', autocomplete: 'username', required: true, value: 'admin' });
  const pw = h('input#setup-password', { type: 'password', autocomplete: 'new-password', required: true, minLength: 8 });
  const pw2 = h('input#setup-password2', { type: 'password', autocomplete: 'new-password', required: true });
  const msg = h('div');
  const form = h('form#setup-form', {
    onsubmit: async ev => {
      ev.preventDefault();
      if (pw.value !== pw2.value) return clear(msg, errorBox(t('passwords_differ')));
      try {
        await api('POST', '/setup', { username: user.value.trim(), password: pw.value });
        toast(t('setup_done'));
        await login(user.value.trim(), pw.value, msg);
      } catch (e) { clear(msg, errorBox(e)); }
    },
  }, h('h2', t('setup_title')), h('p', t('setup_intro')),
  field(t('username'), user), field(t('password'), pw), field(t('password_repeat'), pw2), msg,
  h('button.primary', { type: 'submit' }, t('create')));
  centered(form);
  user.focus();
}

async function login(username, password, msg) {
  try {
    const me = await api('POST', '/login', { username, password });
    const section = location.hash.replace(/^#\/?/, '').split('/')[0];
    // a deep link is kept, except to a page the new user's role cannot open
    if (!location.hash || (ADMIN_ONLY.includes(section) && me.role !== 'admin')) location.hash = '#/';
    signedIn(me);
  } catch (e) { clear(msg, errorBox(e)); }
}

function showLogin() {
  window.removeEventListener('hashchange', route);
  leavePage();
  clearToasts();
  const user = h('input#login-user', { name: 'username', autocomplete: 'username', required: true });
  const pw = h('input#login-password', { type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div');
  centered(h('form#login-form', { onsubmit: ev => { ev.preventDefault(); login(user.value.trim(), pw.value, msg); } },
    h('h2', t('login')), field(t('username'), user), field(t('password'), pw), msg,
    h('button.primary', { type: 'submit' }, t('login'))));
  user.focus();
}

export function field(label, input, hint) {
  return h('label.field', h('span', label), input, hint ? h('small', hint) : null);
}

function langSwitch() {
  return h('select.lang', { 'aria-label': t('language'), onchange: ev => { setLanguage(ev.target.value); session.user ? route() : boot(); } },
    LANGS.map(l => h('option', { value: l, selected: l === language() }, l.toUpperCase())));
}

// ---------------------------------------------------------------- shell

const ADMIN_ONLY = ['bundles', 'users', 'backups', 'add'];
const NAV = [
  ['#/', 'devices'], ['#/dashboards', 'dashboards'], ['#/control', 'control'], ['#/jobs', 'jobs'], ['#/alerts', 'alerts'],
  ['#/notifications', 'notifications'], ['#/audit', 'audit'], ['#/bundles', 'bundles', 'admin'], ['#/users', 'users', 'admin'],
  ['#/backups', 'backups', 'admin'],
  ['#/settings', 'settings'], ['#/energy', 'energy'],
  ['#/account', 'account'],
];

function shell(active, deviceId) {
  const selector = h('select#device-select', { 'aria-label': t('device'), onchange: ev => {
    const id = ev.target.value;
    if (!id) return;
    const section = ['dashboards', 'control', 'energy'].includes(active) ? active : 'device';
    location.hash = `#/${section}/${encodeURIComponent(id)}`;
  } }, h('option', { value: '' }, t('devices') + '…'));
  session.devicesLoaded = fillSelector(selector, deviceId);
  const nav = h('nav.tabs', NAV.filter(([, , role]) => !role || can.admin()).map(([href, key]) => {
    const target = (key === 'dashboards' || key === 'control') && selectedDevice(deviceId) ? `${href}/${selectedDevice(deviceId)}` : href;
    return h('a' + (key === active ? '.active' : ''), { href: target, dataset: { nav: key } }, t(key));
  }));
  const main = h('main#page');
  clear(root,
    h('header.top',
      h('a.brand', { href: '#/' }, t('app')), selector, h('span.grow'),
      h('span.who#who', session.user.name ? t('signed_in_as', session.user.name, t('role_' + session.user.role)) : ''),
      langSwitch(), themeToggle(),
      session.user.name ? h('button.link#logout', { onclick: logout }, t('logout')) : null),
    nav, main);
  return main;
}

/** The pump named in the link, else the last one opened if it still exists, else the first. */
function selectedDevice(id) {
  if (id) return id;
  const last = localStorage.getItem('gw.device');
  if (last && session.devices.some(d => d.id === last)) return last;
  return session.devices[0] && session.devices[0].id;
}

async function fillSelector(select, deviceId) {
  try {
    session.devices = await api('GET', '/heatpumps');
  } catch { return; }
  const chosen = selectedDevice(deviceId);
  for (const d of session.devices) {
    select.append(h('option', { value: d.id, selected: d.id === chosen }, `${stateDot(d.status && d.status.state)} ${d.name}`));
  }
}

function stateDot(state) {
  return { online: '●', degraded: '◐', offline: '○', connecting: '…', disabled: '–', driver_missing: '!', rate_limited: '⏸' }[state] || '?';
}

async function logout() {
  try { await api('POST', '/logout'); } catch { /* already gone */ }
  session.user = null;
  setCsrf(null);
  showLogin();
}

// ---------------------------------------------------------------- routing

async function route() {
  leavePage();
  const parts = (location.hash.replace(/^#\/?/, '') || '').split('/').map(decodeURIComponent);
  const [section, id] = parts;
  // a bookmark or a typed link to an admin page: say why there is nothing, instead of a failing page
  if (ADMIN_ONLY.includes(section) && !can.admin()) {
    return shell(section).append(h('p.error#needs-role', { role: 'alert' }, t('needs_admin', session.user.role)));
  }
  try {
    switch (section || '') {
      case '': return overview(shell('devices'));
      case 'device': { localStorage.setItem('gw.device', id); const main = shell('devices', id); return (await import('./device.js')).devicePage(main, id); }
      case 'energy': { const main = shell('energy', id); const [m] = await Promise.all([import('./energy.js'), session.devicesLoaded]); return m.energyPage(main, id, session.devices); }
      case 'add': return (await import('./wizard.js')).wizard(shell('devices'));
      // a reload or bookmark arrives before the device list: wait for it to know which pump is meant
      case 'control': { const main = shell('control', id); await session.devicesLoaded; return controlPage(main, selectedDevice(id)); }
      case 'dashboards': { const main = shell('dashboards', id); const [m] = await Promise.all([import('./dashboards.js'), session.devicesLoaded]); return m.dashboards(main, selectedDevice(id)); }
      case 'account': return (await import('./account.js')).page(shell(section));
      case 'jobs': case 'alerts': case 'notifications': return (await import('./automation.js')).page(section, shell(section));
      default: return (await import('./admin.js')).page(section, shell(section));
    }
  } catch (e) {
    const main = document.getElementById('page') || root;
    main.append(errorBox(e));
  }
}

// ---------------------------------------------------------------- pages

function overview(main) {
  const list = h('div.grid#device-list');
  main.append(h('div.row', h('h1', t('devices')), h('span.grow'),
    can.admin() ? h('a.button.primary#add-device', { href: '#/add' }, t('add_device')) : null), list);
  every(3000, async () => {
    const devices = await api('GET', '/heatpumps');
    if (!devices.length) return clear(list, h('div.card', h('p', t('no_devices')), can.admin() ? h('p.muted', t('no_devices_hint')) : null));
    clear(list, devices.map(d => h('a.card.device', { href: `#/device/${encodeURIComponent(d.id)}`, dataset: { device: d.id } },
      h('div.row', h('strong', d.name), h('span.grow'), stateBadge(d.status && d.status.state)),
      h('small.muted', `${d.manufacturer} · ${d.model} · ${d.connection_config.host}:${d.connection_config.port}`),
      d.status && d.status.last_error ? h('small.error', d.status.last_error) : null)));
  });
}

export function stateBadge(state) {
  return h('span.badge.state-' + (state || 'unknown'), { dataset: { state: state || '' } }, t(state || 'none'));
}

/** Subscribes to the gateway's event stream for one device until the page changes. */
export function live(id, onSnapshot, onState) {
  const source = new EventSource('/api/events?heatpump_id=' + encodeURIComponent(id));
  source.addEventListener('snapshot', ev => onSnapshot(JSON.parse(ev.data)));
  if (onState) source.addEventListener('state', ev => onState(JSON.parse(ev.data)));
  onLeave(() => source.close());
  return source;
}

export function renderStatus(el, d) {
  const s = d.status || {};
  clear(el, h('dl.facts',
    h('dt', t('state')), h('dd', stateBadge(s.state)),
    h('dt', t('last_poll')), h('dd#last-poll', fmtTime(s.last_success)),
    h('dt', t('requests_per_poll')), h('dd', String(s.requests_last_poll ?? t('none'))),
    h('dt', t('cycle_time')), h('dd', s.last_poll_ms != null ? s.last_poll_ms + ' ms' : t('none')),
    h('dt', t('last_error')), h('dd' + (s.last_error ? '.error' : ''), s.last_error ? `${s.last_error} (${fmtTime(s.last_error_at)})` : t('none')),
    h('dt', t('connection')), h('dd', `${d.manufacturer} ${d.model} · ${d.connection_config.host}:${d.connection_config.port} · ${t('unit_id')} ${d.connection_config.unit_id}`)));
}

const CONTROL_ORDER = ['setpoint', 'mode', 'control', 'binary', 'temperature', 'percent', 'power'];

/** What a home owner looks for first. */
const CATEGORY_ORDER = ['temperature', 'setpoint', 'mode', 'status', 'power', 'energy', 'alarm', 'percent', 'pressure',
  'flow', 'humidity', 'frequency', 'binary', 'control', 'time', 'counter', 'info', 'other'];

export function renderValues(el, data, sensors) {
  const groups = new Map();
  for (const [sid, r] of Object.entries(data.values || {})) {
    const s = sensors.get(sid) || { name: sid, category: 'other' };
    if (!groups.has(s.category)) groups.set(s.category, []);
    groups.get(s.category).push([sid, s, r]);
  }
  const rank = c => { const i = CATEGORY_ORDER.indexOf(c); return i < 0 ? CATEGORY_ORDER.length : i; };
  const sorted = [...groups].sort((a, b) => rank(a[0]) - rank(b[0]));
  const open = new Set([...el.querySelectorAll('details[open]')].map(d => d.dataset.category));
  const first = el.childElementCount === 0;
  clear(el, sorted.map(([cat, rows], i) => h('details.card.group', { open: first ? i < 4 : open.has(cat), dataset: { category: cat } },
    h('summary', `${t('category_' + cat)} (${rows.length})`),
    h('table.values', h('tbody', rows.map(([sid, s, r]) => h('tr', { dataset: { sensor: sid, quality: r.quality } },
      h('th', { title: s.description ? sid + ': ' + s.description : sid }, s.name),
      h('td.value', r.quality === 'invalid' || r.quality === 'error' ? t('none') : fmtReading(r, s)),
      h('td.quality', r.quality === 'good' ? '' : h('span.badge.q-' + r.quality, { title: r.error || '' }, t('quality_' + r.quality))))))))));
}

async function controlPage(main, id) {
  if (!id) return main.append(h('p.muted', t('no_devices')));
  const switchBox = h('section.card#write-switch');
  const list = h('section#control-list');
  const audit = h('section#audit');
  main.append(h('h1', t('control')), switchBox, list, h('h2', t('audit')), audit);
  const load = async () => {
    const c = await api('GET', '/control/' + encodeURIComponent(id));
    renderSwitch(switchBox, c.write_enabled, reload);
    renderControls(list, id, c, reload);
    renderAudit(audit, await api('GET', `/audit?heatpump_id=${encodeURIComponent(id)}&limit=20`));
  };
  // the refresh after a write may meet a session that just ended (sign-out, expiry): the login page follows a 401
  const reload = () => load().catch(e => { if (e.status !== 401) toast(e.message, 'error'); });
  await load();
  every(5000, async () => renderAudit(audit, await api('GET', `/audit?heatpump_id=${encodeURIComponent(id)}&limit=20`)));
}

export function renderSwitch(el, enabled, reload) {
  clear(el, h('div.row', h('strong', t('write_switch')), h('span.grow'),
    can.admin() ? h('label.switch', h('input#write-enabled', { type: 'checkbox', checked: enabled, onchange: async ev => {
      try { await api('PUT', '/settings', { write_enabled: ev.target.checked }); } catch (e) { toast(e.message, 'error'); }
      reload();
    } }), h('span', enabled ? t('writes_on') : t('writes_off'))) : h('span', enabled ? t('writes_on') : t('writes_off'))));
}

function renderControls(el, id, c, reload) {
  const writer = can.write();
  const rows = c.sensors.map(s => {
    const current = fmtReading(s, s);
    let input = null;
    if (writer) {
      const entries = Object.entries(s.enum_values || {});
      // the row's sensor name is the field's label for screen readers (the table gives it no <label>)
      input = entries.length
        ? h('select.control-input', { 'aria-label': s.name }, entries.map(([k, label]) => h('option', { value: k, selected: Number(k) === s.value, title: label }, (s.enum_labels || {})[k] || words(label))))
        : h('input.control-input', { type: 'number', 'aria-label': s.name, value: s.value ?? '', min: s.min ?? undefined, max: s.max ?? undefined, step: s.step ?? 'any' });
    }
    const describe = v => {
      const key = (s.enum_values || {})[String(v)];
      return key ? (s.enum_labels || {})[String(v)] || words(key) : fmtNumber(Number(v), s.unit);
    };
    return h('tr', { dataset: { sensor: s.id } },
      h('th', h('div', s.name), h('small.muted', s.min != null && !Object.keys(s.enum_values || {}).length ? t('range', fmtNumber(s.min, s.unit), fmtNumber(s.max, s.unit)) : s.id)),
      h('td.value', current),
      writer ? h('td', h('form.inline', { onsubmit: async ev => {
        ev.preventDefault();
        const v = Number(input.value);
        if (!(await confirmDialog(t('confirm_write', s.name, current, describe(v)), t('set_value')))) return;
        try {
          const r = await api('POST', '/control/' + encodeURIComponent(id), { sensor: s.id, value: v });
          toast(t('written', s.name, describe(r.read_back ?? r.value)));
        } catch (e) { toast(e.message, 'error'); }
        reload();
      } }, input, h('button.primary', { type: 'submit', disabled: !c.write_enabled }, t('set_value')))) : null);
  });
  // grouped like the live values; setpoints and modes, what people change most, come first and open
  const groups = new Map();
  c.sensors.forEach((s, i) => {
    if (!groups.has(s.category)) groups.set(s.category, []);
    groups.get(s.category).push(rows[i]);
  });
  const rank = cat => { const i = CONTROL_ORDER.indexOf(cat); return i < 0 ? CONTROL_ORDER.length : i; };
  const open = new Set([...el.querySelectorAll('details[open]')].map(d => d.dataset.category));
  const first = el.childElementCount === 0;
  clear(el, writer ? null : h('p.muted#read-only-note', t('read_only_role')),
    [...groups].sort((a, b) => rank(a[0]) - rank(b[0])).map(([cat, list], i) =>
      h('details.card.group', { open: first ? i < 2 : open.has(cat), dataset: { category: cat } },
        h('summary', `${t('category_' + cat)} (${list.length})`),
        h('table.values.controls', h('tbody', list)))));
}

export function renderAudit(el, entries) {
  const list = Array.isArray(entries) ? entries : (entries.entries || []);
  clear(el, h('div.card.scroll', h('table.audit', h('thead', h('tr', ['time', 'actor', 'device', 'sensor', 'old_value', 'new_value', 'result'].map(k => h('th', t(k))))),
    h('tbody', list.map(e => h('tr', { dataset: { sensor: e.sensor_id || '' } },
      h('td', fmtTime(e.time)), h('td', e.actor), h('td', e.heatpump_id || ''), h('td', e.sensor_id || e.detail || ''),
      h('td.old-value', e.old_value == null ? '' : fmtNumber(e.old_value)), h('td.new-value', e.new_value == null ? '' : fmtNumber(e.new_value)), h('td', { title: e.detail || '' }, e.result)))))));
}

boot().catch(e => clear(root, errorBox(e)));
