// Gateway-wide pages: audit trail, bundles, users, backups, settings (jobs, alerts and notifications are in automation.js).
import { t, h, clear, api, upload, fmtTime, confirmDialog, toast, errorBox } from './core.js';
import { can, every, field, renderAudit, renderSwitch } from './app.js';

const PAGES = { audit, bundles, users, backups, settings };

export async function page(section, main) {
  const render = PAGES[section];
  if (!render) { location.hash = '#/'; return; }
  main.append(h('h1', t(section)));
  await render(main);
}

/** A page whose endpoint the gateway does not offer (yet) says so instead of failing. */
async function optional(main, path) {
  try { return await api('GET', path); } catch (e) {
    if (e.status === 404) { main.append(h('p.muted.not-available', t('not_available'))); return null; }
    throw e;
  }
}

async function audit(main) {
  const el = h('section');
  main.append(el);
  every(5000, async () => renderAudit(el, await api('GET', '/audit?limit=100')));
}

async function bundles(main) {
  if (!(await optional(main, '/bundles'))) return;
  const list = h('section#bundle-list');
  const progress = h('progress#upload-progress', { max: 100, value: 0, hidden: true });
  const msg = h('div');
  const file = h('input#bundle-file', { type: 'file', accept: '.jar,application/java-archive' });
  const send = async (method, path, f) => {
    progress.hidden = false;
    try {
      await upload(method, path, f, p => { progress.value = p; msg.textContent = t('uploading', p); });
      clear(msg);
      file.value = '';
      toast(t('installed'));
    } catch (e) { clear(msg, errorBox(e)); }
    progress.hidden = true;
    load();
  };
  main.append(h('form.card#upload-form', { onsubmit: ev => { ev.preventDefault(); if (file.files[0]) send('POST', '/bundles', file.files[0]); } },
    field(t('bundle_file'), file), progress, msg, h('button.primary#upload-button', { type: 'submit' }, t('upload'))), list);
  const action = (b, label, fn) => h('button.secondary', { type: 'button', dataset: { action: label }, onclick: async () => {
    try { await fn(); } catch (e) { toast(e.message, 'error'); }
    load();
  } }, t(label));
  const row = b => {
    const picker = h('input', { type: 'file', accept: '.jar', hidden: true, onchange: ev => ev.target.files[0] && send('PUT', '/bundles/' + b.id, ev.target.files[0]) });
    const active = String(b.state).toLowerCase() === 'active';
    return h('tr', { dataset: { bundle: b.symbolic_name } },
      h('td', h('div', b.symbolic_name), h('small.muted', '#' + b.id), b.error ? h('div.error', b.error) : null),
      h('td', b.version), h('td', h('span.badge', String(b.state).toLowerCase())), h('td', provides(b)),
      // the framework itself (bundle 0) is not something to stop or remove from a web page
      h('td.actions', b.id === 0 ? null : [
        active ? action(b, 'stop', () => api('POST', `/bundles/${b.id}/stop`)) : action(b, 'start', () => api('POST', `/bundles/${b.id}/start`)),
        h('button.secondary', { type: 'button', onclick: () => picker.click() }, t('update')), picker,
        action(b, 'uninstall', async () => { if (await confirmDialog(t('really_uninstall', b.symbolic_name), t('uninstall'))) await api('DELETE', '/bundles/' + b.id); })]));
  };
  const table = items => h('div.scroll', h('table.list', h('thead', h('tr', ['symbolic_name', 'version', 'state', 'provides', ''].map(k => h('th', k ? t(k) : '')))),
    h('tbody', items.map(row))));
  async function load() {
    const all = await api('GET', '/bundles');
    const items = Array.isArray(all) ? all : (all.bundles || []);
    // drivers and the gateway's own bundles first; the framework and libraries folded away
    const ours = b => (b.provides && b.provides.length) || String(b.symbolic_name).startsWith('gateway.');
    const open = list.querySelector('details[open]') !== null;
    const rest = items.filter(b => !ours(b));
    clear(list, h('div.card', table(items.filter(ours))),
      h('details.card.group', { open }, h('summary', `${t('libraries')} (${rest.length})`), table(rest)));
  }
  await load();
}

function provides(b) {
  const p = b.provides || b.drivers || [];
  if (Array.isArray(p)) return p.map(x => typeof x === 'string' ? x : (x.manufacturer ? `${x.manufacturer}/${x.model || ''}` : JSON.stringify(x))).join(', ');
  return typeof p === 'object' ? Object.values(p).flat().join(', ') : String(p);
}

