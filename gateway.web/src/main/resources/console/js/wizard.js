// Adding a heat pump: manufacturer → model → the driver's instructions → connection → a real test → circuits/zones → save.
import { t, h, clear, api, markdown, errorBox, extendText, fmtReading } from './core.js';
import { field } from './app.js';

// the ViCare sign-in step's strings (Viessmann is a cloud make: no host, a sign-in instead)
extendText({
  en: {
    vicare_intro: 'Viessmann heat pumps are read through the ViCare cloud with your own API client. Enter its client id and redirect URI as registered in the Viessmann developer portal, then sign in.',
    vicare_client_id: 'Client id', vicare_redirect_uri: 'Redirect URI', vicare_sign_in: 'Sign in with Viessmann',
    vicare_paste: 'After signing in, your browser lands at the redirect URI: paste the whole address (or just its code) here.',
    vicare_code: 'Returned address or code', vicare_fetch: 'Fetch my devices', vicare_device: 'Device',
    vicare_signed_in: 'Signed in. Choose the heat pump:', vicare_no_devices: 'This account has no devices.',
    vicare_need_device: 'Sign in and choose a device first.',
    vicare_advanced: 'Advanced: other endpoints (tests, proxies)', vicare_authorize_url: 'Authorize URL',
    vicare_token_url: 'Token URL', vicare_api_base_url: 'API base URL',
    vicare_advanced_hint: 'Leave empty for Viessmann\'s. An empty authorize URL follows the token URL (…/token → …/authorize).',
    vicare_redirect_hint: 'Register this redirect URI in the developer portal and you come back here by yourself; with another one, paste the address you land at below.',
    vicare_returned: 'Back from Viessmann: fetching your devices…', vicare_denied: 'Viessmann did not sign you in',
  },
  de: {
    vicare_intro: 'Viessmann-Wärmepumpen werden über die ViCare-Cloud mit Ihrem eigenen API-Client gelesen. Geben Sie dessen Client-ID und Redirect-URI ein, wie im Viessmann-Entwicklerportal registriert, und melden Sie sich an.',
    vicare_client_id: 'Client-ID', vicare_redirect_uri: 'Redirect-URI', vicare_sign_in: 'Mit Viessmann anmelden',
    vicare_paste: 'Nach der Anmeldung landet Ihr Browser bei der Redirect-URI: fügen Sie die ganze Adresse (oder nur den Code) hier ein.',
    vicare_code: 'Zurückgegebene Adresse oder Code', vicare_fetch: 'Meine Geräte abrufen', vicare_device: 'Gerät',
    vicare_signed_in: 'Angemeldet. Wählen Sie die Wärmepumpe:', vicare_no_devices: 'Dieses Konto hat keine Geräte.',
    vicare_need_device: 'Bitte zuerst anmelden und ein Gerät wählen.',
    vicare_advanced: 'Erweitert: andere Endpunkte (Tests, Proxys)', vicare_authorize_url: 'Authorize-URL',
    vicare_token_url: 'Token-URL', vicare_api_base_url: 'API-Basis-URL',
    vicare_advanced_hint: 'Leer lassen für die von Viessmann. Eine leere Authorize-URL folgt der Token-URL (…/token → …/authorize).',
    vicare_redirect_hint: 'Tragen Sie diese Redirect-URI im Entwicklerportal ein, dann kommen Sie von selbst hierher zurück; bei einer anderen fügen Sie unten die Adresse ein, bei der Sie landen.',
    vicare_returned: 'Zurück von Viessmann: Ihre Geräte werden abgerufen…', vicare_denied: 'Viessmann hat Sie nicht angemeldet',
  },
});

// the sign-in leaves the page for Viessmann's IAM; what the wizard needs to carry on is kept in this tab meanwhile
const SIGN_IN_KEY = 'gw.vicare-sign-in';
const RETURN_KEY = 'gw.vicare-return';
const VIESSMANN = { authorize_url: 'https://iam.viessmann-climatesolutions.com/idp/v3/authorize',
  token_url: 'https://iam.viessmann-climatesolutions.com/idp/v3/token', api_base_url: 'https://api.viessmann-climatesolutions.com/iot/v2' };

function takeJson(key) {
  const text = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  try { return text ? JSON.parse(text) : null; } catch (_) { return null; }
}

