// #/account: what every user does for themselves: change the password, manage their own API tokens.
import { t, h, clear, api, extendText, fmtTime, confirmDialog, toast, errorBox } from './core.js';
import { field } from './app.js';

extendText({
  en: {
    account_signed_in: 'Signed in as {0} ({1}).', change_password: 'Change password',
    current_password: 'Current password', new_password: 'New password', new_password_hint: 'At least 8 characters.',
    password_changed: 'Password changed. Your other browser sessions are signed out; API tokens keep working.',
    api_tokens: 'API tokens', api_tokens_intro: 'For scripts: send the token as "Authorization: Bearer …". It acts with your role.',
    token_name: 'Name', token_expiry: 'Valid for', token_days: '{0} days', never_expires: 'no expiry', create_token: 'Create token',
    new_token: 'Token "{0}" created. Copy it now: it is shown only this once.', copy: 'Copy', copied: 'Copied.',
    no_tokens: 'No API token yet.', created: 'Created', last_used: 'Last used', expires: 'Expires', revoke: 'Revoke',
    really_revoke: 'Revoke the token "{0}"? Scripts using it stop working at once.', revoked: 'Token revoked.',
    expired: 'expired', never: 'never',
  },
  de: {
    account_signed_in: 'Angemeldet als {0} ({1}).', change_password: 'Passwort ändern',
    current_password: 'Aktuelles Passwort', new_password: 'Neues Passwort', new_password_hint: 'Mindestens 8 Zeichen.',
    password_changed: 'Passwort geändert. Ihre anderen Browser-Sitzungen sind abgemeldet; API-Tokens gelten weiter.',
    api_tokens: 'API-Tokens', api_tokens_intro: 'Für Skripte: das Token als „Authorization: Bearer …“ senden. Es handelt mit Ihrer Rolle.',
    token_name: 'Name', token_expiry: 'Gültig für', token_days: '{0} Tage', never_expires: 'unbegrenzt', create_token: 'Token erstellen',
    new_token: 'Token „{0}“ erstellt. Jetzt kopieren: es wird nur dieses eine Mal gezeigt.', copy: 'Kopieren', copied: 'Kopiert.',
    no_tokens: 'Noch kein API-Token.', created: 'Erstellt', last_used: 'Zuletzt benutzt', expires: 'Läuft ab', revoke: 'Widerrufen',
    really_revoke: 'Das Token „{0}“ widerrufen? Skripte, die es benutzen, funktionieren sofort nicht mehr.', revoked: 'Token widerrufen.',
    expired: 'abgelaufen', never: 'nie',
  },
});

const EXPIRY_DAYS = [7, 30, 90, 365];

export async function page(main) {
  const me = await api('GET', '/me');
  main.append(h('h1', t('account')), h('p.muted#account-who', t('account_signed_in', me.name, t('role_' + me.role))));
  main.append(passwordForm());
  const tokens = h('section.card#tokens');
  main.append(tokens);
  await renderTokens(tokens, me);
}

