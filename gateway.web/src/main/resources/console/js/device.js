// The device page (#/device/<id>), loaded on first visit: key values found by the drivers' sensor roles, a chart of
// chosen sensors over a chosen range (live while the range ends now), status, all live values, "edit this pump",
// anomalies and the history export.
import { t, h, clear, api, extendText, fmtReading, fmtNumber, confirmDialog, toast, errorBox } from './core.js';
import { can, every, live, onLeave, field, stateBadge, renderStatus, renderValues } from './app.js';
import { loadUplot, cssColor, axisStyle, rangeChooser } from './charts.js';

extendText({
  en: {
    key_values: 'Key values', outdoor: 'Outdoor', flow_return: 'Flow / return', hot_water: 'Hot water',
    electric_power: 'Power draw', heat_power: 'Heat output', cop_now: 'COP now', cop_day: 'COP today', cop_month: 'COP this month',
    chart: 'Chart', chart_sensors: 'Sensors in the chart', edit_device: 'Edit this heat pump', energy_link: 'Energy and efficiency',
    edit_test_first: 'A changed connection is tested before it is saved.', edit_saved: 'Saved: {0}.', testing_connection: 'Testing the connection…',
  },
  de: {
    key_values: 'Kennwerte', outdoor: 'Außen', flow_return: 'Vorlauf / Rücklauf', hot_water: 'Warmwasser',
    electric_power: 'Leistungsaufnahme', heat_power: 'Heizleistung', cop_now: 'COP jetzt', cop_day: 'COP heute', cop_month: 'COP diesen Monat',
    chart: 'Diagramm', chart_sensors: 'Sensoren im Diagramm', edit_device: 'Diese Wärmepumpe bearbeiten', energy_link: 'Energie und Effizienz',
    edit_test_first: 'Eine geänderte Verbindung wird vor dem Speichern getestet.', edit_saved: 'Gespeichert: {0}.', testing_connection: 'Teste die Verbindung…',
  },
});

const COLORS = [['--chart-1', '#0b6e4f'], ['--chart-2', '#c2410c'], ['--chart-3', '#1d4ed8'], ['--chart-4', '#7c3aed'], ['--chart-5', '#b91c1c'], ['--chart-6', '#0e7490']];

/** Key values: [key, roles or derived sensors that fill it]. */
const KEYS = [['outdoor', ['outdoor_temperature']], ['flow_return', ['flow_temperature', 'return_temperature']],
  ['hot_water', ['hot_water_temperature']], ['electric_power', ['electric_power']], ['heat_power', ['heat_power']],
  ['cop_now', ['=cop']], ['cop_day', ['=cop_day']], ['cop_month', ['=cop_month']]];