const STEPS = ['manufacturer', 'model', 'instructions', 'connection', 'test', 'circuits_zones'];

export async function wizard(main) {
  const state = { step: 0, manufacturers: await api('GET', '/manufacturers'), m: null, model: null, setup: null, options: null,
    conn: { name: '', host: '', port: null, unit_id: 1, poll_interval: null }, tested: null, circuits: [], zones: [] };
  const steps = h('ol.steps');
  const body = h('section.card#wizard');
  main.append(h('h1', t('wizard')), steps, body);
  const go = n => { state.step = n; render(); };
  await resumeSignIn(state);

  function nav(nextOk, onNext) {
    return h('div.actions',
      state.step > 0 ? h('button.secondary#wizard-back', { type: 'button', onclick: () => go(state.step - 1) }, t('back')) : null,
      h('button.primary#wizard-next', { type: 'button', disabled: !nextOk, onclick: onNext || (() => go(state.step + 1)) },
        state.step === STEPS.length - 1 ? t('save') : t('next')));
  }

  function choice(items, selected, pick) {
    return h('div.choices', items.map(it => h('button.choice' + (selected === it.id ? '.selected' : ''),
      { type: 'button', dataset: { choice: it.id }, onclick: () => pick(it) }, h('strong', it.name), it.sub ? h('small', it.sub) : null)));
  }

  async function render() {
    clear(steps, STEPS.map((s, i) => h('li' + (i === state.step ? '.current' : i < state.step ? '.done' : ''), t(s))));
    const step = STEPS[state.step];
    if (step === 'manufacturer') {
      clear(body, h('h2', t('manufacturer')),
        choice(state.manufacturers.map(m => ({ id: m.id, name: m.name, sub: m.models.map(x => x.name).join(', ') })), state.m && state.m.id,
          it => { state.m = state.manufacturers.find(m => m.id === it.id); state.model = null; state.options = null; go(1); }));
    } else if (step === 'model') {
      clear(body, h('h2', `${state.m.name}: ${t('model')}`),
        choice(state.m.models.map(x => ({ id: x.id, name: x.name, sub: `${x.protocol} · ${t('port')} ${x.default_port}` })), state.model && state.model.id,
          async it => {
            state.model = state.m.models.find(x => x.id === it.id);
            state.setup = await api('GET', `/manufacturers/${encodeURIComponent(state.m.id)}/models/${encodeURIComponent(state.model.id)}/setup`);
            state.conn.port = state.setup.default_port;
            state.conn.poll_interval = state.setup.default_poll_interval;
            state.conn.name = state.conn.name || state.setup.name;
            state.circuits = state.setup.capabilities.circuits.slice(0, 1);
            go(2);
          }), nav(!!state.model));
    } else if (step === 'instructions') {
      clear(body, h('h2', t('instructions')), markdown(state.setup.instructions), nav(true));
    } else if (step === 'connection' && state.m.id === 'viessmann') {
      vicareStep();
    } else if (step === 'connection') {
      const inputs = {
        name: h('input#conn-name', { value: state.conn.name }),
        host: h('input#conn-host', { value: state.conn.host, required: true, placeholder: '192.168.1.20', autocomplete: 'off' }),
        port: h('input#conn-port', { type: 'number', min: 1, max: 65535, value: state.conn.port }),
        unit_id: h('input#conn-unit', { type: 'number', min: 0, max: 255, value: state.conn.unit_id }),
        poll_interval: h('input#conn-poll', { type: 'number', min: state.setup.min_poll_interval, value: state.conn.poll_interval }),
      };
      const read = () => {
        state.conn = { name: inputs.name.value.trim(), host: inputs.host.value.trim(), port: Number(inputs.port.value),
          unit_id: Number(inputs.unit_id.value), poll_interval: Number(inputs.poll_interval.value) };
        state.tested = null;
      };
      const msg = h('div');
      clear(body, h('h2', t('connection')), h('div.form-grid',
        field(t('name'), inputs.name), field(t('host'), inputs.host), field(t('port'), inputs.port),
        field(t('unit_id'), inputs.unit_id), field(t('poll_interval'), inputs.poll_interval)),
        msg, nav(true, async () => {
          read();
          if (!state.conn.host) { inputs.host.focus(); return; }
          // refused here, not only by Save at the end
          const other = await addressUser(state.conn);
          if (other) { clear(msg, h('p.error#address-in-use', { role: 'alert' }, t('address_in_use', other.name))); inputs.host.focus(); return; }
          go(4);
        }));
    } else if (step === 'test') {
      const out = h('div#test-result');
      const runButton = h('button.primary#run-test', { type: 'button', onclick: async () => {
        runButton.disabled = true;
        clear(out, h('p.muted', t('testing')));
        try {
          const r = await api('POST', '/heatpumps/test', definition());
          state.tested = r;
          const names = new Map(Object.entries(r.names || {}));
          clear(out, h('p.ok#test-ok', t('test_ok', Object.keys(r.values).length, r.requests)),
            h('table.values', h('tbody', Object.entries(r.values).slice(0, 6).map(([k, v]) => h('tr', { dataset: { sensor: k } }, h('th', { title: k }, names.get(k) || k), h('td.value', fmtReading(v)))))));
        } catch (e) {
          state.tested = null;
          clear(out, h('div.diagnosis#test-diagnosis', h('strong', t('diagnosis') + ': '), diagnose(e, state.setup.protocol)),
            // the advice is the diagnosis above; below only what went wrong technically, for a forum post
            h('small.muted#test-technical', e.problem.technical ?? e.message));
        }
        runButton.disabled = false;
        clear(body.querySelector('.actions-slot'), nav(!!state.tested));
      } }, t('run_test'));
      clear(body, h('h2', t('test')), h('p.muted', `${state.conn.host}:${state.conn.port} · ${t('unit_id')} ${state.conn.unit_id}`),
        runButton, out, h('div.actions-slot', nav(!!state.tested)));
    } else if (step === 'circuits_zones') {
      const caps = state.setup.capabilities;
      const msg = h('div');
      const circuitBoxes = caps.circuits.map(c => h('label.check', h('input', { type: 'checkbox', value: c, checked: state.circuits.includes(c), dataset: { circuit: c } }), ' ' + c));
      const zoneBoxes = Array.from({ length: caps.max_zones }, (_, z) => h('label.check', h('input', { type: 'checkbox', value: z, checked: state.zones.includes(z) }), ' ' + (z + 1)));
      clear(body, h('h2', t('circuits_zones')),
        caps.circuits.length ? h('fieldset', h('legend', t('circuits')), circuitBoxes) : h('p.muted', t('no_circuits')),
        caps.max_zones ? h('fieldset', h('legend', t('zones')), zoneBoxes) : null, msg,
        nav(true, async () => {
          state.circuits = circuitBoxes.map(l => l.firstChild).filter(i => i.checked).map(i => i.value);
          state.zones = zoneBoxes.map(l => l.firstChild).filter(i => i.checked).map(i => Number(i.value));
          try {
            const created = await api('POST', '/heatpumps', definition());
            location.hash = `#/device/${encodeURIComponent(created.id)}`;
          } catch (e) { clear(msg, errorBox(e), problems(e)); }
        }));
    }
  }

  /**
   * The ViCare sign-in: the gateway makes the PKCE pair and keeps the verifier; the browser goes to the authorize URL
   * and Viessmann sends it back to the redirect URI. The console's own callback page returns to this step by itself;
   * with another redirect URI the user pastes the address. The gateway answers a handle, never the refresh token.
   */
  function vicareStep() {
    const v = state.vicare || (state.vicare = { client_id: '', redirect_uri: callbackUrl(), state: null,
      authorize_url: '', token_url: '', api_base_url: '', handle: null, devices: [], choice: null, base: null, returned: null });
    const clientId = h('input#vicare-client-id', { value: v.client_id, autocomplete: 'off' });
    const redirect = h('input#vicare-redirect-uri', { value: v.redirect_uri, autocomplete: 'off' });
    const urls = Object.fromEntries(['authorize_url', 'token_url', 'api_base_url'].map(k =>
      [k, h(`input#vicare-${k.replace(/_/g, '-')}`, { type: 'url', value: v[k], placeholder: VIESSMANN[k], autocomplete: 'off' })]));
    const code = h('input#vicare-code', { autocomplete: 'off' });
    const name = h('input#conn-name', { value: state.conn.name });
    const poll = h('input#conn-poll', { type: 'number', min: state.setup.min_poll_interval, value: state.conn.poll_interval });
    const msg = h('div#vicare-message');
    const chooser = h('div#vicare-devices');
    const slot = h('div.actions-slot');
    const read = () => {
      v.client_id = clientId.value.trim(); v.redirect_uri = redirect.value.trim();
      for (const [k, input] of Object.entries(urls)) v[k] = input.value.trim();
      state.conn = { ...state.conn, name: name.value.trim(), poll_interval: Number(poll.value) };
    };
    const showDevices = () => {
      if (!v.handle) return clear(chooser);
      if (!v.devices.length) return clear(chooser, h('p.muted', t('vicare_no_devices')));
      const select = h('select#vicare-device', { onchange: () => { v.choice = Number(select.value); } },
        v.devices.map((d, i) => h('option', { value: i, selected: i === v.choice }, d.label)));
      if (v.choice == null) v.choice = 0;
      clear(chooser, h('p.ok#vicare-signed-in', t('vicare_signed_in')), field(t('vicare_device'), select));
    };
    const signIn = h('button.primary#vicare-sign-in', { type: 'button', onclick: async () => {
      read();
      try {
        const r = await api('POST', '/vicare/authorize', { client_id: v.client_id, redirect_uri: v.redirect_uri,
          ...Object.fromEntries(Object.keys(urls).filter(k => v[k]).map(k => [k, v[k]])) });
        v.state = r.state;
        clear(msg);
        sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify({ at: Date.now(), manufacturer: state.m.id, model: state.model.id,
          conn: { name: state.conn.name, poll_interval: state.conn.poll_interval },
          vicare: { client_id: v.client_id, redirect_uri: v.redirect_uri, state: v.state,
            authorize_url: v.authorize_url, token_url: v.token_url, api_base_url: v.api_base_url } }));
        if (v.redirect_uri === callbackUrl()) location.assign(r.authorize_url);
        else window.open(r.authorize_url, '_blank', 'noopener');
      } catch (e) { clear(msg, errorBox(e), problems(e)); }
    } }, t('vicare_sign_in'));
    const fetchWith = async c => {
      try {
        const r = await api('POST', '/vicare/token', { state: v.state || '', code: c });
        sessionStorage.removeItem(SIGN_IN_KEY);
        v.handle = r.handle;
        const list = await api('GET', `/vicare/installations?handle=${encodeURIComponent(r.handle)}`);
        v.devices = list.devices; v.base = list.connection_options; v.choice = null;
        clear(msg); showDevices(); clear(slot, nav(true, next));
      } catch (e) { clear(msg, errorBox(e), problems(e)); }
    };
    const fetchDevices = h('button.secondary#vicare-fetch', { type: 'button', onclick: () => {
      const text = code.value.trim();
      let c = text;
      try { const u = new URL(text); c = u.searchParams.get('code') || text; } catch (_) { /* just the code */ }
      return fetchWith(c);
    } }, t('vicare_fetch'));
    const next = () => {
      read();
      if (!v.handle || v.choice == null || !v.devices[v.choice]) { clear(msg, h('p.error', t('vicare_need_device'))); return; }
      let host = 'api.viessmann-climatesolutions.com';
      try { if (v.api_base_url) host = new URL(v.api_base_url).hostname; } catch (_) { /* the driver names a bad URL */ }
      state.conn = { ...state.conn, host, port: state.setup.default_port };
      state.options = { ...v.base, ...v.devices[v.choice].connection_options };
      state.tested = null;
      go(4);
    };
    clear(body, h('h2', t('connection')), h('p.muted', t('vicare_intro')), h('div.form-grid',
      field(t('vicare_client_id'), clientId), field(t('vicare_redirect_uri'), redirect)),
      h('p.muted', t('vicare_redirect_hint')),
      h('details#vicare-advanced', { open: Object.keys(urls).some(k => v[k]) }, h('summary', t('vicare_advanced')),
        h('p.muted', t('vicare_advanced_hint')), h('div.form-grid', field(t('vicare_authorize_url'), urls.authorize_url),
          field(t('vicare_token_url'), urls.token_url), field(t('vicare_api_base_url'), urls.api_base_url))),
      signIn, h('p.muted', t('vicare_paste')), h('div.form-grid', field(t('vicare_code'), code)), fetchDevices, chooser,
      h('div.form-grid', field(t('name'), name), field(t('poll_interval'), poll)), msg, slot);
    showDevices();
    clear(slot, nav(!!v.handle, next));
    const back = v.returned;
    v.returned = null;
    if (back && back.error) {
      clear(msg, h('p.error#vicare-denied', { role: 'alert' }, `${t('vicare_denied')}: ${back.error_description || back.error}`));
    } else if (back && back.code) {
      clear(msg, h('p.muted', t('vicare_returned')));
      fetchWith(back.code);
    }
  }

  function definition() {
    return { name: state.conn.name || undefined, manufacturer: state.m.id, model: state.model.id,
      connection_config: { host: state.conn.host, port: state.conn.port, unit_id: state.conn.unit_id,
        ...(state.options ? { options: state.options } : {}) },
      device_config: { circuits: state.circuits, zones: state.zones }, poll_interval: state.conn.poll_interval, enabled: true };
  }

  render();
}

