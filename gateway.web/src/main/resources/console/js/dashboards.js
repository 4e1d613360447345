// Dashboards: the driver's default per device plus the user's own (server store, when the gateway has it).
// One range for the whole dashboard (1 h … 30 d, remembered per dashboard, or a custom from/to); line charts follow the
// event stream while the range ends now. Widgets: line (uPlot, as on the device page), bar (values per period, or the current values of
// several sensors), state timeline (an enum or on/off sensor's states as bands), heatmap (hour of day × day), stat,
// gauge, table. Editing: add, edit, remove, reorder; every change is a PUT of the dashboard's config.
import { t, h, clear, api, extendText, fmtNumber, fmtReading, label, confirmDialog, errorBox, toast } from './core.js';
import { can, live, onLeave } from './app.js';
import { loadUplot, cssColor, axisStyle, rangeChooser, RANGES } from './charts.js';

extendText({
  en: {
    type_bar: 'Bars', type_state: 'State timeline', type_heatmap: 'Heatmap', edit_widget: 'Edit widget', save_widget: 'Save widget',
    bar_mode: 'Bars show',
    bar_auto: 'Automatic', bar_period: 'Values per period', bar_current: 'Current values', gauge_min: 'Minimum', gauge_max: 'Maximum',
    on: 'On', off: 'Off', no_sensor: 'Choose at least one sensor.', hour_of_day: 'Hour of day',
  },
  de: {
    type_bar: 'Balken', type_state: 'Zustandsverlauf', type_heatmap: 'Heatmap', edit_widget: 'Widget bearbeiten', save_widget: 'Widget speichern',
    bar_mode: 'Balken zeigen',
    bar_auto: 'Automatisch', bar_period: 'Werte pro Zeitabschnitt', bar_current: 'Aktuelle Werte', gauge_min: 'Minimum', gauge_max: 'Maximum',
    on: 'Ein', off: 'Aus', no_sensor: 'Mindestens einen Sensor wählen.', hour_of_day: 'Stunde',
  },
});

const TYPES = ['line', 'bar', 'state', 'heatmap', 'stat', 'gauge', 'table'];
/** The period of one bar for a range of this length: 5 minutes up to 3 h, hours up to 2 days, else days. */
const periodFor = span => (span <= 3 * 3600e3 ? 300e3 : span <= 2 * 86400e3 ? 3600e3 : 86400e3);
const COLORS = [['--chart-1', '#0b6e4f'], ['--chart-2', '#c2410c'], ['--chart-3', '#1d4ed8'], ['--chart-4', '#7c3aed'], ['--chart-5', '#b91c1c'], ['--chart-6', '#0e7490']];
const ENERGY_UNITS = ['Wh', 'kWh', 'MWh'];
const DAY = 86400e3;