export async function devicePage(main, id) {
  const details = await api('GET', '/heatpumps/' + encodeURIComponent(id));
  const sensors = new Map(details.sensors.map(s => [s.id, s]));
  const roles = details.roles || {};
  const sensorOf = ref => (ref[0] === '=' ? ref.slice(1) : roles[ref]);
  const title = h('h1', details.name);
  const actions = h('div.actions');
  const keyValues = h('section.card#key-values', { 'aria-label': t('key_values') });
  const chartBox = h('section.card#device-chart');
  const editSlot = h('div#edit-slot');
  const status = h('section.card#device-status');
  const values = h('section#device-values');
  const anomalies = h('section.card#device-anomalies');
  const exportSlot = h('div#export-slot');
  main.append(h('div.row.wrap', title, h('span.grow'), actions), editSlot, keyValues, chartBox, status,
    h('h2', t('values')), values, h('h2', t('anomalies')), anomalies, h('h2', t('history_export')), exportSlot);

  // key values: only what this pump has; each tile keeps its sensors so a snapshot fills it
  const tiles = KEYS.map(([key, refs]) => [key, refs.map(sensorOf).filter(s => s && sensors.has(s))])
    .filter(([, ids]) => ids.length);
  const stateTile = h('div.kv', { dataset: { key: 'state' } }, h('span.kv-label', t('state')), h('span.kv-value', stateBadge(details.status && details.status.state)));
  const tileEls = new Map(tiles.map(([key, ids]) => [key, h('div.kv', { dataset: { key, sensors: ids.join(',') } },
    h('span.kv-label', t(key)), h('span.kv-value', t('none')))]));
  clear(keyValues, stateTile, [...tileEls.values()]);

  let lastData = null;
  const showValues = (data, source) => {
    lastData = data;
    for (const [key, ids] of tiles) {
      const el = tileEls.get(key);
      const readings = ids.map(s => data.values && data.values[s]);
      if (readings.every(r => !r || r.quality !== 'good')) continue;
      el.querySelector('.kv-value').textContent = readings.map((r, i) => (r && r.quality === 'good' ? fmtReading(r, sensors.get(ids[i])) : t('none'))).join(' / ');
      el.dataset.time = data.time || '';
    }
    keyValues.dataset.source = source;
    keyValues.dataset.time = data.time || '';
    renderValues(values, data, sensors);
  };
  const refresh = async () => {
    const d = await api('GET', '/heatpumps/' + encodeURIComponent(id));
    title.textContent = d.name;
    clear(stateTile.querySelector('.kv-value'), stateBadge(d.status && d.status.state));
    renderStatus(status, d);
    Object.assign(details, d);
  };
  renderStatus(status, details);
  api('GET', '/data/' + encodeURIComponent(id)).then(d => { if (!lastData) showValues(d, 'poll'); }).catch(() => {});

  const chart = chartCard(chartBox, id, sensors, roles);
  live(id, data => { showValues(data, 'live'); chart.snapshot(data); }, () => refresh().catch(() => {}));
  every(5000, refresh);

  const extras = import('./history.js');
  extras.then(m => { clear(exportSlot, m.exportCard(id, sensors)); m.renderAnomalies(anomalies, id); });
  every(60000, () => extras.then(m => m.renderAnomalies(anomalies, id)));

  actions.append(h('a.button.secondary#energy-link', { href: `#/energy/${encodeURIComponent(id)}` }, t('energy_link')));
  if (can.admin()) {
    actions.append(
      h('button.secondary#edit-device', { type: 'button', onclick: () => editForm(editSlot, details, d => { title.textContent = d.name; Object.assign(details, d); renderStatus(status, details); }) }, t('edit')),
      h('button.secondary#toggle-device', { type: 'button', onclick: async ev => {
        const d = await api('POST', `/heatpumps/${encodeURIComponent(id)}/${details.enabled ? 'disable' : 'enable'}`);
        Object.assign(details, d);
        ev.target.textContent = d.enabled ? t('disable') : t('enable');
        renderStatus(status, details);
      } }, details.enabled ? t('disable') : t('enable')),
      h('button.danger', { type: 'button', onclick: async () => {
        if (await confirmDialog(t('really_delete', details.name), t('remove'))) { await api('DELETE', '/heatpumps/' + encodeURIComponent(id)); location.hash = '#/'; }
      } }, t('delete_device')));
  }
}