/** Where Viessmann sends the browser back: the console's own callback page, which returns to the wizard. */
function callbackUrl() {
  return new URL('vicare-callback.html', location.href).href.replace(/#.*$/, '');
}

/**
 * Back from Viessmann's sign-in (or from the paste-it-yourself route): the wizard carries on at its ViCare step with
 * what it had, if the sign-in began in this tab in the last ten minutes (the gateway forgets the verifier then).
 */
async function resumeSignIn(state) {
  const saved = takeJson(SIGN_IN_KEY);
  const back = takeJson(RETURN_KEY);
  if (!saved || Date.now() - saved.at > 10 * 60 * 1000) return;
  const m = state.manufacturers.find(x => x.id === saved.manufacturer);
  const model = m && m.models.find(x => x.id === saved.model);
  if (!model) return;
  state.m = m; state.model = model;
  state.setup = await api('GET', `/manufacturers/${encodeURIComponent(m.id)}/models/${encodeURIComponent(model.id)}/setup`);
  state.conn = { ...state.conn, port: state.setup.default_port, ...saved.conn };
  state.circuits = state.setup.capabilities.circuits.slice(0, 1);
  state.vicare = { ...saved.vicare, handle: null, devices: [], choice: null, base: null,
    returned: back && back.state === saved.vicare.state ? back : null };
  // no sign-in returned yet (another redirect URI): keep what is needed for the paste
  if (!state.vicare.returned) sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify(saved));
  state.step = STEPS.indexOf('connection');
}

