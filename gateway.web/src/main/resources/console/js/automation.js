// Jobs (scheduled writes), alerts (with templates and history) and notification channels (with the outbox).
// Loaded only when one of these pages is opened; it brings its own strings.
import { t, h, clear, api, extendText, fmtNumber, fmtTime, confirmDialog, toast, errorBox, label as words } from './core.js';
import { can, every, field } from './app.js';

extendText({
  en: {
    new_job: 'New job', edit_job: 'Change job', no_jobs: 'No job yet.', value: 'Value', days: 'Days', every_day: 'every day',
    catch_up: 'Catch up (min)', catch_up_hint: 'Run a missed job once if the gateway is back within this many minutes; 0 = skip missed runs.',
    last_run: 'Last run', next_run: 'Next run', run_now: 'Run now', really_run: 'Write {1} to {0} now?',
    run_result: '{0}: {1}', really_delete_job: 'Delete the job {0}?', no_writable: 'This heat pump has no writable sensor.',
    job_days_hint: 'None ticked: every day.',
    day_mon: 'Mon', day_tue: 'Tue', day_wed: 'Wed', day_thu: 'Thu', day_fri: 'Fri', day_sat: 'Sat', day_sun: 'Sun',
    result_ok: 'ok', result_skipped: 'skipped', result_rejected: 'rejected', result_failed: 'failed', result_running: 'running',
    new_alert: 'New alert', edit_alert: 'Change alert', no_alerts: 'No alert yet.', alert_type: 'Type', condition: 'Condition',
    threshold: 'Threshold', for_seconds: 'Holds for (s)', for_seconds_hint: 'The condition must hold this long before the alert fires.',
    hysteresis: 'Hysteresis', hysteresis_hint: 'Resolves only once the value is this far back past the threshold.',
    interval_seconds: 'Repeat every (s)', interval_hint: 'While firing; 0 = notify once.', period_seconds: 'Report every (s)',
    stale_seconds: 'Without a valid value for (s)', channels: 'Channels', all_channels: 'all enabled channels',
    channels_hint: 'None chosen: every enabled channel.', notify_resolved: 'Notify when resolved', message: 'Message',
    message_hint: 'Empty: a sensible default. Placeholders: {name} {heatpump} {sensor} {value} {unit} {threshold} {time}',
    all_devices: 'All heat pumps', states: 'States', last_triggered: 'Last triggered', really_delete_alert: 'Delete the alert {0}?',
    type_threshold: 'Threshold', type_status: 'Status report', type_device_state: 'Device state', type_stale: 'No valid value',
    type_anomaly: 'Anomaly', state_offline: 'offline', state_driver_missing: 'driver missing', state_rate_limited: 'rate limited', seconds: '{0} s',
    templates: 'Templates', use_template: 'Use', template_unavailable: 'Not possible here: {0}',
    tpl_general_fault: 'General fault', tpl_general_fault_text: 'The heat pump reports a fault.',
    tpl_hot_water_low: 'Hot water below 40 °C', tpl_hot_water_low_text: 'The hot-water tank is below 40 °C for 10 minutes; resolves above 42 °C.',
    tpl_flow_high: 'Flow above 60 °C', tpl_flow_high_text: 'The flow temperature is above 60 °C for 5 minutes; resolves below 58 °C.',
    tpl_daily_status: 'Daily status report', tpl_daily_status_text: 'A report once a day with the outdoor temperature.',
    tpl_utility_lock: 'Utility lock', tpl_utility_lock_text: 'The utility (EVU) blocks the heat pump for more than 2 hours.',
    history: 'History', no_events: 'No alert event in this period.', event: 'Event', alert: 'Alert', acknowledge: 'Acknowledge',
    acknowledged: 'acknowledged by {0}, {1}', kind_fired: 'fired', kind_resolved: 'resolved', kind_status: 'report', kind_anomaly: 'anomaly',
    new_channel: 'New channel', edit_channel: 'Change channel', no_channels: 'No channel yet.', channel_type: 'Type',
    test_channel: 'Test', test_sent: 'Test message delivered.', test_failed: 'Not delivered: {0}', secret_unchanged: 'unchanged (secret)',
    really_delete_channel: 'Delete the channel {0}?', settings_of: 'Settings', outbox: 'Outbox', no_outbox: 'The outbox is empty.',
    attempts: 'Attempts', next_attempt: 'Next attempt', delivered_at: 'Delivered', state_pending: 'pending', state_delivered: 'delivered',
    state_failed: 'failed', required: 'required', channel: 'Channel', notifications_unavailable: 'Notifications are not running on this gateway.',
    automation_unavailable: 'The job scheduler and alert engine are not running.', read_only_jobs: 'Your role can only read the jobs.',
    read_only_admin: 'Only an administrator can change these.',
  },
  de: {
    new_job: 'Neuer Auftrag', edit_job: 'Auftrag ändern', no_jobs: 'Noch kein Auftrag.', value: 'Wert', days: 'Tage', every_day: 'täglich',
    catch_up: 'Nachholen (min)', catch_up_hint: 'Einen verpassten Auftrag einmal nachholen, wenn das Gateway binnen so vieler Minuten wieder läuft; 0 = verpasste auslassen.',
    last_run: 'Letzte Ausführung', next_run: 'Nächste Ausführung', run_now: 'Jetzt ausführen', really_run: '{1} jetzt auf {0} schreiben?',
    run_result: '{0}: {1}', really_delete_job: 'Auftrag {0} löschen?', no_writable: 'Diese Wärmepumpe hat keinen beschreibbaren Sensor.',
    job_days_hint: 'Keiner angekreuzt: täglich.',
    day_mon: 'Mo', day_tue: 'Di', day_wed: 'Mi', day_thu: 'Do', day_fri: 'Fr', day_sat: 'Sa', day_sun: 'So',
    result_ok: 'ok', result_skipped: 'übersprungen', result_rejected: 'abgelehnt', result_failed: 'fehlgeschlagen', result_running: 'läuft',
    new_alert: 'Neuer Alarm', edit_alert: 'Alarm ändern', no_alerts: 'Noch kein Alarm.', alert_type: 'Art', condition: 'Bedingung',
    threshold: 'Schwelle', for_seconds: 'Hält an für (s)', for_seconds_hint: 'So lange muss die Bedingung gelten, bevor der Alarm auslöst.',
    hysteresis: 'Hysterese', hysteresis_hint: 'Erst aufgehoben, wenn der Wert um so viel hinter die Schwelle zurück ist.',
    interval_seconds: 'Wiederholen alle (s)', interval_hint: 'Solange ausgelöst; 0 = einmal benachrichtigen.', period_seconds: 'Bericht alle (s)',
    stale_seconds: 'Ohne gültigen Wert seit (s)', channels: 'Kanäle', all_channels: 'alle aktiven Kanäle',
    channels_hint: 'Keiner gewählt: jeder aktive Kanal.', notify_resolved: 'Bei Aufhebung benachrichtigen', message: 'Nachricht',
    message_hint: 'Leer: eine sinnvolle Vorgabe. Platzhalter: {name} {heatpump} {sensor} {value} {unit} {threshold} {time}',
    all_devices: 'Alle Wärmepumpen', states: 'Zustände', last_triggered: 'Zuletzt ausgelöst', really_delete_alert: 'Alarm {0} löschen?',
    type_threshold: 'Schwellwert', type_status: 'Statusbericht', type_device_state: 'Gerätezustand', type_stale: 'Kein gültiger Wert',
    type_anomaly: 'Auffälligkeit', state_offline: 'offline', state_driver_missing: 'Treiber fehlt', state_rate_limited: 'Abruflimit erreicht', seconds: '{0} s',
    templates: 'Vorlagen', use_template: 'Übernehmen', template_unavailable: 'Hier nicht möglich: {0}',
    tpl_general_fault: 'Sammelstörung', tpl_general_fault_text: 'Die Wärmepumpe meldet eine Störung.',
    tpl_hot_water_low: 'Warmwasser unter 40 °C', tpl_hot_water_low_text: 'Der Warmwasserspeicher ist 10 Minuten unter 40 °C; aufgehoben über 42 °C.',
    tpl_flow_high: 'Vorlauf über 60 °C', tpl_flow_high_text: 'Die Vorlauftemperatur ist 5 Minuten über 60 °C; aufgehoben unter 58 °C.',
    tpl_daily_status: 'Täglicher Statusbericht', tpl_daily_status_text: 'Einmal am Tag ein Bericht mit der Außentemperatur.',
    tpl_utility_lock: 'EVU-Sperre', tpl_utility_lock_text: 'Das EVU sperrt die Wärmepumpe länger als 2 Stunden.',
    history: 'Verlauf', no_events: 'Kein Alarmereignis in diesem Zeitraum.', event: 'Ereignis', alert: 'Alarm', acknowledge: 'Bestätigen',
    acknowledged: 'bestätigt von {0}, {1}', kind_fired: 'ausgelöst', kind_resolved: 'aufgehoben', kind_status: 'Bericht', kind_anomaly: 'Auffälligkeit',
    new_channel: 'Neuer Kanal', edit_channel: 'Kanal ändern', no_channels: 'Noch kein Kanal.', channel_type: 'Art',
    test_channel: 'Testen', test_sent: 'Testnachricht zugestellt.', test_failed: 'Nicht zugestellt: {0}', secret_unchanged: 'unverändert (geheim)',
    really_delete_channel: 'Kanal {0} löschen?', settings_of: 'Einstellungen', outbox: 'Postausgang', no_outbox: 'Der Postausgang ist leer.',
    attempts: 'Versuche', next_attempt: 'Nächster Versuch', delivered_at: 'Zugestellt', state_pending: 'wartend', state_delivered: 'zugestellt',
    state_failed: 'gescheitert', required: 'Pflichtfeld', channel: 'Kanal', notifications_unavailable: 'Benachrichtigungen laufen auf diesem Gateway nicht.',
    automation_unavailable: 'Auftragsplaner und Alarmauswertung laufen nicht.', read_only_jobs: 'Ihre Rolle darf die Aufträge nur lesen.',
    read_only_admin: 'Nur ein Administrator kann diese ändern.',
  },
});

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ALERT_TYPES = ['threshold', 'status', 'device_state', 'stale', 'anomaly'];
const CONDITIONS = ['>', '>=', '<', '<=', '=', '!='];
const DEVICE_STATES = ['offline', 'driver_missing', 'rate_limited'];
// what an empty threshold means (AlertRule.badStates): rate_limited only when chosen
const DEFAULT_DEVICE_STATES = ['offline', 'driver_missing'];
/** What a secret reads as from the API; sent back, it keeps the stored value (NotificationChannels.MASK). */
const MASK = '********';