export async function dashboards(main, id) {
  if (!id) return main.append(h('p.muted', t('no_devices')));
  const device = await api('GET', '/heatpumps/' + encodeURIComponent(id));
  const sensors = new Map(device.sensors.map(s => [s.id, s]));
  const q = `?circuits=${encodeURIComponent(device.device_config.circuits.join(','))}&zones=${encodeURIComponent(device.device_config.zones.join(','))}`;
  const setup = await api('GET', `/manufacturers/${encodeURIComponent(device.manufacturer)}/models/${encodeURIComponent(device.model)}/setup${q}`).catch(() => null);
  const standard = { id: null, name: t('default_dashboard'), charts: setup ? setup.dashboard_template.charts : [] };
  let stored = null;
  try { stored = await api('GET', '/dashboards?heatpump_id=' + encodeURIComponent(id)); } catch (e) { if (e.status !== 404) throw e; }
  if (stored && !Array.isArray(stored)) stored = stored.dashboards || [];
  const charts = d => (d.config && Array.isArray(d.config.charts) ? d.config.charts : []);
  // The gateway stores the driver's default dashboard when a device is added; the template itself is shown only
  // for a device without any (added before dashboards were stored, or a gateway without the store).
  const saved = (stored || []).sort((a, b) => a.position - b.position).map(d => ({ ...d, charts: charts(d) }));
  const all = saved.length ? saved : [standard];
  const tabs = h('div.row.wrap#dashboard-tabs');
  const body = h('div#dashboard');
  main.append(h('h1', `${t('dashboards')}: ${device.name}`), tabs, body);
  let current = all[0];
  let range = null; // the range chooser of the dashboard shown
  let editingIndex = null; // the widget shown in the editor form, null while adding
  /** What the shown widgets want from the event stream: line charts that grow while the range ends now. */
  let listeners = [];
  live(id, snap => listeners.forEach(fn => fn(snap)));

  const rangeKey = () => 'gw.dashboard.range.' + (current.id != null ? current.id : 'default.' + id);
  const rememberedRange = () => { const r = localStorage.getItem(rangeKey()); return RANGES[r] ? r : '24h'; };
  const unitOf = (sid, series) => (series && series.unit) || (sensors.get(sid) || {}).unit || '';
  const nameOf = sid => (sensors.get(sid) || { name: sid }).name;

  const renderTabs = () => clear(tabs, all.map(d => h('button.tab' + (d === current ? '.active' : ''), { type: 'button', onclick: () => { current = d; renderTabs(); show(); } }, d.name)),
    h('span.grow'),
    can.write() && stored ? h('button.secondary#new-dashboard', { type: 'button', onclick: async () => {
      const created = await api('POST', '/dashboards', { name: `${t('new_dashboard')} ${all.length}`, heatpump_id: id,
        config: { charts: (all[0] || standard).charts }, position: all.length });
      current = { ...created, charts: charts(created) };
      all.push(current); renderTabs(); show(true);
    } }, t('new_dashboard')) : null,
    !stored ? h('small.muted', `${t('new_dashboard')}: ${t('not_available')}`) : null);

  async function save() {
    const saved = await api('PUT', '/dashboards/' + encodeURIComponent(current.id), { config: { ...(current.config || {}), charts: current.charts } });
    current.config = saved.config;
    current.charts = charts(saved);
    toast(t('saved'));
  }

  function show(editing) {
    editingIndex = null;
    const editable = can.write() && current.id != null;
    const widgets = h('div.widgets');
    const bar = h('div.row.wrap.dashboard-bar');
    range = rangeChooser({ ids: { bar: 'dashboard-range', form: 'dashboard-range-custom', from: 'dashboard-range-from',
      to: 'dashboard-range-to' }, initial: rememberedRange(), onChange: () => {
      if (range.key() !== 'custom') localStorage.setItem(rangeKey(), range.key()); // a preset is remembered
      drawAll();
    } });
    if (editable) {
      bar.append(h('button.secondary#edit-dashboard', { type: 'button', onclick: () => show(!editing) }, editing ? t('save') : t('edit')),
        h('button.danger', { type: 'button', onclick: async () => {
          if (!(await confirmDialog(t('really_remove', current.name), t('remove')))) return;
          await api('DELETE', '/dashboards/' + encodeURIComponent(current.id));
          all.splice(all.indexOf(current), 1); current = all[0]; renderTabs(); show();
        } }, t('remove')));
    }
    if (editable && editing) {
      bar.append(h('input#dashboard-name', { value: current.name, 'aria-label': t('name'), onchange: async ev => {
        await api('PUT', '/dashboards/' + encodeURIComponent(current.id), { name: ev.target.value });
        current.name = ev.target.value; renderTabs();
      } }));
    }
    bar.append(h('span.grow'), range.bar);
    const editorSlot = h('div#widget-editor-slot');
    clear(body, bar, range.form, widgets, editorSlot);
    let cleanups = [];
    const drawAll = () => {
      cleanups.forEach(fn => fn());
      cleanups = [];
      listeners = [];
      clear(widgets, current.charts.map((c, i) => widget(c, i, editing, fn => cleanups.push(fn), openEditor)));
    };
    const openEditor = index => {
      editingIndex = index;
      clear(editorSlot, editor(index == null ? null : current.charts[index]));
      editorSlot.scrollIntoView({ block: 'nearest' });
    };
    onLeave(() => { cleanups.forEach(fn => fn()); widgets.replaceChildren(); });
    drawAll();
    if (editing) openEditor(null);
  }

  function widget(chart, index, editing, cleanup, openEditor) {
    const type = normalType(chart.type);
    const box = h('section.card.widget.w-' + type, { dataset: { type, index: String(index) } },
      h('div.row', h('h3', chart.title), h('span.grow'), editing ? [
        h('button.icon.edit-widget', { type: 'button', title: t('edit_widget'), 'aria-label': `${t('edit_widget')}: ${chart.title}`, onclick: () => openEditor(index) }, '✎'),
        h('button.icon', { type: 'button', title: t('up'), 'aria-label': t('up'), disabled: index === 0, onclick: () => move(index, -1) }, '↑'),
        h('button.icon', { type: 'button', title: t('down'), 'aria-label': t('down'), disabled: index === current.charts.length - 1, onclick: () => move(index, 1) }, '↓'),
        h('button.icon', { type: 'button', title: t('remove'), 'aria-label': t('remove'), onclick: async () => { current.charts.splice(index, 1); await save(); show(true); } }, '✕')] : null));
    const content = h('div.widget-body');
    box.append(content);
    draw(content, chart, type, cleanup).catch(e => content.append(errorBox(e)));
    return box;
  }

  async function move(index, delta) {
    const [c] = current.charts.splice(index, 1);
    current.charts.splice(index + delta, 0, c);
    await save();
    show(true);
  }

  /** The form that adds a widget, or edits the one at editingIndex (title, kind, sensors, the kind's options). */
  function editor(chart) {
    const options = (chart && chart.options) || {};
    const title = h('input#widget-title', { value: chart ? chart.title : '' });
    const type = h('select#widget-type', TYPES.map(x => h('option', { value: x, selected: chart && normalType(chart.type) === x }, t('type_' + x))));
    const sensor = h('select#widget-sensors', { multiple: true, size: 6 }, [...sensors.values()].map(s =>
      h('option', { value: s.id, selected: !!chart && chart.sensors.includes(s.id) }, `${s.name}${s.unit ? ` (${s.unit})` : ''} · ${s.id}`)));
    const barMode = h('select#widget-bar-mode', ['auto', 'period', 'current'].map(x => h('option', { value: x, selected: (options.bars || 'auto') === x }, t('bar_' + x))));
    const min = h('input#widget-min', { type: 'number', step: 'any', value: options.min != null ? String(options.min) : '' });
    const max = h('input#widget-max', { type: 'number', step: 'any', value: options.max != null ? String(options.max) : '' });
    const barField = h('label.field', h('span', t('bar_mode')), barMode);
    const gaugeFields = [h('label.field', h('span', t('gauge_min')), min), h('label.field', h('span', t('gauge_max')), max)];
    const kindFields = () => {
      barField.hidden = type.value !== 'bar';
      gaugeFields.forEach(f => { f.hidden = type.value !== 'gauge'; });
    };
    type.addEventListener('change', kindFields);
    kindFields();
    const msg = h('div.widget-editor-message', { role: 'alert' });
    const editingIt = chart != null;
    return h('form.card.editor#widget-editor', { dataset: { mode: editingIt ? 'edit' : 'add' }, onsubmit: async ev => {
      ev.preventDefault();
      const chosen = [...sensor.selectedOptions].map(o => o.value);
      if (!chosen.length) return clear(msg, h('p.error', t('no_sensor')));
      const opts = {};
      if (type.value === 'bar' && barMode.value !== 'auto') opts.bars = barMode.value;
      if (type.value === 'gauge' && min.value !== '') opts.min = Number(min.value);
      if (type.value === 'gauge' && max.value !== '') opts.max = Number(max.value);
      const next = { ...(chart || {}), title: title.value.trim() || nameOf(chosen[0]), type: type.value, sensors: chosen, options: opts };
      if (!Object.keys(opts).length) delete next.options;
      const before = current.charts.slice();
      if (editingIt) current.charts[editingIndex] = next; else current.charts.push(next);
      try {
        await save();
      } catch (e) {
        current.charts = before; // not stored: the dashboard stays as the server has it
        return clear(msg, errorBox(e));
      }
      show(true);
    } }, h('h3', editingIt ? t('edit_widget') : t('add_widget')), h('div.form-grid',
      h('label.field', h('span', t('title')), title), h('label.field', h('span', t('widget_type')), type),
      h('label.field', h('span', t('sensors')), sensor), barField, gaugeFields), msg,
    h('div.actions', editingIt ? h('button.secondary', { type: 'button', onclick: () => show(true) }, t('cancel')) : null,
      h('button.primary#widget-save', { type: 'submit' }, editingIt ? t('save_widget') : t('add'))));
  }

  /** [from, to] in ms of the dashboard's range. */
  const window_ = () => range.window();

  const history = (sid, f, e, points) => api('GET', `/history/${encodeURIComponent(id)}?sensor=${encodeURIComponent(sid)}`
    + `&from=${new Date(f).toISOString()}&to=${new Date(e).toISOString()}&points=${points}`).catch(() => null);

  async function draw(el, chart, type, cleanup) {
    if (type === 'line') return line(el, chart, cleanup);
    const byHistory = { bar: bars, state: timeline, heatmap }[type];
    if (byHistory) {
      // a minute is the finest step these show (5-minute bars in an hour's range)
      const timer = setInterval(() => byHistory(el, chart).catch(() => {}), 60000);
      cleanup(() => clearInterval(timer));
      return byHistory(el, chart);
    }
    const timer = setInterval(() => current_(el, chart, type).catch(() => {}), 3000);
    cleanup(() => clearInterval(timer));
    return current_(el, chart, type);
  }

  async function current_(el, chart, type) {
    const data = await api('GET', '/data/' + encodeURIComponent(id));
    const rows = chart.sensors.map(s => [s, sensors.get(s), data.values[s]]).filter(([, , r]) => r);
    const options = chart.options || {};
    if (type === 'table') {
      clear(el, h('table.values', h('tbody', rows.map(([sid, s, r]) => h('tr', h('th', s ? s.name : sid), h('td.value', fmtReading(r, s)))))));
    } else if (type === 'gauge') {
      clear(el, rows.slice(0, 1).map(([, s, r]) => gauge(r.value, options.min != null ? options.min : s && s.min != null ? s.min : 0,
        options.max != null ? options.max : s && s.max != null ? s.max : 100, fmtReading(r, s))));
    } else {
      clear(el, rows.map(([sid, s, r]) => h('div.stat', h('div.stat-value', { title: r.text || '' }, fmtReading(r, s)), h('small.muted', s ? s.name : sid))));
    }
  }

  /** The x range, points and axis labels as data attributes, so what a canvas shows can be checked. */
  function mark(el, u) {
    if (u.scales.x.min == null) return;
    el.dataset.from = String(Math.round(u.scales.x.min * 1000));
    el.dataset.to = String(Math.round(u.scales.x.max * 1000));
    el.dataset.points = String(u.data[0].length);
    el.dataset.axes = u.axes.slice(1).map(a => a.label).join(',');
  }

  async function line(el, chart, cleanup) {
    const [f, e] = window_();
    const shown = range;
    const [uPlot, series] = await Promise.all([loadUplot(), Promise.all(chart.sensors.map(s => history(s, f, e, 300)))]);
    if (shown !== range || !el.isConnected) return;
    const units = chart.sensors.map((s, i) => unitOf(s, series[i]));
    // the window's ends as (empty) points, so the axis shows the whole range even while history is short
    const times = [...new Set([f / 1000, ...series.flatMap(x => (x ? x.points : []).map(p => Date.parse(p.time) / 1000)), e / 1000])].sort((a, b) => a - b);
    const index = new Map(times.map((x, i) => [x, i]));
    const data = [times, ...series.map(x => {
      const col = new Array(times.length).fill(null);
      (x ? x.points : []).forEach(p => { col[index.get(Date.parse(p.time) / 1000)] = p.value; });
      return col;
    })];
    let xRange = [f / 1000, e / 1000];
    const scales = [...new Set(units)];
    const style = axisStyle();
    const plotEl = h('div.chart-plot');
    const width = () => Math.max(240, el.clientWidth - 8);
    const plot = new uPlot({ width: width(), height: 220, cursor: { drag: { x: true, y: false } }, legend: { live: true },
      hooks: { draw: [u => mark(plotEl, u)] },
      scales: { x: { time: true, range: () => xRange } },
      axes: [{ ...style }, ...scales.map((u, i) => ({ ...style, scale: u || '_', label: u || '', side: i % 2 ? 1 : 3,
        grid: { ...style.grid, show: i === 0 }, size: 54, values: (self, ticks) => ticks.map(v => fmtNumber(v)) }))],
      series: [{}, ...chart.sensors.map((s, i) => ({ label: nameOf(s), scale: units[i] || '_', width: 2, spanGaps: true,
        stroke: cssColor(COLORS[i % COLORS.length][0], COLORS[i % COLORS.length][1]), value: (u, v) => (v == null ? '' : fmtNumber(v, units[i])) }))] },
    data, plotEl);
    clear(el, plotEl, h('small.muted', t('zoom_hint')));
    // live: each snapshot is appended and the window slides with it
    listeners.push(snap => {
      const at = Date.parse(snap.time) / 1000;
      if (!range.live() || !(at > data[0][data[0].length - 1])) return;
      data[0].push(at);
      chart.sensors.forEach((s, i) => { const r = snap.values[s]; data[i + 1].push(r && r.quality === 'good' ? r.value : null); });
      const start = at - range.span() / 1000;
      while (data[0].length > 2 && data[0][0] < start) data.forEach(col => col.shift());
      xRange = [start, at];
      plot.setData(data);
      plotEl.dataset.live = String(Number(plotEl.dataset.live || 0) + 1);
    });
    const resize = () => plot.setSize({ width: width(), height: 220 });
    window.addEventListener('resize', resize);
    cleanup(() => { window.removeEventListener('resize', resize); plot.destroy(); });
  }

  /**
   * Bars: values per period (a meter's growth, e.g. kWh per day, or another sensor's mean) over the range, or the
   * current values of several sensors side by side. Plain elements, so each bar has its label and value as text.
   */
  async function bars(el, chart) {
    const units = chart.sensors.map(s => unitOf(s));
    const meters = units.every(u => ENERGY_UNITS.includes(u));
    const mode = (chart.options || {}).bars || (meters || chart.sensors.length === 1 ? 'period' : 'current');
    const [f0, e] = window_();
    let groups; // [{ label, bars: [{ sensor, value, unit }] }]
    if (mode === 'current') {
      const data = await api('GET', '/data/' + encodeURIComponent(id));
      groups = [{ label: '', bars: chart.sensors.map((s, i) => ({ sensor: s, value: (data.values[s] || {}).value, unit: units[i] })) }];
    } else {
      const period = periodFor(e - f0);
      const start = periodStart(f0 + 1, period);
      const count = Math.ceil((e - start) / period);
      // buckets that divide the periods exactly, so none straddles two bars
      const series = await Promise.all(chart.sensors.map(s => history(s, start, start + count * period, count * 6)));
      groups = Array.from({ length: count }, (_, k) => {
        const at = start + k * period;
        return { at, label: periodLabel(at, period), bars: chart.sensors.map((s, i) => {
          const pts = (series[i] ? series[i].points : []).filter(p => { const x = Date.parse(p.time); return x >= at && x < at + period; });
          if (!pts.length) return { sensor: s, value: null, unit: units[i] };
          const value = ENERGY_UNITS.includes(units[i]) ? Math.max(...pts.map(p => p.max)) - Math.min(...pts.map(p => p.min))
            : pts.reduce((a, p) => a + p.value, 0) / pts.length;
          return { sensor: s, value, unit: units[i] };
        }) };
      });
    }
    const values = groups.flatMap(g => g.bars.map(b => b.value)).filter(v => v != null && Number.isFinite(v));
    const top = Math.max(0, ...values);
    const bottom = Math.min(0, ...values);
    const span = (top - bottom) || 1;
    const chartEl = h('div.bar-chart', { dataset: { mode, from: String(f0), to: String(e), bars: String(values.length) }, role: 'img',
      // it scrolls sideways when the bars do not fit: keyboard users reach it with Tab and scroll it with the arrows
      'aria-label': chart.title, tabindex: 0 });
    for (const g of groups) {
      const group = h('div.bar-group', { dataset: { period: g.label } });
      g.bars.forEach((b, i) => {
        const text = b.value == null ? t('none') : fmtNumber(b.value, b.unit);
        const bar = h('div.bar.series-' + (i % COLORS.length + 1), { title: `${nameOf(b.sensor)}${g.label ? ' · ' + g.label : ''}: ${text}`,
          dataset: { sensor: b.sensor, value: b.value == null ? '' : String(b.value) } });
        // sizes through the CSSOM (the console's CSP refuses style attributes)
        bar.style.height = b.value == null ? '0' : `${Math.max(1, Math.abs(b.value) / span * 100)}%`;
        group.append(h('div.bar-slot', bar, mode === 'current' ? h('span.bar-value', text) : null));
      });
      // every period keeps its label in data-period (and the bars' titles); four fit under the bars even on a phone
      group.append(h('span.bar-label', mode === 'current' || groups.indexOf(g) % Math.ceil(groups.length / 4) ? '' : g.label));
      chartEl.append(group);
    }
    const legend = h('div.chart-legend', chart.sensors.map((s, i) => h('span.legend-item', h('span.swatch.series-' + (i % COLORS.length + 1)),
      ` ${nameOf(s)}${units[i] ? ` (${units[i]})` : ''}`)));
    const scale = h('div.bar-scale.muted', h('span', fmtNumber(top, units[0])), h('span', fmtNumber(bottom, units[0])));
    clear(el, h('div.bar-wrap', scale, chartEl), legend);
  }

  /** State timeline: one row per sensor, its states over the range as coloured bands, each labelled. */
  async function timeline(el, chart) {
    const [f, e] = window_();
    // buckets of 2.4 s (1 h) to 29 min (30 d); a bucket whose min equals its max holds one state
    const series = await Promise.all(chart.sensors.map(s => history(s, f, e, 1500)));
    const rows = chart.sensors.map((s, i) => {
      const def = sensors.get(s) || {};
      const names = def.enum_values || {};
      const own = def.enum_labels || {}; // the driver's words in the console's language
      const word = key => own[key] || label(names[key]);
      const stateName = v => {
        const key = String(v);
        if (names[key] != null) return word(key);
        if (v === 0 || (v === 1 && !Object.keys(names).length)) return t(v ? 'on' : 'off');
        // a bit field (IDM's operating state): the names of the bits that are set
        const bits = Object.keys(names).map(Number).filter(b => b > 0 && (b & (b - 1)) === 0 && (v & b));
        if (Number.isInteger(v) && bits.length && bits.reduce((a, b) => a | b, 0) === v) return bits.map(b => word(String(b))).join(' + ');
        return fmtNumber(v, def.unit);
      };
      const bands = [];
      for (const p of series[i] ? series[i].points : []) {
        const x = Date.parse(p.time);
        const v = p.min === p.max ? p.min : Math.round(p.value);
        const last = bands[bands.length - 1];
        if (last && last.value === v) last.end = x;
        else { if (last) last.end = x; bands.push({ value: v, start: x, end: x }); }
      }
      if (bands.length) bands[bands.length - 1].end = e; // the last state holds until now
      const order = [...new Set(bands.map(b => b.value))].sort((a, b) => a - b);
      const track = h('div.state-track');
      for (const b of bands) {
        const text = stateName(b.value);
        const band = h('div.state-band.series-' + (order.indexOf(b.value) % COLORS.length + 1), {
          title: `${text}: ${new Date(b.start).toLocaleString()} – ${new Date(b.end).toLocaleString()}`,
          dataset: { state: String(b.value), label: text, start: String(b.start), end: String(b.end) } }, h('span.state-text', text));
        band.style.left = `${Math.max(0, (b.start - f) / (e - f) * 100)}%`;
        band.style.width = `${Math.max(0.3, (Math.min(e, b.end) - Math.max(f, b.start)) / (e - f) * 100)}%`;
        track.append(band);
      }
      if (!bands.length) track.append(h('span.muted.state-none', t('no_history')));
      return h('div.state-row', { dataset: { sensor: s, bands: String(bands.length) } }, h('span.state-name', def.name || s), track);
    });
    const axis = h('div.state-axis.muted', h('span', new Date(f).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })),
      h('span', new Date(e).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })));
    clear(el, h('div.state-timeline', { dataset: { from: String(f), to: String(e) } }, rows, axis));
  }

  /** Heatmap: a sensor's mean per hour of day (columns) and day (rows) over the range, days starting at midnight. */
  async function heatmap(el, chart) {
    const sid = chart.sensors[0];
    const [f, e] = window_();
    const first = new Date(f); first.setHours(0, 0, 0, 0);
    const days = [];
    for (let d = new Date(first); d.getTime() < e; d.setDate(d.getDate() + 1)) days.push(new Date(d));
    // one bucket an hour, from midnight to the end of this hour, so each bucket is one cell
    const hourCount = Math.ceil((e - first.getTime()) / 3600e3);
    const series = await history(sid, first.getTime(), first.getTime() + hourCount * 3600e3, hourCount);
    const unit = unitOf(sid, series);
    const sums = new Map();
    for (const p of series ? series.points : []) {
      const at = new Date(Date.parse(p.time));
      const day = new Date(at); day.setHours(0, 0, 0, 0);
      const key = `${day.getTime()}:${at.getHours()}`;
      const s = sums.get(key) || [0, 0];
      s[0] += p.value; s[1] += 1;
      sums.set(key, s);
    }
    const means = new Map([...sums].map(([k, [sum, n]]) => [k, sum / n]));
    const lo = Math.min(...means.values());
    const hi = Math.max(...means.values());
    const level = v => (hi > lo ? Math.min(5, 1 + Math.floor((v - lo) / (hi - lo) * 5)) : 3);
    const hours = Array.from({ length: 24 }, (_, i) => i);
    const table = h('table.heatmap', { dataset: { days: String(days.length), cells: String(means.size), from: String(f), to: String(e), unit } },
      h('caption.muted', `${nameOf(sid)}${unit ? ` (${unit})` : ''}`),
      h('thead', h('tr', h('th', { scope: 'col', title: t('hour_of_day') }, ''), hours.map(x => h('th', { scope: 'col' }, x % 3 ? '' : String(x))))),
      h('tbody', days.map(d => h('tr', { dataset: { day: isoDay(d) } }, h('th', { scope: 'row' }, d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'numeric' })),
        hours.map(x => {
          const v = means.get(`${d.getTime()}:${x}`);
          return v == null ? h('td.heat-cell.empty', { dataset: { hour: String(x) } })
            : h('td.heat-cell.heat-l' + level(v), { title: `${isoDay(d)} ${String(x).padStart(2, '0')}:00 · ${fmtNumber(v, unit)}`,
              dataset: { hour: String(x), value: String(v) } });
        })))));
    const legend = means.size ? h('div.heat-legend.muted', h('span', fmtNumber(lo, unit)), h('span.heat-scale', [1, 2, 3, 4, 5].map(l => h('span.heat-l' + l))), h('span', fmtNumber(hi, unit)))
      : h('p.muted', t('no_history'));
    clear(el, h('div.scroll', table), legend);
  }

  renderTabs();
  show();
}

