// Energy and efficiency (#/energy, #/energy/<id>): heat delivered and electricity used per day or month as bars, the
// COP of each period and the heating season's SCOP, for one heat pump or all; CSV and JSON from GET /api/energy.
import { t, h, clear, api, extendText, fmtNumber, errorBox } from './core.js';
import { onLeave } from './app.js';
import { loadUplot, cssColor, axisStyle } from './charts.js';

extendText({
  en: {
    energy_title: 'Energy and efficiency', all_devices: 'All heat pumps', by_day: 'Per day', by_month: 'Per month',
    heat: 'Heat', electricity: 'Electricity', cop: 'COP', scop: 'Season SCOP', period: 'Period', period_cop: 'COP of the range',
    season_range: '{0} – {1}', no_energy: 'No energy sums in this range yet: they are kept from the first poll of a heat pump whose driver reports heat and power.',
    export_csv: 'CSV', export_json: 'JSON', show: 'Show', grouping: 'Grouping',
  },
  de: {
    energy_title: 'Energie und Effizienz', all_devices: 'Alle Wärmepumpen', by_day: 'Pro Tag', by_month: 'Pro Monat',
    heat: 'Wärme', electricity: 'Strom', cop: 'COP', scop: 'Saison-JAZ (SCOP)', period: 'Zeitraum', period_cop: 'COP im Zeitraum',
    season_range: '{0} – {1}', no_energy: 'Noch keine Energiesummen in diesem Zeitraum: sie entstehen ab der ersten Abfrage einer Wärmepumpe, deren Treiber Wärme und Leistung liefert.',
    export_csv: 'CSV', export_json: 'JSON', show: 'Anzeigen', grouping: 'Gruppierung',
  },
});

export async function energyPage(main, id, devices) {
  const device = h('select#energy-device', { 'aria-label': t('device') }, h('option', { value: '' }, t('all_devices')),
    (devices || []).map(d => h('option', { value: d.id, selected: d.id === id }, d.name)));
  const by = h('select#energy-by', { 'aria-label': t('grouping') }, h('option', { value: 'day' }, t('by_day')), h('option', { value: 'month' }, t('by_month')));
  const from = h('input#energy-from', { type: 'date', 'aria-label': t('from') });
  const to = h('input#energy-to', { type: 'date', 'aria-label': t('to') });
  const csv = h('a.button#energy-csv', { download: '' }, t('export_csv'));
  const json = h('a.button#energy-json', { download: '' }, t('export_json'));
  const summary = h('section.card#energy-summary');
  const plotEl = h('div.chart-plot#energy-plot');
  const table = h('div.scroll#energy-rows');
  main.append(h('h1', t('energy_title')),
    h('form.card.energy-controls#energy-form', { onsubmit: ev => { ev.preventDefault(); load(); } },
      h('div.row.wrap', device, by, h('label.inline', t('from'), from), h('label.inline', t('to'), to),
        h('button.primary', { type: 'submit' }, t('show')), h('span.grow'), csv, json)),
    summary, h('section.card', plotEl), table);
  let plot = null;
  const width = () => Math.max(260, plotEl.clientWidth || main.clientWidth - 40);
  const resize = () => plot && plot.setSize({ width: width(), height: 260 });
  window.addEventListener('resize', resize);
  onLeave(() => { window.removeEventListener('resize', resize); if (plot) plot.destroy(); });
  device.addEventListener('change', () => {
    // the link names the pump, so a reload or a bookmark shows the same
    history.replaceState(null, '', device.value ? `#/energy/${encodeURIComponent(device.value)}` : '#/energy');
    load();
  });
  by.addEventListener('change', () => { from.value = ''; to.value = ''; load(); });

  const query = format => {
    const q = new URLSearchParams({ by: by.value, format });
    if (device.value) q.set('device', device.value);
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    return '/energy?' + q;
  };

  let loads = 0;
  async function load() {
    const ticket = ++loads;
    let r;
    try {
      r = await api('GET', query('json'));
    } catch (e) {
      return clear(summary, errorBox(e));
    }
    if (ticket !== loads) return; // a newer choice was made meanwhile
    from.value = r.from;
    to.value = r.to;
    csv.href = '/api' + query('csv');
    json.href = '/api' + query('json');
    const tile = (key, label, value, sub) => h('div.kv', { dataset: { key } }, h('span.kv-label', label), h('span.kv-value', value), sub ? h('small.muted', sub) : null);
    clear(summary, h('div.kv-grid',
      tile('heat', t('heat'), fmtNumber(r.total.heat_kwh, r.unit)),
      tile('electricity', t('electricity'), fmtNumber(r.total.electric_kwh, r.unit)),
      tile('cop', t('period_cop'), fmtNumber(r.total.cop)),
      tile('scop', t('scop'), fmtNumber(r.season.scop), t('season_range', r.season.from, r.season.to))));
    clear(table, r.rows.length ? h('table.values#energy-table', h('thead', h('tr', h('th', t('period')),
      h('th', `${t('heat')} (${r.unit})`), h('th', `${t('electricity')} (${r.unit})`), h('th', t('cop')))),
    h('tbody', r.rows.map(x => h('tr', { dataset: { period: x.period } }, h('td', x.period), h('td.value', fmtNumber(x.heat_kwh)),
      h('td.value', fmtNumber(x.electric_kwh)), h('td.value', fmtNumber(x.cop))))))
      : h('p.muted#no-energy', t('no_energy')));
    await bars(r);
  }

  async function bars(r) {
    const uPlot = await loadUplot();
    if (plot) { plot.destroy(); plot = null; }
    clear(plotEl);
    if (!r.rows.length) return;
    // a period as the local midnight it starts at
    const x = r.rows.map(row => new Date(row.period.length === 7 ? row.period + '-01T00:00' : row.period + 'T00:00').getTime() / 1000);
    const step = r.by === 'month' ? 30 * 86400 : 86400;
    const bar = (align, color) => ({ width: 0, fill: color, stroke: color, points: { show: false },
      paths: uPlot.paths.bars({ size: [0.4, 48], align }) });
    const heat = cssColor('--energy-heat', '#c2410c');
    const power = cssColor('--energy-electricity', '#1d4ed8');
    plot = new uPlot({ width: width(), height: 260, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => [x[0] - step / 2, x[x.length - 1] + step / 2] }, kwh: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] },
        cop: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.2)] } },
      axes: [{ ...axisStyle() }, { ...axisStyle(), scale: 'kwh', label: r.unit, size: 54, values: (u, ticks) => ticks.map(v => fmtNumber(v)) },
        { ...axisStyle(), scale: 'cop', label: t('cop'), side: 1, grid: { show: false }, size: 44 }],
      series: [{}, { label: `${t('heat')} (${r.unit})`, scale: 'kwh', ...bar(-1, heat), value: (u, v) => fmtNumber(v, r.unit) },
        { label: `${t('electricity')} (${r.unit})`, scale: 'kwh', ...bar(1, power), value: (u, v) => fmtNumber(v, r.unit) },
        { label: t('cop'), scale: 'cop', stroke: cssColor('--accent', '#0b6e4f'), width: 2, spanGaps: true, value: (u, v) => fmtNumber(v) }] },
    [x, r.rows.map(row => row.heat_kwh), r.rows.map(row => row.electric_kwh), r.rows.map(row => row.cop)], plotEl);
    plotEl.dataset.bars = String(r.rows.length);
  }

  await load();
}