const PAGES = { jobs, alerts, notifications };

export async function page(section, main) {
  main.append(h('h1', t(section)));
  await PAGES[section](main);
}

const enc = encodeURIComponent;

/** A problem document's detail with the fields it names, so a 422 says what to fix. */
function problemBox(e) {
  const errors = e && e.problem && Array.isArray(e.problem.errors) ? e.problem.errors : [];
  return errors.length ? h('div.error', { role: 'alert' }, h('p', e.message), h('ul', errors.map(x => h('li', x)))) : errorBox(e);
}

/** The devices and, per device, its sensors (fetched once per page). */
function catalog(devices) {
  const cache = new Map();
  return {
    devices,
    name: id => (devices.find(d => d.id === id) || {}).name || id || t('all_devices'),
    sensors(id) {
      if (!id) return Promise.resolve([]);
      if (!cache.has(id)) cache.set(id, api('GET', '/heatpumps/' + enc(id)).then(d => d.sensors || []).catch(() => []));
      return cache.get(id);
    },
  };
}

function deviceSelect(id, devices, value, allowAll) {
  return h('select#' + id, { required: !allowAll },
    allowAll ? h('option', { value: '' }, t('all_devices')) : h('option', { value: '', disabled: true, selected: !value }, t('select')),
    devices.map(d => h('option', { value: d.id, selected: d.id === value }, d.name)));
}