async function users(main) {
  if (!(await optional(main, '/users'))) return;
  const list = h('section#user-list');
  const name = h('input#new-user-name', { required: true, autocomplete: 'off' });
  const pw = h('input#new-user-password', { type: 'password', required: true, minLength: 8, autocomplete: 'new-password' });
  const role = roleSelect('viewer');
  const msg = h('div');
  main.append(h('form.card#new-user-form', { onsubmit: async ev => {
    ev.preventDefault();
    try { await api('POST', '/users', { name: name.value.trim(), password: pw.value, role: role.value }); name.value = ''; pw.value = ''; clear(msg); load(); }
    catch (e) { clear(msg, errorBox(e)); }
  } }, h('h2', t('new_user')), h('div.form-grid', field(t('username'), name), field(t('password'), pw), field(t('role'), role)), msg,
  h('button.primary', { type: 'submit' }, t('add'))), list);
  async function load() {
    const all = await api('GET', '/users');
    const items = Array.isArray(all) ? all : (all.users || []);
    clear(list, h('div.card.scroll', h('table.list', h('tbody', items.map(u => {
      const r = roleSelect(u.role, async ev => {
        try { await api('PUT', '/users/' + encodeURIComponent(u.name), { role: ev.target.value }); toast(t('saved')); } catch (e) { toast(e.message, 'error'); load(); }
      }, `${t('role')}: ${u.name}`); // a table row has no visible label: the screen reader says whose role it is
      return h('tr', { dataset: { user: u.name } }, h('td', u.name), h('td', r),
        h('td.actions', h('button.danger', { type: 'button', onclick: async () => {
          if (!(await confirmDialog(t('really_remove', u.name), t('remove')))) return;
          try { await api('DELETE', '/users/' + encodeURIComponent(u.name)); } catch (e) { toast(e.message, 'error'); }
          load();
        } }, t('remove'))));
    })))));
  }
  await load();
}

/** Backups (admin only, as the API): make one, list, download, delete, restore a stored or uploaded one. */
async function backups(main) {
  if (!(await optional(main, '/backup/list'))) return;
  const list = h('section#backup-list');
  const pass = h('input#backup-passphrase', { type: 'password', autocomplete: 'new-password' });
  const createMsg = h('div');
  main.append(h('form.card#backup-create-form', { onsubmit: async ev => {
    ev.preventDefault();
    try {
      const made = await api('POST', '/backup/create', pass.value ? { passphrase: pass.value } : undefined);
      pass.value = '';
      clear(createMsg);
      toast(t('backup_created', made.name));
    } catch (e) { clear(createMsg, errorBox(e)); }
    load();
  } }, h('h2', t('backup_create')), field(t('backup_passphrase'), pass, t('backup_passphrase_hint')), createMsg,
  h('button.primary#backup-create', { type: 'submit' }, t('backup_create'))));

  // restore: an uploaded zip here, a stored one from its row
  const file = h('input#backup-file', { type: 'file', accept: '.zip,application/zip' });
  const restorePass = h('input#restore-passphrase', { type: 'password', autocomplete: 'off' });
  const secrets = h('input#restore-secrets', { type: 'checkbox' });
  const progress = h('progress#restore-progress', { max: 100, value: 0, hidden: true });
  const restoreMsg = h('div');
  const restore = async (label, run) => {
    if (!(await confirmDialog(t('really_restore', label), t('backup_restore')))) return;
    progress.hidden = false;
    restoreMsg.textContent = t('restoring');
    try {
      const r = await run();
      clear(restoreMsg);
      toast(t('restored', label, r.backup_schema_version, r.schema_version));
    } catch (e) { clear(restoreMsg, errorBox(e)); }
    progress.hidden = true;
    load();
  };
  main.append(h('form.card#backup-restore-form', { onsubmit: ev => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const form = new FormData();
    form.append('backup', f);
    if (restorePass.value) form.append('passphrase', restorePass.value);
    form.append('restore_secrets', String(secrets.checked));
    restore(f.name, () => upload('POST', '/backup/restore', form, p => { progress.value = p; }));
  } }, h('h2', t('backup_restore_title')), h('p.muted', t('restore_hint')), field(t('backup_file'), file),
  field(t('backup_passphrase'), restorePass), h('label.check', secrets, ' ', t('restore_secrets')), progress, restoreMsg,
  h('button.danger#backup-restore-upload', { type: 'submit' }, t('backup_restore'))), list);

  async function load() {
    let items;
    try { items = await api('GET', '/backup/list'); } catch (e) { clear(list, errorBox(e)); return; }
    if (!items.length) { clear(list, h('p.muted#no-backups', t('no_backups'))); return; }
    clear(list, h('div.card.scroll', h('table.list', h('thead', h('tr', ['name', 'created_at', 'size', 'secrets', ''].map(k => h('th', k ? t(k) : '')))),
      h('tbody', items.map(b => h('tr', { dataset: { backup: b.name } },
        h('td', h('div', b.name), h('small.muted', t(b.scheduled ? 'scheduled' : 'manual'))),
        h('td', fmtTime(b.created_at)), h('td', `${(b.size / 1048576).toFixed(1)} MiB`),
        h('td', t(b.secrets === 'encrypted' ? 'secrets_encrypted' : 'secrets_omitted')),
        h('td.actions',
          h('a.button.secondary', { href: '/api/backup/download/' + encodeURIComponent(b.name), download: b.name }, t('download')),
          h('button.secondary', { type: 'button', dataset: { action: 'restore' }, onclick: () => restore(b.name, () =>
            api('POST', '/backup/restore', { name: b.name, passphrase: restorePass.value || undefined, restore_secrets: secrets.checked })) }, t('backup_restore')),
          h('button.danger', { type: 'button', dataset: { action: 'delete' }, onclick: async () => {
            if (!(await confirmDialog(t('really_delete_backup', b.name), t('remove')))) return;
            try { await api('DELETE', '/backup/delete/' + encodeURIComponent(b.name)); } catch (e) { toast(e.message, 'error'); }
            load();
          } }, t('remove')))))))));
  }
  await load();
}