/** The chart: chosen sensors (y axes by unit) over a preset or custom range; a range ending now grows with live snapshots. */
function chartCard(box, id, sensors, roles) {
  const numeric = [...sensors.values()].filter(s => !Object.keys(s.enum_values || {}).length && !['binary', 'mode', 'status', 'alarm', 'info', 'control'].includes(s.category));
  const defaults = ['outdoor_temperature', 'flow_temperature', 'return_temperature', 'hot_water_temperature'].map(r => roles[r]).filter(s => s && sensors.has(s));
  let chosen = defaults.length ? defaults : numeric.slice(0, 2).map(s => s.id);
  let plot = null;
  let data = null;
  let xRange = null; // seconds; what the x axis shows, whatever the data's own extent
  let drawing = 0;
  const plotEl = h('div.chart-plot#device-plot');
  const range = rangeChooser({ ids: { bar: 'range-picker', form: 'range-custom', from: 'range-from', to: 'range-to' },
    initial: '24h', onChange: () => draw() });
  const picker = h('details.chart-sensors', h('summary', t('chart_sensors')), h('div.checks', numeric.map(s =>
    h('label.check', h('input', { type: 'checkbox', value: s.id, checked: chosen.includes(s.id), onchange: ev => {
      chosen = ev.target.checked ? [...chosen, s.id] : chosen.filter(x => x !== s.id);
      draw();
    } }), ` ${s.name}${s.unit ? ` (${s.unit})` : ''}`))));
  box.append(h('div.row.wrap', h('h2', t('chart')), h('span.grow'), range.bar), range.form, picker, plotEl);

  async function draw() {
    const ticket = ++drawing;
    const [f, e] = range.window();
    const uPlot = await loadUplot();
    const series = await Promise.all(chosen.map(s => api('GET',
      `/history/${encodeURIComponent(id)}?sensor=${encodeURIComponent(s)}&from=${new Date(f).toISOString()}&to=${new Date(e).toISOString()}&points=300`).catch(() => null)));
    if (ticket !== drawing) return; // a newer choice came meanwhile
    const units = chosen.map((s, i) => (series[i] && series[i].unit) || (sensors.get(s) || {}).unit || '');
    const times = [...new Set([f / 1000, ...series.flatMap(x => (x ? x.points : []).map(p => Date.parse(p.time) / 1000)), e / 1000])].sort((a, b) => a - b);
    const index = new Map(times.map((x, i) => [x, i]));
    data = [times, ...series.map(x => {
      const col = new Array(times.length).fill(null);
      (x ? x.points : []).forEach(p => { col[index.get(Date.parse(p.time) / 1000)] = p.value; });
      return col;
    })];
    const scales = [...new Set(units)];
    const style = axisStyle();
    const axes = [{ ...style }, ...scales.map((u, i) => ({ ...style, scale: u || '_', label: u || '', side: i % 2 ? 1 : 3, grid: { ...style.grid, show: i === 0 }, size: 54,
      values: (self, ticks) => ticks.map(v => fmtNumber(v)) }))];
    const opts = { width: width(), height: 240, cursor: { drag: { x: true, y: false } }, legend: { live: true },
      hooks: { draw: [u => mark(u)] },
      scales: { x: { time: true, range: () => xRange } },
      axes, series: [{}, ...chosen.map((s, i) => ({ label: (sensors.get(s) || { name: s }).name, scale: units[i] || '_', width: 2, spanGaps: true,
        stroke: cssColor(COLORS[i % COLORS.length][0], COLORS[i % COLORS.length][1]), value: (u, v) => (v == null ? '' : fmtNumber(v, units[i])) }))] };
    if (plot) plot.destroy();
    clear(plotEl);
    if (!chosen.length) { plot = null; return; }
    xRange = [f / 1000, e / 1000];
    plot = new uPlot(opts, data, plotEl);
  }

  /** What the chart shows, as data attributes (after each draw: uPlot sets its scales then). */
  function mark(u) {
    if (u.scales.x.min == null) return;
    plotEl.dataset.from = String(Math.round(u.scales.x.min * 1000));
    plotEl.dataset.to = String(Math.round(u.scales.x.max * 1000));
    plotEl.dataset.points = String(u.data[0].length);
    plotEl.dataset.units = [...new Set(u.series.slice(1).map(s => s.scale))].filter(k => k !== '_').join(',');
    plotEl.dataset.axes = u.axes.slice(1).map(a => a.label).join(',');
  }

  const width = () => Math.max(260, plotEl.clientWidth || box.clientWidth - 24);
  const resize = () => plot && plot.setSize({ width: width(), height: 240 });
  window.addEventListener('resize', resize);
  onLeave(() => { window.removeEventListener('resize', resize); if (plot) plot.destroy(); });
  draw().catch(e => plotEl.append(errorBox(e)));

  return {
    /** A live snapshot: appended while the range ends now, the window sliding with it. */
    snapshot(snap) {
      if (!plot || !range.live() || !data) return;
      const at = Date.parse(snap.time) / 1000;
      if (!(at > data[0][data[0].length - 1])) return; // already shown (or older than the window's end)
      data[0].push(at);
      chosen.forEach((s, i) => { const r = snap.values[s]; data[i + 1].push(r && r.quality === 'good' ? r.value : null); });
      const start = at - range.span() / 1000;
      while (data[0].length > 2 && data[0][0] < start) data.forEach(col => col.shift());
      xRange = [start, at];
      plot.setData(data);
      plotEl.dataset.live = String(Number(plotEl.dataset.live || 0) + 1);
    },
  };
}

/**
 * Edit this pump: name, connection, circuits and zones, poll interval. A changed connection is tested first (POST
 * /heatpumps/test, as the wizard does, with the chosen circuits) and saved (PUT /heatpumps/{id}) only when the test
 * reads values. The circuits and zones offered are the model's (its setup endpoint); while its driver is missing they
 * stay as they are.
 */