function enumEntries(sensor) { return Object.entries((sensor && sensor.enum_values) || {}); }

/** A value as people read it: an enum key shows its label. */
function describeValue(sensor, value) {
  if (value === null || value === undefined || value === '') return t('none');
  const label = ((sensor && sensor.enum_values) || {})[String(value)];
  if (label) return ((sensor && sensor.enum_labels) || {})[String(value)] || words(label);
  const n = Number(value);
  return Number.isFinite(n) && String(value).trim() !== '' ? fmtNumber(n, sensor && sensor.unit) : String(value);
}

function sensorLabel(s) { return `${s.name} (${s.id})`; }

function numberInput(id, value, attrs) {
  return h('input#' + id, Object.assign({ type: 'number', value: value ?? '', step: 'any' }, attrs || {}));
}

/** A row of day check boxes; none ticked means every day. */
function dayBoxes(chosen) {
  return h('div.days#job-days', DAYS.map(d => h('label.check', h('input', { type: 'checkbox', dataset: { day: d }, checked: chosen.includes(d) }), ' ', t('day_' + d))));
}

function resultBadge(result, reason) {
  if (!result) return t('none');
  return h('span.badge.result-' + result, { title: reason || '', dataset: { result } }, t('result_' + result));
}

// ---------------------------------------------------------------- jobs

async function jobs(main) {
  const writer = can.write();
  const cat = catalog(await api('GET', '/heatpumps'));
  const formSlot = h('div#job-form-slot');
  const list = h('section#job-list');
  main.append(
    writer ? h('div.row', h('span.grow'), cat.devices.length ? h('button.primary#new-job', { type: 'button', onclick: () => openForm(null) }, t('new_job')) : null)
      : h('p.muted#read-only-note', t('read_only_jobs')),
    formSlot, list);

  function openForm(job) {
    clear(formSlot, jobForm(job, cat, () => { clear(formSlot); load(); }, () => clear(formSlot)));
    formSlot.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    const items = await api('GET', '/jobs');
    if (!items.length) return clear(list, h('div.card', h('p#no-jobs', t('no_jobs'))));
    const sensors = new Map();
    for (const id of new Set(items.map(j => j.heatpump_id))) sensors.set(id, new Map((await cat.sensors(id)).map(s => [s.id, s])));
    const headers = ['device', 'sensor', 'value', 'time', 'days', 'enabled', 'last_run', 'result', 'next_run'];
    clear(list, h('div.card.scroll', h('table.list', h('thead', h('tr', headers.map(k => h('th', t(k))), writer ? h('th', '') : null)),
      h('tbody', items.map(j => {
        const s = (sensors.get(j.heatpump_id) || new Map()).get(j.sensor);
        return h('tr', { dataset: { job: j.id } },
          h('td', cat.name(j.heatpump_id)), h('td', { title: j.sensor }, s ? s.name : j.sensor), h('td.value', describeValue(s, j.value)),
          h('td', j.time), h('td', j.days && j.days.length ? j.days.map(d => t('day_' + d)).join(', ') : t('every_day')),
          h('td', j.enabled ? '✓' : '–'), h('td.last-run', fmtTime(j.last_run)),
          h('td.result', resultBadge(j.last_result, j.last_reason), j.last_reason ? h('small.muted.reason', ' ', j.last_reason) : null),
          h('td.next-run', fmtTime(j.next_run)),
          writer ? h('td.actions',
            h('button.secondary', { type: 'button', dataset: { action: 'run' }, onclick: () => runNow(j, s) }, t('run_now')),
            h('button.secondary', { type: 'button', dataset: { action: 'edit' }, onclick: () => openForm(j) }, t('edit')),
            h('button.danger', { type: 'button', dataset: { action: 'delete' }, onclick: async () => {
              if (!(await confirmDialog(t('really_delete_job', `${s ? s.name : j.sensor} ${j.time}`), t('remove')))) return;
              try { await api('DELETE', '/jobs/' + enc(j.id)); } catch (e) { toast(e.message, 'error'); }
              load();
            } }, t('remove'))) : null);
      })))));
  }

  async function runNow(j, s) {
    if (!(await confirmDialog(t('really_run', s ? s.name : j.sensor, describeValue(s, j.value)), t('run_now')))) return;
    try {
      const r = await api('POST', `/jobs/${enc(j.id)}/run`);
      toast(t('run_result', t('result_' + r.result), r.reason || describeValue(s, j.value)), r.result === 'ok' ? null : 'error');
    } catch (e) { toast(e.message, 'error'); }
    load();
  }

  every(10000, load);
}

