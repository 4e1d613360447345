// What the device, dashboard and energy pages share for charts: uPlot, loaded once on first use, series colours from
// the stylesheet (a dark theme can change them) and the range chooser.
import { h, clear, t, extendText } from './core.js';

extendText({
  en: {
    chart_range: 'Range', range_1h: '1 h', range_24h: '24 h', range_7d: '7 d', range_30d: '30 d', range_custom: 'Custom', apply: 'Show',
  },
  de: {
    chart_range: 'Zeitraum', range_1h: '1 h', range_24h: '24 h', range_7d: '7 T', range_30d: '30 T', range_custom: 'Frei', apply: 'Anzeigen',
  },
});

/** The preset ranges, in ms, ending now. */
export const RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };

const UPLOT = 'vendor/uplot-1.6.30/';
let loading = null;

/** uPlot, loaded when the first chart is drawn, so the console's first load stays without it. */
export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      if (!document.querySelector(`link[href="${UPLOT}uPlot.min.css"]`)) document.head.append(h('link', { rel: 'stylesheet', href: UPLOT + 'uPlot.min.css' }));
      document.head.append(h('script', { src: UPLOT + 'uPlot.iife.min.js', onload: () => resolve(window.uPlot), onerror: reject }));
    });
  }
  return loading;
}

/** A colour from a CSS custom property of the document, with a fallback. */
export function cssColor(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Axis text and grid in the page's colours, so the charts follow a dark theme too. */
export function axisStyle() {
  return { stroke: cssColor('--fg', '#1f2933'), grid: { stroke: cssColor('--line', '#d9e2ec'), width: 1 },
    ticks: { stroke: cssColor('--line', '#d9e2ec'), width: 1 } };
}

/**
 * The range chooser of the device page and the dashboards: the presets, which end now (a chart follows the live
 * values), and "custom": from and to in local time, a fixed window. {@code ids} names the elements ({@code bar},
 * {@code form}, {@code from}, {@code to}) so pages and tests can find them; {@code onChange} runs after every choice.
 * Returns the elements to place and {@code window()} ([from, to] in ms), {@code live()} (the range ends now),
 * {@code span()} (its length in ms) and {@code key()} (the preset, or 'custom').
 */
export function rangeChooser({ ids, initial, onChange }) {
  let range = RANGES[initial] ? initial : '24h';
  let custom = null;
  const bar = h('div.range-picker#' + ids.bar, { role: 'group', 'aria-label': t('chart_range') });
  const from = h('input#' + ids.from, { type: 'datetime-local', 'aria-label': t('from') });
  const to = h('input#' + ids.to, { type: 'datetime-local', 'aria-label': t('to') });
  const form = h('form.range-custom#' + ids.form, { hidden: true, onsubmit: ev => {
    ev.preventDefault();
    const f = Date.parse(from.value);
    const e = to.value ? Date.parse(to.value) : Date.now();
    if (!(f < e)) return from.focus();
    custom = [f, e];
    onChange();
  } }, h('label.field', h('span', t('from')), from), h('label.field', h('span', t('to')), to),
  h('button.primary', { type: 'submit' }, t('apply')));
  const render = () => clear(bar, [...Object.keys(RANGES), 'custom'].map(r => h('button.tab' + (r === range ? '.active' : ''),
    { type: 'button', dataset: { range: r }, 'aria-pressed': String(r === range), onclick: () => {
      range = r;
      render();
      form.hidden = r !== 'custom';
      if (r === 'custom') {
        // a custom range shows once its form is sent; until then the chart keeps what it shows
        const end = new Date();
        if (!from.value) from.value = localInput(new Date(end - 86400e3));
        if (!to.value) to.value = localInput(end);
      } else { custom = null; onChange(); }
    } }, t('range_' + r))));
  render();
  const live = () => range !== 'custom' || !custom;
  const window_ = () => (!live() ? custom : [Date.now() - RANGES[range === 'custom' ? '24h' : range], Date.now()]);
  return { bar, form, window: window_, live, span: () => { const [f, e] = window_(); return e - f; },
    key: () => range };
}

/** A date as a datetime-local input's value (local time, minutes). */
function localInput(date) {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
