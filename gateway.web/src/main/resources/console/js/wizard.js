// Adding a heat pump: manufacturer → model → the driver's instructions → connection → a real test → circuits/zones → save.
import { t, h, clear, api, markdown, errorBox, fmtReading } from './core.js';
import { field } from './app.js';

const STEPS = ['manufacturer', 'model', 'instructions', 'connection', 'test', 'circuits_zones'];

export async function wizard(main) {
  const state = { step: 0, manufacturers: await api('GET', '/manufacturers'), m: null, model: null, setup: null,
    conn: { name: '', host: '', port: null, unit_id: 1, poll_interval: null }, tested: null, circuits: [], zones: [] };
  const steps = h('ol.steps');
  const body = h('section.card#wizard');
  main.append(h('h1', t('wizard')), steps, body);
  const go = n => { state.step = n; render(); };

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
          it => { state.m = state.manufacturers.find(m => m.id === it.id); state.model = null; go(1); }));
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

  function definition() {
    return { name: state.conn.name || undefined, manufacturer: state.m.id, model: state.model.id,
      connection_config: { host: state.conn.host, port: state.conn.port, unit_id: state.conn.unit_id },
      device_config: { circuits: state.circuits, zones: state.zones }, poll_interval: state.conn.poll_interval, enabled: true };
  }

  render();
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