/** The configured heat pump already at this host, port and unit id, if any. */
async function addressUser(conn) {
  const devices = await api('GET', '/heatpumps');
  const host = conn.host.toLowerCase();
  return devices.find(d => d.connection_config && String(d.connection_config.host).toLowerCase() === host
    && Number(d.connection_config.port) === conn.port && Number(d.connection_config.unit_id ?? 1) === conn.unit_id);
}

function problems(e) {
  const list = e.problem && e.problem.problems;
  return Array.isArray(list) && list.length ? h('ul.error', list.map(p => h('li', p))) : null;
}

/** Turns the test's problem document (its diagnosis slug, else its detail) into advice a person can act on. */
export function diagnose(e, protocol) {
  const slug = e.problem && e.problem.diagnosis;
  const detail = (e.problem && e.problem.detail || e.message || '').toLowerCase();
  const modbus = String(protocol || 'modbus').startsWith('modbus');
  const bySlug = { 'connection-refused': modbus ? 'diag_refused' : 'diag_refused_port', 'unknown-host': 'diag_host',
    'no-route': 'diag_no_route', timeout: 'diag_timeout', 'wrong-unit-id': 'diag_unit', 'rejected-request': 'diag_address', 'wrong-protocol': 'diag_protocol' };
  if (bySlug[slug]) return t(bySlug[slug]);
  if (detail.includes('refused')) return t(modbus ? 'diag_refused' : 'diag_refused_port');
  if (detail.includes('unknown host')) return t('diag_host');
  if (detail.includes('timed out') || detail.includes('timeout') || detail.includes('no reply')) return t('diag_timeout');
  return t('diag_other');
}