function editForm(slot, d, saved) {
  if (slot.firstChild) return clear(slot);
  const c = d.connection_config;
  const inputs = {
    name: h('input#edit-name', { value: d.name, required: true }),
    host: h('input#edit-host', { value: c.host, required: true, autocomplete: 'off' }),
    port: h('input#edit-port', { type: 'number', min: 1, max: 65535, value: c.port, required: true }),
    unit_id: h('input#edit-unit', { type: 'number', min: 0, max: 255, value: c.unit_id }),
    poll: h('input#edit-poll', { type: 'number', min: 1, value: d.poll_interval }),
  };
  const msg = h('div#edit-message');
  const layout = h('div#edit-circuits');
  let circuitBoxes = [];
  let zoneBoxes = [];
  const box = (checked, value, text, data) => h('label.check', h('input', { type: 'checkbox', value, checked, dataset: data }), ' ' + text);
  api('GET', `/manufacturers/${encodeURIComponent(d.manufacturer)}/models/${encodeURIComponent(d.model)}/setup`).then(setup => {
    const caps = setup.capabilities || { circuits: [], max_zones: 0 };
    circuitBoxes = caps.circuits.map(c => box(d.device_config.circuits.includes(c), c, c, { circuit: c }));
    zoneBoxes = Array.from({ length: caps.max_zones || 0 }, (_, z) => box(d.device_config.zones.includes(z), z, String(z + 1), { zone: String(z) }));
    clear(layout, circuitBoxes.length ? h('fieldset', h('legend', t('circuits')), circuitBoxes) : null,
      zoneBoxes.length ? h('fieldset', h('legend', t('zones')), zoneBoxes) : null);
  }).catch(() => {}); // no driver, no setup: circuits and zones are kept
  const chosenLayout = () => (circuitBoxes.length || zoneBoxes.length
    ? { circuits: circuitBoxes.map(l => l.firstChild).filter(i => i.checked).map(i => i.value),
      zones: zoneBoxes.map(l => l.firstChild).filter(i => i.checked).map(i => Number(i.value)) }
    : { circuits: d.device_config.circuits, zones: d.device_config.zones });
  const submit = h('button.primary#edit-save', { type: 'submit' }, t('save'));
  clear(slot, h('form.card#device-edit', { onsubmit: async ev => {
    ev.preventDefault();
    const connection = { host: inputs.host.value.trim(), port: Number(inputs.port.value), unit_id: Number(inputs.unit_id.value) };
    const changed = connection.host !== c.host || connection.port !== c.port || connection.unit_id !== c.unit_id;
    const deviceConfig = chosenLayout();
    submit.disabled = true;
    try {
      if (changed) {
        clear(msg, h('p.muted', t('testing_connection')));
        try {
          await api('POST', '/heatpumps/test', { name: inputs.name.value.trim(), manufacturer: d.manufacturer, model: d.model,
            connection_config: connection, device_config: deviceConfig, poll_interval: Number(inputs.poll.value) });
        } catch (e) {
          if (e.status === 401) throw e;
          const { diagnose } = await import('./wizard.js');
          clear(msg, h('div.diagnosis#edit-diagnosis', { role: 'alert' }, h('strong', t('diagnosis') + ': '), diagnose(e, null)),
            h('small.muted', (e.problem && e.problem.technical) || e.message));
          return;
        }
      }
      const updated = await api('PUT', '/heatpumps/' + encodeURIComponent(d.id), { name: inputs.name.value.trim(),
        connection_config: connection, device_config: deviceConfig, poll_interval: Number(inputs.poll.value) });
      toast(t('edit_saved', updated.name));
      clear(slot);
      const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
      if (!same(deviceConfig.circuits, d.device_config.circuits) || !same(deviceConfig.zones, d.device_config.zones)) {
        // other circuits, other sensors: the whole page is drawn again for the new sensor list
        window.dispatchEvent(new HashChangeEvent('hashchange'));
        return;
      }
      saved(updated);
    } catch (e) {
      clear(msg, errorBox(e));
    } finally {
      submit.disabled = false;
    }
  } }, h('h2', t('edit_device')), h('p.muted', t('edit_test_first')),
  h('div.form-grid', field(t('name'), inputs.name), field(t('host'), inputs.host), field(t('port'), inputs.port),
    field(t('unit_id'), inputs.unit_id), field(t('poll_interval'), inputs.poll)), layout,
  msg, h('div.actions', h('button.secondary', { type: 'button', onclick: () => clear(slot) }, t('cancel')), submit)));
  inputs.name.focus();
}
