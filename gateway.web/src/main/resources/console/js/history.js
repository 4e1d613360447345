// Device page extras: the history export (CSV/JSON download) and the anomaly events gateway.ml raised.
import { t, h, clear, api, fmtTime } from './core.js';

/** ISO instant for a datetime-local input's value (local time). */
function isoOf(local) { return local ? new Date(local).toISOString() : ''; }

/** A datetime-local value (local time, minutes) for a Date. */
function localOf(date) {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

/**
 * The export form: chosen sensors over a range, downloaded straight from GET /api/export/{id} (the browser sends the
 * session cookie; the server streams, so long ranges are fine).
 */
export function exportCard(id, sensors) {
  const now = new Date();
  const list = [...sensors.values()].sort((a, b) => a.name.localeCompare(b.name));
  const choice = h('select#export-sensors', { multiple: true, size: 6, 'aria-label': t('export_sensors') },
    list.map(s => h('option', { value: s.id }, `${s.name} (${s.id})`)),
    h('option', { value: 'anomaly_score' }, `${t('anomaly_score')} (anomaly_score)`));
  const from = h('input#export-from', { type: 'datetime-local', value: localOf(new Date(now - 86400000)) });
  // empty "to" = up to the moment of the download
  const to = h('input#export-to', { type: 'datetime-local', title: t('export_to_now') });
  const format = h('select#export-format', h('option', { value: 'csv' }, 'CSV'), h('option', { value: 'json' }, 'JSON'));
  const link = h('a.button#export-link', { download: '' }, t('export_download'));
  const update = () => {
    const chosen = [...choice.selectedOptions].map(o => o.value);
    const q = new URLSearchParams({ sensors: chosen.join(','), format: format.value });
    if (from.value) q.set('from', isoOf(from.value));
    if (to.value) q.set('to', isoOf(to.value));
    link.href = '/api/export/' + encodeURIComponent(id) + '?' + q;
    link.classList.toggle('disabled', chosen.length === 0);
    link.setAttribute('aria-disabled', String(chosen.length === 0));
  };
  for (const el of [choice, from, to, format]) el.addEventListener('change', update);
  link.addEventListener('click', ev => { if (link.classList.contains('disabled')) ev.preventDefault(); });
  update();
  return h('section.card#export',
    h('label', t('export_sensors'), choice),
    h('div.row', h('label', t('from'), from), h('label', t('to'), to), h('label', t('format'), format), link),
    h('p.hint', t('export_hint')));
}

/** The latest anomaly events of the device (GET /api/anomalies), refreshed by the caller. */
export async function renderAnomalies(el, id) {
  let view;
  try {
    view = await api('GET', '/anomalies?heatpump_id=' + encodeURIComponent(id) + '&limit=20');
  } catch (e) {
    // anomaly detection not installed (503) or not allowed: say so instead of an empty table
    clear(el, h('p.hint', t('anomalies_unavailable')));
    return;
  }
  const events = view.events || [];
  if (!events.length) {
    clear(el, h('p.hint#no-anomalies', t('no_anomalies')));
    return;
  }
  clear(el, h('table.values#anomalies', h('thead', h('tr', h('th', t('time')), h('th', t('mode')), h('th', t('score')), h('th', t('features')))),
    h('tbody', events.map(e => h('tr', { dataset: { event: String(e.id) } },
      h('td', fmtTime(e.time)), h('td', e.mode), h('td', e.score.toFixed(2)),
      h('td', (e.features || []).slice(0, 3).map(f => `${f.feature} ${f.value.toFixed(1)} (${t('usual')} ${f.mean.toFixed(1)})`).join(' · ')))))));
}