function passwordForm() {
  const current = h('input#current-password', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input#new-password', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minLength: 8, maxLength: 1024 });
  const repeat = h('input#new-password2', { type: 'password', autocomplete: 'new-password', required: true });
  const msg = h('div#password-message', { 'aria-live': 'polite' });
  const inputs = { current_password: current, new_password: next };
  const form = h('form.card.account-form#password-form', {
    onsubmit: async ev => {
      ev.preventDefault();
      Object.values(inputs).forEach(i => i.removeAttribute('aria-invalid'));
      if (next.value !== repeat.value) {
        repeat.setAttribute('aria-invalid', 'true');
        return clear(msg, errorBox(t('passwords_differ')));
      }
      try {
        await api('PUT', '/users/me/password', { current_password: current.value, new_password: next.value });
        form.reset();
        clear(msg, h('p.ok#password-changed', { role: 'status' }, t('password_changed')));
      } catch (e) {
        const input = inputs[e.problem && e.problem.field];
        if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
        // the problem's errors say what is wrong with the field ("new_password: at least 8 characters")
        const why = e.problem && e.problem.errors && e.problem.errors.length ? ` (${e.problem.errors.join('; ')})` : '';
        clear(msg, errorBox(e.message + why));
      }
    },
  }, h('h2', t('change_password')),
  field(t('current_password'), current), field(t('new_password'), next, t('new_password_hint')),
  field(t('password_repeat'), repeat), msg,
  h('button.primary', { type: 'submit' }, t('change_password')));
  return form;
}

async function renderTokens(el, me) {
  const name = h('input#token-name', { name: 'name', required: true, maxLength: 200, autocomplete: 'off' });
  const expiry = h('select#token-expiry', { name: 'expiry' },
    EXPIRY_DAYS.map(d => h('option', { value: String(d), selected: d === 90 }, t('token_days', d))),
    h('option', { value: '' }, t('never_expires')));
  const shown = h('div#new-token-slot');
  const list = h('div#token-list');
  const create = h('form.account-form#token-form', {
    onsubmit: async ev => {
      ev.preventDefault();
      const body = { name: name.value.trim() };
      if (expiry.value) body.expires_at = new Date(Date.now() + Number(expiry.value) * 86400000).toISOString();
      try {
        const created = await api('POST', '/tokens', body);
        name.value = '';
        // the value lives only in this element: a reload or another page and it is gone for good
        clear(shown, newToken(created));
        await load();
      } catch (e) { clear(shown, errorBox(e)); }
    },
  }, h('div.row.wrap', field(t('token_name'), name), field(t('token_expiry'), expiry)),
  h('button.primary', { type: 'submit' }, t('create_token')));
  clear(el, h('h2', t('api_tokens')), h('p.muted', t('api_tokens_intro')), create, shown, list);

  async function load() {
    // an admin's list holds everyone's tokens; this page is about one's own
    const mine = (await api('GET', '/tokens')).filter(tk => tk.owner === me.name);
    if (!mine.length) return clear(list, h('p.muted#no-tokens', t('no_tokens')));
    const now = Date.now();
    clear(list, h('div.scroll', h('table.list.tokens', h('thead', h('tr', ['token_name', 'created', 'last_used', 'expires', ''].map(k => h('th', k ? t(k) : '')))),
      h('tbody', mine.map(tk => h('tr', { dataset: { token: tk.id } },
        h('td.token-name', tk.name),
        h('td', fmtTime(tk.created_at)), h('td', tk.last_used ? fmtTime(tk.last_used) : t('never')),
        h('td', tk.expires_at ? fmtTime(tk.expires_at) : t('never'),
          tk.expires_at && Date.parse(tk.expires_at) <= now ? [' ', h('span.badge.state-offline', t('expired'))] : null),
        h('td.actions', h('button.danger.revoke', { type: 'button', onclick: async () => {
          if (!(await confirmDialog(t('really_revoke', tk.name), t('revoke')))) return;
          try {
            await api('DELETE', '/tokens/' + encodeURIComponent(tk.id));
            toast(t('revoked'));
            if (shown.dataset.token === tk.id) clear(shown);
          } catch (e) { toast(e.message, 'error'); }
          await load();
        } }, t('revoke')))))))));
  }
  await load();

  function newToken(created) {
    shown.dataset.token = created.id;
    const value = h('input#new-token-value', { readOnly: true, value: created.token, spellcheck: 'false', onfocus: ev => ev.target.select() });
    return h('div.new-token#new-token', { role: 'status' }, h('p', t('new_token', created.name)),
      h('div.row', value, h('button#copy-token', { type: 'button', onclick: async () => {
        value.select();
        try { await navigator.clipboard.writeText(created.token); toast(t('copied')); } catch { document.execCommand('copy'); }
      } }, t('copy'))));
  }
}