function roleSelect(value, onchange, label) {
  return h('select', { onchange, 'aria-label': label }, ['viewer', 'operator', 'admin'].map(r => h('option', { value: r, selected: r === value, title: r }, t('role_' + r))));
}

async function settings(main) {
  const box = h('section.card#write-switch');
  const zone = h('section.card#time-zone');
  const info = h('section.card');
  const mqtt = h('section.card#mqtt-settings');
  main.append(box, zone, info);
  if (can.admin()) {
    main.append(mqtt);
    renderMqtt(mqtt).catch(e => clear(mqtt, h('h2', t('mqtt')), errorBox(e)));
    // the bridge's state changes on its own (connecting, unreachable, connected): follow it while the page is open
    every(3000, () => api('GET', '/mqtt').then(showMqttState, () => showMqttState(null)));
  }
  const load = async () => {
    const [s, status] = await Promise.all([api('GET', '/settings'), api('GET', '/status')]);
    renderSwitch(box, s.write_enabled, load);
    renderTimeZone(zone, s, load);
    clear(info, h('dl.facts', h('dt', t('version')), h('dd', `${status.version} (API ${status.api})`),
      h('dt', t('uptime')), h('dd', `${Math.floor(status.uptime_seconds / 3600)} h ${Math.floor(status.uptime_seconds / 60) % 60} min`),
      h('dt', t('devices')), h('dd', `${status.online} / ${status.device_count} ${t('online')}`),
      h('dt', t('started')), h('dd', fmtTime(status.started_at))));
  };
  await load();
  if (!can.admin()) box.append(h('small.muted', t('read_only_role')));
}

