// Light and dark theme: the system's choice (prefers-color-scheme) until the user picks one in the header, which is
// remembered in localStorage. The effective theme is <html data-theme="light|dark">; app.css holds both palettes.
import { t, h, extendText } from './core.js';

// the shell's strings for the account page and the theme switch: the tab is drawn before account.js loads
extendText({
  en: {
    account: 'Account', theme_dark: 'Dark theme', theme_light: 'Light theme',
  },
  de: {
    account: 'Konto', theme_dark: 'Dunkles Farbschema', theme_light: 'Helles Farbschema',
  },
});

const KEY = 'gw.theme';
const system = window.matchMedia('(prefers-color-scheme: dark)');

/** The user's stored choice ('light' or 'dark'), or null when the system decides. */
export function chosenTheme() {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : null;
}

export function effectiveTheme() {
  return chosenTheme() || (system.matches ? 'dark' : 'light');
}

function apply() {
  const theme = effectiveTheme();
  document.documentElement.dataset.theme = theme;
  for (const b of document.querySelectorAll('.theme-toggle')) label(b, theme);
}

function label(button, theme) {
  // the button offers the other theme
  const next = theme === 'dark' ? 'light' : 'dark';
  button.textContent = next === 'dark' ? '☾' : '☀';
  button.title = t('theme_' + next);
  button.setAttribute('aria-label', t('theme_dark'));
  button.setAttribute('aria-pressed', String(theme === 'dark'));
}

/** Switches to the other theme and remembers it. */
export function toggleTheme() {
  localStorage.setItem(KEY, effectiveTheme() === 'dark' ? 'light' : 'dark');
  apply();
}

/** The header's button. */
export function themeToggle() {
  const b = h('button.theme-toggle#theme-toggle', { type: 'button', onclick: toggleTheme });
  label(b, effectiveTheme());
  return b;
}

system.addEventListener('change', apply);
// another tab of the console switched: follow it
window.addEventListener('storage', ev => { if (ev.key === KEY) apply(); });
apply();
