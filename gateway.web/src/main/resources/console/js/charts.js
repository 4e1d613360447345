// What the device and energy pages share for charts: uPlot, loaded once on first use, and series colours from the
// stylesheet (a dark theme can change them).
import { h } from './core.js';

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