function jobForm(job, cat, saved, cancel) {
  const j = job || { heatpump_id: cat.devices.length === 1 ? cat.devices[0].id : '', days: [], enabled: true, catch_up_minutes: 0, time: '' };
  const device = deviceSelect('job-device', cat.devices, j.heatpump_id, false);
  const sensor = h('select#job-sensor', { required: true });
  const valueSlot = h('div.value-slot');
  const time = h('input#job-time', { type: 'time', required: true, value: j.time || '' });
  const days = dayBoxes(j.days || []);
  const catchUp = numberInput('job-catch-up', j.catch_up_minutes ?? 0, { min: 0, max: 10080, step: 1 });
  const enabled = h('input#job-enabled', { type: 'checkbox', checked: j.enabled !== false });
  const msg = h('div');
  let writable = [];

  const fillValue = keep => {
    const s = writable.find(x => x.id === sensor.value);
    const entries = enumEntries(s);
    const current = keep ? j.value : '';
    let input;
    if (entries.length) {
      // chosen by label; the key is what is written (a label may differ between firmware languages, the key does not)
      const key = entries.find(([k, label]) => String(current) === k || String(current).toLowerCase() === label.toLowerCase());
      input = h('select#job-value', { required: true }, h('option', { value: '', disabled: true, selected: !key }, t('select')),
        entries.map(([k, label]) => h('option', { value: k, selected: key && key[0] === k, title: label }, (s.enum_labels || {})[k] || words(label))));
    } else {
      input = numberInput('job-value', current, { required: true, min: s && s.min != null ? s.min : undefined, max: s && s.max != null ? s.max : undefined, step: s && s.step ? s.step : 'any' });
    }
    const hint = s && !entries.length && s.min != null ? t('range', fmtNumber(s.min, s.unit), fmtNumber(s.max, s.unit)) : (s && s.unit) || null;
    clear(valueSlot, field(t('value'), input, hint));
  };
  const fillSensors = async keep => {
    writable = (await cat.sensors(device.value)).filter(s => s.access !== 'read_only');
    clear(sensor, h('option', { value: '', disabled: true, selected: !keep }, writable.length ? t('select') : t('no_writable')),
      writable.map(s => h('option', { value: s.id, selected: keep && s.id === j.sensor }, sensorLabel(s))));
    fillValue(keep);
  };
  device.addEventListener('change', () => fillSensors(false));
  sensor.addEventListener('change', () => fillValue(false));
  fillSensors(true);

  return h('form.card#job-form', { onsubmit: async ev => {
    ev.preventDefault();
    const body = {
      heatpump_id: device.value, sensor: sensor.value, value: document.getElementById('job-value').value, time: time.value,
      days: [...days.querySelectorAll('input[data-day]:checked')].map(c => c.dataset.day),
      catch_up_minutes: Number(catchUp.value || 0), enabled: enabled.checked,
    };
    try {
      if (job) await api('PUT', '/jobs/' + enc(job.id), body); else await api('POST', '/jobs', body);
      toast(t('saved'));
      saved();
    } catch (e) { clear(msg, problemBox(e)); }
  } }, h('h2', job ? t('edit_job') : t('new_job')),
  h('div.form-grid', field(t('device'), device), field(t('sensor'), sensor), valueSlot, field(t('time'), time),
    field(t('catch_up'), catchUp, t('catch_up_hint'))),
  h('fieldset', h('legend', t('days')), days, h('small.muted', t('job_days_hint'))),
  h('label.check', enabled, ' ', t('enabled')), msg,
  h('div.actions', h('button.secondary', { type: 'button', onclick: cancel }, t('cancel')), h('button.primary', { type: 'submit' }, t('save'))));
}

// ---------------------------------------------------------------- alerts

/** Optional data: null when the service behind it is not running (503) rather than failing the whole page. */
async function maybe(path) {
  try { return await api('GET', path); } catch (e) { if (e.status === 503 || e.status === 404) return null; throw e; }
}