/** The MQTT bridge's settings (pid gateway.mqtt) and its state; the password is write-only. */
async function renderMqtt(el) {
  const [m, status] = await Promise.all([api('GET', '/mqtt/settings'), api('GET', '/mqtt').catch(() => null)]);
  const text = (id, value, attrs = {}) => h('input#mqtt-' + id, { value: value == null ? '' : value, autocomplete: 'off', spellcheck: false, ...attrs });
  const check = (id, value) => h('input#mqtt-' + id, { type: 'checkbox', checked: !!value });
  const inputs = {
    broker_url: text('broker-url', m.broker_url, { placeholder: 'tcp://192.168.1.10:1883' }),
    username: text('username', m.username),
    password: h('input#mqtt-password', { type: 'password', autocomplete: 'new-password', placeholder: m.password_set ? '••••••' : '' }),
    topic_prefix: text('topic-prefix', m.topic_prefix),
    qos: h('select#mqtt-qos', [0, 1, 2].map(q => h('option', { value: q, selected: q === m.qos }, String(q)))),
    discovery_enabled: check('discovery-enabled', m.discovery_enabled),
    discovery_prefix: text('discovery-prefix', m.discovery_prefix),
    commands_enabled: check('commands-enabled', m.commands_enabled),
    legacy_topics: check('legacy-topics', m.legacy_topics),
    tls_ca_file: text('tls-ca-file', m.tls_ca_file),
    publish_interval_seconds: text('publish-interval', m.publish_interval_seconds, { type: 'number', min: 0, max: 86400 }),
  };
  const msg = h('div');
  const state = h('dl.facts#mqtt-status');
  clear(el, h('h2', t('mqtt')), state, h('form#mqtt-form', { onsubmit: async ev => {
    ev.preventDefault();
    const body = {
      broker_url: inputs.broker_url.value.trim(), username: inputs.username.value.trim(),
      topic_prefix: inputs.topic_prefix.value.trim(), qos: Number(inputs.qos.value),
      discovery_enabled: inputs.discovery_enabled.checked, discovery_prefix: inputs.discovery_prefix.value.trim(),
      commands_enabled: inputs.commands_enabled.checked, legacy_topics: inputs.legacy_topics.checked,
      tls_ca_file: inputs.tls_ca_file.value.trim(), publish_interval_seconds: Number(inputs.publish_interval_seconds.value || 0),
    };
    if (inputs.password.value) body.password = inputs.password.value;
    try {
      await api('PUT', '/mqtt/settings', body);
      clear(msg);
      toast(t('saved'));
      renderMqtt(el);
    } catch (e) { clear(msg, errorBox(e.problem && e.problem.errors && e.problem.errors.length ? e.problem.errors.join('; ') : e)); }
  } },
  field(t('broker_url'), inputs.broker_url), field(t('username'), inputs.username),
  field(t('password'), inputs.password, t('mqtt_password_hint')), field(t('topic_prefix'), inputs.topic_prefix),
  field(t('qos'), inputs.qos), field(t('discovery_enabled'), inputs.discovery_enabled),
  field(t('discovery_prefix'), inputs.discovery_prefix), field(t('commands_enabled'), inputs.commands_enabled),
  field(t('legacy_topics'), inputs.legacy_topics), field(t('tls_ca_file'), inputs.tls_ca_file),
  field(t('publish_interval'), inputs.publish_interval_seconds), msg,
  h('button.primary', { type: 'submit' }, t('save'))));
  showMqttState(status);
}

/** The bridge's state and last error; "—" while the MQTT bundle does not answer (absent or restarting). */
function showMqttState(status) {
  const box = document.getElementById('mqtt-status');
  if (!box) return;
  clear(box, h('dt', t('mqtt_state')), h('dd#mqtt-state', status ? status.state : '—'),
    status && status.last_error ? [h('dt', t('mqtt_last_error')), h('dd', status.last_error)] : null);
}

/** The zone job times are in: an admin picks one of the browser's known zones (or types any id the gateway accepts). */
function renderTimeZone(el, s, reload) {
  const hint = t('time_zone_hint', s.system_time_zone);
  if (!can.admin()) {
    return clear(el, h('dl.facts', h('dt', t('time_zone')), h('dd#time-zone-value', s.time_zone)));
  }
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const input = h('input#time-zone-input', { list: 'time-zones', value: s.time_zone === s.system_time_zone ? '' : s.time_zone,
    placeholder: s.system_time_zone, autocomplete: 'off', spellcheck: false });
  const msg = h('div');
  clear(el, h('form#time-zone-form', { dataset: { zone: s.time_zone }, onsubmit: async ev => {
    ev.preventDefault();
    try {
      await api('PUT', '/settings', { time_zone: input.value.trim() });
      clear(msg);
      toast(t('saved'));
      reload();
    } catch (e) { clear(msg, errorBox(e.problem && e.problem.errors && e.problem.errors.length ? e.problem.errors.join('; ') : e)); }
  } }, field(t('time_zone'), input, hint), h('datalist#time-zones', zones.map(z => h('option', { value: z }))), msg,
  h('button.primary', { type: 'submit' }, t('save'))));
}