function normalType(type) {
  return TYPES.includes(type) ? type : 'stat';
}

/** The start of the period holding t: local midnight for days, else a multiple of the period. */
function periodStart(t, period) {
  if (period >= DAY) { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); }
  return Math.floor(t / period) * period;
}

function periodLabel(at, period) {
  const d = new Date(at);
  return period >= DAY ? d.toLocaleDateString([], { day: 'numeric', month: 'numeric' }) : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function isoDay(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A half-circle gauge in SVG (attributes only, nothing inline that the CSP would refuse). */
function gauge(value, min, max, label) {
  const ns = 'http://www.w3.org/2000/svg';
  const el = (name, attrs) => { const e = document.createElementNS(ns, name); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  const f = Math.max(0, Math.min(1, (value - min) / ((max - min) || 1)));
  const arc = p => { const a = Math.PI * (1 - p); return `${60 + 50 * Math.cos(a)} ${60 - 50 * Math.sin(a)}`; };
  const svg = el('svg', { viewBox: '0 0 120 70', class: 'gauge', role: 'img', 'aria-label': label });
  svg.append(el('path', { d: `M ${arc(0)} A 50 50 0 0 1 ${arc(1)}`, class: 'gauge-track' }),
    el('path', { d: `M ${arc(0)} A 50 50 0 0 1 ${arc(f)}`, class: 'gauge-fill' }));
  const text = el('text', { x: 60, y: 62, 'text-anchor': 'middle', class: 'gauge-text' });
  text.textContent = label;
  svg.append(text);
  return svg;
}