async function alerts(main) {
  const admin = can.admin();
  const cat = catalog(await api('GET', '/heatpumps'));
  const channels = (await maybe('/notifications/channels')) || [];
  const formSlot = h('div#alert-form-slot');
  const list = h('section#alert-list');
  const templates = h('section.card#alert-templates');
  const history = h('section#alert-events');
  main.append(
    admin ? h('div.row', h('span.grow'), h('button.primary#new-alert', { type: 'button', onclick: () => openForm(null) }, t('new_alert')))
      : h('p.muted#read-only-note', t('read_only_admin')),
    formSlot, list, h('h2', t('templates')), templates, h('h2', t('history')), history);

  function openForm(alert) {
    clear(formSlot, alertForm(alert, cat, channels, () => { clear(formSlot); load(); }, () => clear(formSlot)));
    formSlot.scrollIntoView({ block: 'nearest' });
  }

  const channelName = id => (channels.find(c => c.id === id) || {}).name || id;
  async function load() {
    const items = await api('GET', '/alerts');
    if (!items.length) return clear(list, h('div.card', h('p#no-alerts', t('no_alerts'))));
    const headers = ['name', 'device', 'alert_type', 'condition', 'channels', 'enabled', 'last_triggered'];
    const rows = [];
    for (const a of items) {
      const s = (await cat.sensors(a.heatpump_id)).find(x => x.id === a.sensor);
      rows.push(h('tr', { dataset: { alert: a.id } },
        h('td', a.name), h('td', cat.name(a.heatpump_id)), h('td', t('type_' + a.type)), h('td.condition', describeAlert(a, s)),
        h('td', a.channels && a.channels.length ? a.channels.map(channelName).join(', ') : t('all_channels')),
        h('td', a.enabled ? '✓' : '–'), h('td', fmtTime(a.last_triggered)),
        admin ? h('td.actions',
          h('button.secondary', { type: 'button', dataset: { action: 'edit' }, onclick: () => openForm(a) }, t('edit')),
          h('button.danger', { type: 'button', dataset: { action: 'delete' }, onclick: async () => {
            if (!(await confirmDialog(t('really_delete_alert', a.name), t('remove')))) return;
            try { await api('DELETE', '/alerts/' + enc(a.id)); } catch (e) { toast(e.message, 'error'); }
            load();
          } }, t('remove'))) : null));
    }
    clear(list, h('div.card.scroll', h('table.list', h('thead', h('tr', headers.map(k => h('th', t(k))), admin ? h('th', '') : null)), h('tbody', rows))));
  }

  renderTemplates(templates, cat, admin, tpl => openForm(tpl));
  const events = alertHistory(history, cat);
  await load();
  every(10000, events);
}

function describeAlert(a, s) {
  const sensorName = s ? s.name : a.sensor || '';
  const parts = [];
  if (a.type === 'threshold') parts.push(`${sensorName} ${a.condition} ${a.threshold}`);
  else if (a.type === 'device_state') parts.push((a.threshold ? a.threshold.split(',') : DEFAULT_DEVICE_STATES).map(x => t('state_' + x.trim())).join(', '));
  else if (a.type === 'stale') parts.push(sensorName);
  else if (a.type === 'status') parts.push(sensorName);
  if (a.for_seconds) parts.push('≥ ' + t('seconds', a.for_seconds));
  if (a.hysteresis) parts.push('± ' + fmtNumber(a.hysteresis));
  if (a.interval_seconds) parts.push('↻ ' + t('seconds', a.interval_seconds));
  return parts.filter(Boolean).join(' · ');
}

async function renderTemplates(el, cat, admin, use) {
  if (!cat.devices.length) return clear(el, h('p.muted', t('no_devices')));
  const device = deviceSelect('template-device', cat.devices, cat.devices[0].id, false);
  const body = h('div.templates');
  const load = async () => {
    let list;
    try { list = await api('GET', '/alerts/templates?heatpump_id=' + enc(device.value)); } catch (e) {
      return clear(body, e.status === 503 ? h('p.muted', t('automation_unavailable')) : errorBox(e));
    }
    const names = new Map((await cat.sensors(device.value)).map(s => [s.id, s.name]));
    clear(body, list.map(tp => h('div.template', { dataset: { template: tp.id, available: String(!tp.unavailable) } },
      h('div.row', h('strong', t('tpl_' + tp.id) === 'tpl_' + tp.id ? tp.name : t('tpl_' + tp.id)), h('span.grow'),
        admin && !tp.unavailable ? h('button.secondary', { type: 'button', dataset: { action: 'use' }, onclick: () => use({
          name: t('tpl_' + tp.id), heatpump_id: tp.heatpump_id, type: tp.type, sensor: tp.sensor, condition: tp.condition,
          threshold: tp.threshold, interval_seconds: tp.interval_seconds, for_seconds: tp.for_seconds, hysteresis: tp.hysteresis,
          message: tp.message, channels: [], notify_resolved: true, enabled: true, template: true,
        }) }, t('use_template')) : null),
      h('small.muted', t('tpl_' + tp.id + '_text') === 'tpl_' + tp.id + '_text' ? tp.description : t('tpl_' + tp.id + '_text')),
      tp.unavailable ? h('p.muted.reason', t('template_unavailable', tp.unavailable))
        : h('p.template-sensor', { title: tp.sensor || '' }, `${names.get(tp.sensor) || tp.sensor || ''} ${tp.condition || ''} ${tp.threshold || ''}`.trim()))));
  };
  device.addEventListener('change', load);
  clear(el, field(t('device'), device), body);
  await load();
}

