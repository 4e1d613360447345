// Dashboards: the driver's default per device plus the user's own (server store, when the gateway has it).
// Widgets: line chart over history (uPlot, drag to zoom), stat, gauge, table. Editing: add, edit, remove, reorder.
import { t, h, clear, api, fmtNumber, fmtReading, confirmDialog, errorBox, toast } from './core.js';
import { can, every, onLeave } from './app.js';

const TYPES = ['line', 'stat', 'gauge', 'table'];
const UPLOT = 'vendor/uplot-1.6.30/';
let uplotLoading = null;

/** uPlot is loaded only when a chart is shown, so the console's first load stays small. */
function loadUplot() {
  if (!uplotLoading) {
    uplotLoading = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: UPLOT + 'uPlot.min.css' }));
      const s = h('script', { src: UPLOT + 'uPlot.iife.min.js', onload: () => resolve(window.uPlot), onerror: reject });
      document.head.append(s);
    });
  }
  return uplotLoading;
}

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
    const editable = can.write() && current.id != null;
    const widgets = h('div.widgets');
    const bar = h('div.row.wrap');
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
    clear(body, bar, widgets, editing ? editor() : null);
    onLeave(() => widgets.replaceChildren());
    current.charts.forEach((c, i) => widgets.append(widget(c, i, editing)));
  }

  function widget(chart, index, editing) {
    const box = h('section.card.widget.w-' + normalType(chart.type), { dataset: { type: normalType(chart.type) } },
      h('div.row', h('h3', chart.title), h('span.grow'), editing ? [
        h('button.icon', { type: 'button', title: t('up'), disabled: index === 0, onclick: () => move(index, -1) }, '↑'),
        h('button.icon', { type: 'button', title: t('down'), disabled: index === current.charts.length - 1, onclick: () => move(index, 1) }, '↓'),
        h('button.icon', { type: 'button', title: t('remove'), onclick: async () => { current.charts.splice(index, 1); await save(); show(true); } }, '✕')] : null));
    const content = h('div.widget-body');
    box.append(content);
    draw(content, chart).catch(e => content.append(errorBox(e)));
    return box;
  }

  async function move(index, delta) {
    const [c] = current.charts.splice(index, 1);
    current.charts.splice(index + delta, 0, c);
    await save();
    show(true);
  }

  function editor() {
    const title = h('input', { value: '', required: true });
    const type = h('select', TYPES.map(x => h('option', { value: x }, t('type_' + x))));
    const sensor = h('select', { multiple: true, size: 6 }, [...sensors.values()].map(s => h('option', { value: s.id }, `${s.name} (${s.id})`)));
    const hours = h('input', { type: 'number', min: 1, max: 720, value: 24 });
    return h('form.card.editor', { onsubmit: async ev => {
      ev.preventDefault();
      const chosen = [...sensor.selectedOptions].map(o => o.value);
      if (!chosen.length) return;
      current.charts.push({ title: title.value || sensors.get(chosen[0]).name, type: type.value, sensors: chosen, hours: Number(hours.value) });
      await save();
      show(true);
    } }, h('h3', t('add_widget')), h('div.form-grid',
      h('label.field', h('span', t('title')), title), h('label.field', h('span', t('widget_type')), type),
      h('label.field', h('span', t('sensors')), sensor), h('label.field', h('span', t('hours')), hours)),
    h('button.primary', { type: 'submit' }, t('add')));
  }

  async function draw(el, chart) {
    const type = normalType(chart.type);
    if (type === 'line') return line(el, chart);
    every(3000, async () => {
      const data = await api('GET', '/data/' + encodeURIComponent(id));
      const rows = chart.sensors.map(s => [s, sensors.get(s), data.values[s]]).filter(([, , r]) => r);
      if (type === 'table') {
        clear(el, h('table.values', h('tbody', rows.map(([sid, s, r]) => h('tr', h('th', s ? s.name : sid), h('td.value', fmtReading(r, s)))))));
      } else if (type === 'gauge') {
        clear(el, rows.slice(0, 1).map(([, s, r]) => gauge(r.value, s && s.min != null ? s.min : 0, s && s.max != null ? s.max : 100, fmtReading(r, s))));
      } else {
        clear(el, rows.map(([sid, s, r]) => h('div.stat', h('div.stat-value', { title: r.text || '' }, fmtReading(r, s)), h('small.muted', s ? s.name : sid))));
      }
    });
  }

  async function line(el, chart) {
    const uPlot = await loadUplot();
    const to = new Date();
    const from = new Date(to.getTime() - (chart.hours || 24) * 3600e3);
    const series = await Promise.all(chart.sensors.map(s => api('GET',
      `/history/${encodeURIComponent(id)}?sensor=${encodeURIComponent(s)}&from=${from.toISOString()}&to=${to.toISOString()}&points=300`).catch(() => null)));
    const found = series.flatMap(s => (s ? s.points : []).map(p => Date.parse(p.time) / 1000));
    if (!found.length) return clear(el, h('p.muted', t('no_history')));
    // the window's ends as (empty) points, so the axis shows the asked hours even while history is short
    const times = [...new Set([from.getTime() / 1000, ...found, to.getTime() / 1000])].sort((a, b) => a - b);
    const index = new Map(times.map((x, i) => [x, i]));
    const columns = series.map(s => {
      const col = new Array(times.length).fill(null);
      (s ? s.points : []).forEach(p => { col[index.get(Date.parse(p.time) / 1000)] = p.value; });
      return col;
    });
    const colors = ['#0b6e4f', '#c2410c', '#1d4ed8', '#7c3aed', '#b91c1c', '#0e7490'];
    const width = () => Math.max(240, el.clientWidth - 8);
    const plot = new uPlot({ width: width(), height: 220, cursor: { drag: { x: true, y: false } },
      series: [{}, ...chart.sensors.map((s, i) => ({ label: (sensors.get(s) || { name: s }).name, stroke: colors[i % colors.length], width: 2, spanGaps: true,
        value: (u, v) => v == null ? '' : fmtNumber(v, series[i] && series[i].unit) }))] }, [times, ...columns], el);
    el.append(h('small.muted', t('zoom_hint')));
    const resize = () => plot.setSize({ width: width(), height: 220 });
    window.addEventListener('resize', resize);
    onLeave(() => { window.removeEventListener('resize', resize); plot.destroy(); });
  }

  renderTabs();
  show();
}

function normalType(type) {
  return { bar: 'line', state: 'stat' }[type] || (TYPES.includes(type) ? type : 'stat');
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