function alertHistory(el, cat) {
  const writer = can.write();
  const device = deviceSelect('event-device', cat.devices, '', true);
  const body = h('div.card.scroll');
  const load = async () => {
    const q = device.value ? '?heatpump_id=' + enc(device.value) + '&limit=200' : '?limit=200';
    const r = await api('GET', '/alerts/events' + q);
    const names = new Map((await api('GET', '/alerts')).map(a => [a.id, a.name]));
    if (!r.events.length) return clear(body, h('p.muted#no-events', t('no_events')));
    clear(body, h('table.list', h('thead', h('tr', ['time', 'device', 'alert', 'event', 'value', 'message', 'acknowledge'].map(k => h('th', t(k))))),
      h('tbody', r.events.map(e => h('tr', { dataset: { event: String(e.id), kind: e.kind } },
        h('td', fmtTime(e.time)), h('td', cat.name(e.heatpump_id)), h('td', names.get(e.alert_id) || e.alert_id || t('none')),
        h('td', h('span.badge.kind-' + e.kind, t('kind_' + e.kind))), h('td.value', e.value == null ? t('none') : fmtNumber(e.value)),
        h('td.message', e.message || ''),
        h('td.ack', e.acknowledged ? h('small.muted', t('acknowledged', e.acknowledged_by || '', fmtTime(e.acknowledged_at)))
          : writer && e.kind !== 'resolved' ? h('button.secondary', { type: 'button', dataset: { action: 'ack' }, onclick: async () => {
            try { await api('POST', `/alerts/events/${e.id}/ack`); } catch (err) { toast(err.message, 'error'); }
            load();
          } }, t('acknowledge')) : ''))))));
  };
  device.addEventListener('change', load);
  clear(el, h('div.row', field(t('device'), device)), body);
  return load;
}

function alertForm(alert, cat, channels, saved, cancel) {
  const editing = alert && alert.id;
  const a = alert || { type: 'threshold', heatpump_id: cat.devices.length === 1 ? cat.devices[0].id : '', condition: '>', interval_seconds: 0,
    for_seconds: 0, hysteresis: 0, channels: [], notify_resolved: true, enabled: true };
  const name = h('input#alert-name', { required: true, value: a.name || '', maxLength: 200 });
  const type = h('select#alert-type', ALERT_TYPES.map(x => h('option', { value: x, selected: x === a.type }, t('type_' + x))));
  const deviceSlot = h('div');
  const sensor = h('select#alert-sensor');
  const condition = h('select#alert-condition', CONDITIONS.map(c => h('option', { value: c, selected: c === a.condition }, c)));
  const thresholdSlot = h('div');
  const states = h('div#alert-states', DEVICE_STATES.map(s => h('label.check', h('input', { type: 'checkbox', dataset: { state: s },
    checked: a.type !== 'device_state' || !a.threshold ? DEFAULT_DEVICE_STATES.includes(s) : a.threshold.split(',').map(x => x.trim()).includes(s) }), ' ', t('state_' + s))));
  const forSeconds = numberInput('alert-for', a.for_seconds ?? 0, { min: 0, step: 1 });
  const hysteresis = numberInput('alert-hysteresis', a.hysteresis ?? 0, { min: 0 });
  const interval = numberInput('alert-interval', a.interval_seconds ?? 0, { min: 0, step: 1 });
  const chosen = new Set(a.channels || []);
  const channelSelect = h('select#alert-channels', { multiple: true, size: Math.min(6, Math.max(2, channels.length)) },
    channels.map(c => h('option', { value: c.id, selected: chosen.has(c.id) }, `${c.name} (${c.type})`)));
  const notifyResolved = h('input#alert-notify-resolved', { type: 'checkbox', checked: a.notify_resolved !== false });
  const enabled = h('input#alert-enabled', { type: 'checkbox', checked: a.enabled !== false });
  const message = h('input#alert-message', { value: a.message || '', placeholder: '{name}: {sensor} {value} {unit}' });
  const msg = h('div');
  let device;
  let sensors = [];

  const wrap = (key, label, input, hint) => h('div', { dataset: { field: key } }, field(label, input, hint));
  const fields = {
    sensor: wrap('sensor', t('sensor'), sensor), condition: wrap('condition', t('condition'), condition), threshold: h('div', { dataset: { field: 'threshold' } }, thresholdSlot),
    states: h('fieldset', { dataset: { field: 'states' } }, h('legend', t('states')), states),
    for: wrap('for', t('for_seconds'), forSeconds, t('for_seconds_hint')), hysteresis: wrap('hysteresis', t('hysteresis'), hysteresis, t('hysteresis_hint')),
    interval: h('div', { dataset: { field: 'interval' } }), resolved: h('label.check', { dataset: { field: 'resolved' } }, notifyResolved, ' ', t('notify_resolved')),
  };
  const SHOWN = {
    threshold: ['sensor', 'condition', 'threshold', 'for', 'hysteresis', 'interval', 'resolved'],
    status: ['sensor', 'interval'],
    device_state: ['states', 'for', 'interval', 'resolved'],
    stale: ['sensor', 'for', 'interval', 'resolved'],
    anomaly: [],
  };
  // threshold and stale alerts read a sensor, so they need one device; the others may watch every device
  const needsDevice = () => ['threshold', 'stale'].includes(type.value);

  const fillThreshold = keep => {
    const s = sensors.find(x => x.id === sensor.value);
    const entries = enumEntries(s);
    const current = keep ? a.threshold : '';
    let input;
    if (entries.length) {
      // enums are chosen and stored by label, so messages and the list read as the device shows them
      const match = entries.find(([k, label]) => String(current) === k || String(current).toLowerCase() === label.toLowerCase());
      input = h('select#alert-threshold', h('option', { value: '', disabled: true, selected: !match }, t('select')),
        entries.map(([k, label]) => h('option', { value: label, selected: match && match[0] === k, title: label }, (s.enum_labels || {})[k] || words(label))));
    } else if (s && s.data_type === 'string') {
      input = h('input#alert-threshold', { value: current ?? '' });
    } else {
      input = numberInput('alert-threshold', current);
    }
    clear(thresholdSlot, field(t('threshold'), input, s && s.unit ? s.unit : null));
  };
  const fillSensors = async keep => {
    sensors = await cat.sensors(device.value);
    const optional = type.value === 'status';
    clear(sensor, h('option', { value: '', disabled: !optional, selected: !keep || !a.sensor }, optional ? t('none') : t('select')),
      sensors.map(s => h('option', { value: s.id, selected: keep && s.id === a.sensor }, sensorLabel(s))));
    fillThreshold(keep);
  };
  const showFields = keep => {
    const chosenDevice = device ? device.value : a.heatpump_id;
    device = deviceSelect('alert-device', cat.devices, chosenDevice || '', !needsDevice());
    device.addEventListener('change', () => fillSensors(false));
    clear(deviceSlot, field(t('device'), device));
    for (const [key, el] of Object.entries(fields)) el.hidden = !SHOWN[type.value].includes(key);
    clear(fields.interval, field(type.value === 'status' ? t('period_seconds') : t('interval_seconds'), interval,
      type.value === 'status' ? null : t('interval_hint')));
    fillSensors(keep);
  };
  type.addEventListener('change', () => showFields(true));
  sensor.addEventListener('change', () => fillThreshold(false));
  showFields(true);

  return h('form.card#alert-form', { onsubmit: async ev => {
    ev.preventDefault();
    const shown = SHOWN[type.value];
    const thresholdInput = document.getElementById('alert-threshold');
    const body = {
      name: name.value.trim(), type: type.value, heatpump_id: device.value || null,
      sensor: shown.includes('sensor') ? sensor.value || null : null,
      condition: shown.includes('condition') ? condition.value : null,
      threshold: type.value === 'threshold' ? thresholdInput.value.trim()
        : type.value === 'device_state' ? [...states.querySelectorAll('input:checked')].map(c => c.dataset.state).join(',') : null,
      for_seconds: shown.includes('for') ? Number(forSeconds.value || 0) : 0,
      hysteresis: shown.includes('hysteresis') ? Number(hysteresis.value || 0) : 0,
      interval_seconds: shown.includes('interval') ? Number(interval.value || 0) : 0,
      notify_resolved: notifyResolved.checked, enabled: enabled.checked, message: message.value.trim() || null,
      channels: [...channelSelect.selectedOptions].map(o => o.value),
    };
    try {
      if (editing) await api('PUT', '/alerts/' + enc(alert.id), body); else await api('POST', '/alerts', body);
      toast(t('saved'));
      saved();
    } catch (e) { clear(msg, problemBox(e)); }
  } }, h('h2', editing ? t('edit_alert') : t('new_alert')),
  h('div.form-grid', field(t('name'), name), field(t('alert_type'), type), deviceSlot, fields.sensor, fields.condition, fields.threshold,
    fields.for, fields.hysteresis, fields.interval),
  fields.states,
  field(t('message'), message, t('message_hint')),
  field(t('channels'), channelSelect, channels.length ? t('channels_hint') : t('no_channels')),
  h('div.row.wrap', fields.resolved, h('label.check', enabled, ' ', t('enabled'))), msg,
  h('div.actions', h('button.secondary', { type: 'button', onclick: cancel }, t('cancel')), h('button.primary', { type: 'submit' }, t('save'))));
}

// ---------------------------------------------------------------- notification channels

async function notifications(main) {
  const admin = can.admin();
  const types = await maybe('/notifications/channel-types');
  if (!types) return main.append(h('p.muted.not-available', t('notifications_unavailable')));
  const formSlot = h('div#channel-form-slot');
  const list = h('section#channel-list');
  const outbox = h('section#outbox');
  main.append(
    admin ? h('div.row', h('span.grow'), h('button.primary#new-channel', { type: 'button', onclick: () => openForm(null) }, t('new_channel')))
      : h('p.muted#read-only-note', t('read_only_admin')),
    formSlot, list, h('h2', t('outbox')), outbox);

  function openForm(channel) {
    clear(formSlot, channelForm(channel, types, () => { clear(formSlot); load(); }, () => clear(formSlot)));
    formSlot.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    const items = await api('GET', '/notifications/channels');
    if (!items.length) return clear(list, h('div.card', h('p#no-channels', t('no_channels'))));
    clear(list, h('div.card.scroll', h('table.list', h('thead', h('tr', ['name', 'channel_type', 'enabled', 'settings_of'].map(k => h('th', t(k))), admin ? h('th', '') : null)),
      h('tbody', items.map(c => {
        const result = h('div.test-result');
        return h('tr', { dataset: { channel: c.id } },
          h('td', c.name), h('td', c.type), h('td', c.enabled ? '✓' : '–'),
          h('td.settings', Object.entries(c.settings || {}).map(([k, v]) => h('div', h('small.muted', k + ': '), v))),
          admin ? h('td.actions',
            h('button.secondary', { type: 'button', dataset: { action: 'test' }, onclick: async ev => {
              ev.target.disabled = true;
              clear(result, t('testing'));
              try {
                const r = await api('POST', `/notifications/channels/${enc(c.id)}/test`);
                clear(result, r.delivered ? h('span.ok', { dataset: { delivered: 'true' } }, t('test_sent'))
                  : h('span.error', { dataset: { delivered: 'false' } }, t('test_failed', r.error || '')));
              } catch (e) { clear(result, errorBox(e)); }
              ev.target.disabled = false;
            } }, t('test_channel')),
            h('button.secondary', { type: 'button', dataset: { action: 'edit' }, onclick: () => openForm(c) }, t('edit')),
            h('button.danger', { type: 'button', dataset: { action: 'delete' }, onclick: async () => {
              if (!(await confirmDialog(t('really_delete_channel', c.name), t('remove')))) return;
              try { await api('DELETE', '/notifications/channels/' + enc(c.id)); } catch (e) { toast(e.message, 'error'); }
              load();
            } }, t('remove')), result) : null);
      })))));
  }

  await load();
  renderOutbox(outbox);
}

function channelForm(channel, types, saved, cancel) {
  const editing = !!channel;
  const c = channel || { type: types[0] && types[0].type, name: '', enabled: true, settings: {} };
  const type = h('select#channel-type', { disabled: editing }, types.map(x => h('option', { value: x.type, selected: x.type === c.type }, x.type)));
  const name = h('input#channel-name', { required: true, value: c.name || '' });
  const enabled = h('input#channel-enabled', { type: 'checkbox', checked: c.enabled !== false });
  const about = h('p.muted.type-description');
  const settings = h('div.form-grid#channel-settings');
  const msg = h('div');
  const current = () => types.find(x => x.type === type.value) || { settings: [] };
  const fill = () => {
    const kind = current();
    about.textContent = kind.description || '';
    const keep = editing && kind.type === c.type;
    clear(settings, kind.settings.map(s => {
      // a secret is never shown: empty while editing means "keep the stored one"
      const stored = keep && !s.secret ? (c.settings || {})[s.name] : '';
      const input = h('input', { dataset: { setting: s.name }, id: 'channel-setting-' + s.name, type: s.secret ? 'password' : 'text',
        value: stored ?? '', autocomplete: s.secret ? 'new-password' : 'off',
        required: s.required && !(s.secret && keep && (c.settings || {})[s.name]),
        placeholder: s.secret && keep && (c.settings || {})[s.name] ? t('secret_unchanged') : s.default_value || '' });
      return field(s.name + (s.required ? ' *' : ''), input, s.description);
    }));
  };
  type.addEventListener('change', fill);
  fill();

  return h('form.card#channel-form', { onsubmit: async ev => {
    ev.preventDefault();
    const kind = current();
    const values = {};
    for (const s of kind.settings) {
      const v = settings.querySelector(`[data-setting="${s.name}"]`).value.trim();
      if (v) values[s.name] = v;
      else if (s.secret && editing && (c.settings || {})[s.name]) values[s.name] = MASK;
    }
    const body = { type: type.value, name: name.value.trim(), enabled: enabled.checked, settings: values };
    try {
      if (editing) await api('PUT', '/notifications/channels/' + enc(channel.id), body); else await api('POST', '/notifications/channels', body);
      toast(t('saved'));
      saved();
    } catch (e) { clear(msg, problemBox(e)); }
  } }, h('h2', editing ? t('edit_channel') : t('new_channel')),
  h('div.form-grid', field(t('channel_type'), type), field(t('name'), name)), about, settings,
  h('label.check', enabled, ' ', t('enabled')), msg,
  h('div.actions', h('button.secondary', { type: 'button', onclick: cancel }, t('cancel')), h('button.primary', { type: 'submit' }, t('save'))));
}

function renderOutbox(el) {
  const state = h('select#outbox-state', h('option', { value: '' }, t('all')),
    ['pending', 'delivered', 'failed'].map(s => h('option', { value: s }, t('state_' + s))));
  const body = h('div.card.scroll');
  const load = async () => {
    const items = await api('GET', '/notifications/outbox?limit=100' + (state.value ? '&state=' + state.value : ''));
    if (!items.length) return clear(body, h('p.muted#no-outbox', t('no_outbox')));
    clear(body, h('table.list', h('thead', h('tr', ['time', 'channel', 'title', 'state', 'attempts', 'next_attempt', 'last_error', 'delivered_at'].map(k => h('th', t(k))))),
      h('tbody', items.map(e => h('tr', { dataset: { outbox: String(e.id), state: e.state, key: e.notification_key } },
        h('td', fmtTime(e.created_at)), h('td', e.channel_id), h('td', { title: e.message || '' }, e.title),
        h('td', h('span.badge.outbox-' + e.state, t('state_' + e.state))), h('td', String(e.attempts)),
        h('td', e.state === 'pending' ? fmtTime(e.next_attempt) : t('none')), h('td.error', e.last_error || ''),
        h('td', fmtTime(e.delivered_at)))))));
  };
  state.addEventListener('change', load);
  clear(el, h('div.row', field(t('state'), state)), body);
  every(5000, load);
}
