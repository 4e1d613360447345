// Shared by every page: translations, the API client (session cookie + CSRF header), DOM helpers, safe Markdown.

const TEXT = {
  en: {
    app: 'Heatpump Gateway', login: 'Sign in', logout: 'Sign out', username: 'User name', password: 'Password',
    setup_title: 'Create the administrator', setup_intro: 'This gateway has no user yet. Choose the name and password of its first administrator.',
    password_repeat: 'Repeat password', passwords_differ: 'The passwords differ.', create: 'Create', save: 'Save',
    cancel: 'Cancel', confirm: 'Confirm', back: 'Back', next: 'Next', remove: 'Remove', edit: 'Edit', add: 'Add',
    devices: 'Heat pumps', dashboards: 'Dashboards', control: 'Control', jobs: 'Jobs', alerts: 'Alerts',
    bundles: 'Bundles', users: 'Users', settings: 'Settings', audit: 'Audit trail', add_device: 'Add heat pump',
    no_devices: 'No heat pump yet.', no_devices_hint: 'Add one: a wizard explains the settings on the device and tests the connection before saving.', state: 'State', last_error: 'Last error', last_poll: 'Last poll',
    requests_per_poll: 'Requests per poll', cycle_time: 'Cycle time', values: 'Live values', status: 'Status',
    quality_invalid: 'invalid', quality_stale: 'stale', quality_error: 'error', none: '—',
    enable: 'Enable', disable: 'Disable', delete_device: 'Delete heat pump', really_delete: 'Delete {0}?',
    wizard: 'Add a heat pump', manufacturer: 'Manufacturer', model: 'Model', instructions: 'Setup on the device',
    connection: 'Connection', test: 'Connection test', circuits_zones: 'Circuits and zones', host: 'Host or IP address',
    port: 'Port', unit_id: 'Unit id', name: 'Name', poll_interval: 'Poll interval (s)', run_test: 'Test connection',
    testing: 'Testing…', test_ok: 'Connected: {0} values read with {1} requests.', circuits: 'Heating circuits',
    zones: 'Zone modules', no_circuits: 'This model has no circuits to choose.',
    diag_refused: 'Connection refused: Modbus TCP is probably not enabled on the device (or the port is wrong).',
    diag_timeout: 'No answer in time: check the address, the network, that the device is on, and the unit id (some devices ignore a wrong one).',
    diag_unit: 'The device answered but refused the unit id: check the unit id (Modbus slave address).',
    diag_host: 'The host name is unknown: check the spelling or use the IP address.',
    diag_address: 'The device does not know a register of this model: check the model and its firmware.',
    diag_refused_port: 'Connection refused: the device\'s network interface is probably not enabled, or the port is wrong.',
    diag_no_route: 'No route to the device: check the address and the network.', diag_protocol: 'Something answers on this port, but not in this model\'s protocol: is it the port of another make or service? Check the port and the manufacturer.', diag_other: 'The test failed.', write_switch: 'Device writes', writes_on: 'Writes are enabled.',
    writes_off: 'Writes are disabled for all devices.', set_value: 'Set', confirm_write: 'Change {0} from {1} to {2}?',
    written: 'Written: {0} = {1}.', range: 'range {0} … {1}', read_only_role: 'Your role can only read.',
    time: 'Time', actor: 'Who', sensor: 'Sensor', old_value: 'Old', new_value: 'New', result: 'Result',
    upload: 'Upload bundle', uploading: 'Uploading… {0}%', start: 'Start', stop: 'Stop', update: 'Update',
    uninstall: 'Uninstall', really_uninstall: 'Uninstall {0}?', version: 'Version', symbolic_name: 'Bundle',
    provides: 'Provides', role: 'Role', new_user: 'New user', really_remove: 'Remove {0}?', language: 'Language',
    not_available: 'Not available on this gateway yet.', default_dashboard: 'Default', new_dashboard: 'New dashboard',
    add_widget: 'Add widget', widget_type: 'Type', title: 'Title', hours: 'Hours', up: 'Up', down: 'Down',
    type_line: 'Line chart', type_stat: 'Stat', type_gauge: 'Gauge', type_table: 'Table', zoom_hint: 'Drag to zoom, double-click to reset.',
    no_history: 'No history yet.', enabled: 'Enabled', definition: 'Definition', device: 'Heat pump', all: 'All',
    gateway: 'Gateway', uptime: 'Uptime', sensors: 'Sensors', signed_in_as: '{0} ({1})', error: 'Error', role_viewer: 'Viewer', role_operator: 'Operator', role_admin: 'Administrator',
    bundle_file: 'Bundle file (.jar)', libraries: 'Framework and libraries', installed: 'Installed and started.', select: 'Select…', loading: 'Loading…', saved: 'Saved.', diagnosis: 'Diagnosis',
    category_temperature: 'Temperatures', category_power: 'Power', category_energy: 'Energy', category_pressure: 'Pressure',
    category_flow: 'Flow', category_humidity: 'Humidity', category_percent: 'Percentages', category_frequency: 'Frequency',
    category_time: 'Times', category_counter: 'Counters', category_status: 'Status', category_mode: 'Modes',
    category_setpoint: 'Setpoints', category_control: 'Controls', category_alarm: 'Alarms', category_binary: 'Switches',
    category_info: 'Information', category_other: 'Other', online: 'online', offline: 'offline', degraded: 'degraded',
    connecting: 'connecting', disabled: 'disabled', driver_missing: 'driver missing', rate_limited: 'rate limited', setup_done: 'Administrator created.', started: 'Started',
    history_export: 'History export', export_sensors: 'Sensors', from: 'From', to: 'To', format: 'Format',
    export_download: 'Download', export_to_now: 'Empty: up to now', export_hint: 'Stored values of the chosen sensors, one row per value, in time order.',
    anomalies: 'Anomalies', anomaly_score: 'Anomaly score', no_anomalies: 'No anomaly in the last 7 days.',
    anomalies_unavailable: 'Anomaly detection is not running.', mode: 'Mode', score: 'Score',
    features: 'What stood out', usual: 'usually',
    notifications: 'Notifications', time_zone: 'Time zone of the jobs', time_zone_hint: 'Empty: the system\'s zone ({0}).',
    mqtt: 'MQTT and Home Assistant', mqtt_state: 'Connection', broker_url: 'Broker (tcp://host:1883 or ssl://host:8883; empty = off)',
    mqtt_password_hint: 'Stored and never shown; leave empty to keep it.', topic_prefix: 'Topic prefix ({gateway_id}, {site} allowed)',
    qos: 'QoS', discovery_enabled: 'Home Assistant discovery', discovery_prefix: 'Discovery prefix',
    commands_enabled: 'Take commands (…/set), through the write switch and validation', legacy_topics: 'Also the old bare topics for hp-legacy',
    tls_ca_file: 'CA file for ssl:// (path on the gateway)', publish_interval: 'At most one value message per sensor every (s; 0 = every poll)',
    mqtt_last_error: 'Last error',
    backups: 'Backups', backup_create: 'Make a backup', backup_passphrase: 'Passphrase for secrets',
    backup_passphrase_hint: 'Encrypts passwords and tokens of channels and configuration into the backup. Empty: they are left out.',
    backup_created: 'Backup {0} made.', backup_restore: 'Restore', backup_restore_title: 'Restore a backup',
    backup_file: 'Backup file (.zip)', restore_secrets: 'Also restore the secrets (needs the passphrase)',
    restore_hint: 'Replaces devices, dashboards, jobs, alerts, users, configuration, deployed bundles and models with the backup\'s. The gateway restarts its services; you may have to sign in again.',
    really_restore: 'Replace this gateway\'s state with {0}?', restored: 'Restored {0} (schema {1} → {2}).',
    no_backups: 'No backup yet.', download: 'Download', size: 'Size', created_at: 'Made', secrets: 'Secrets',
    secrets_encrypted: 'encrypted', secrets_omitted: 'left out', scheduled: 'scheduled', manual: 'by hand',
    restoring: 'Restoring…', really_delete_backup: 'Delete backup {0}?',
    energy: 'Energy',
    needs_admin: 'This page needs the admin role; you are signed in as {0}.', address_in_use: 'This address is already used by {0}: each heat pump can be added once.',
  },
  de: {
    app: 'Wärmepumpen-Gateway', login: 'Anmelden', logout: 'Abmelden', username: 'Benutzername', password: 'Passwort',
    setup_title: 'Administrator anlegen', setup_intro: 'Dieses Gateway hat noch keinen Benutzer. Wählen Sie Name und Passwort des ersten Administrators.',
    password_repeat: 'Passwort wiederholen', passwords_differ: 'Die Passwörter sind verschieden.', create: 'Anlegen', save: 'Speichern',
    cancel: 'Abbrechen', confirm: 'Bestätigen', back: 'Zurück', next: 'Weiter', remove: 'Entfernen', edit: 'Bearbeiten', add: 'Hinzufügen',
    devices: 'Wärmepumpen', dashboards: 'Dashboards', control: 'Steuerung', jobs: 'Aufträge', alerts: 'Alarme',
    bundles: 'Bundles', users: 'Benutzer', settings: 'Einstellungen', audit: 'Protokoll', add_device: 'Wärmepumpe hinzufügen',
    no_devices: 'Noch keine Wärmepumpe.', no_devices_hint: 'Fügen Sie eine hinzu: ein Assistent erklärt die Einstellungen am Gerät und testet die Verbindung vor dem Speichern.', state: 'Zustand', last_error: 'Letzter Fehler', last_poll: 'Letzte Abfrage',
    requests_per_poll: 'Anfragen pro Abfrage', cycle_time: 'Zykluszeit', values: 'Aktuelle Werte', status: 'Status',
    quality_invalid: 'ungültig', quality_stale: 'veraltet', quality_error: 'Fehler', none: '—',
    enable: 'Einschalten', disable: 'Ausschalten', delete_device: 'Wärmepumpe löschen', really_delete: '{0} löschen?',
    wizard: 'Wärmepumpe hinzufügen', manufacturer: 'Hersteller', model: 'Modell', instructions: 'Einrichtung am Gerät',
    connection: 'Verbindung', test: 'Verbindungstest', circuits_zones: 'Heizkreise und Zonen', host: 'Hostname oder IP-Adresse',
    port: 'Port', unit_id: 'Unit-ID', name: 'Name', poll_interval: 'Abfrageintervall (s)', run_test: 'Verbindung testen',
    testing: 'Teste…', test_ok: 'Verbunden: {0} Werte mit {1} Anfragen gelesen.', circuits: 'Heizkreise',
    zones: 'Zonenmodule', no_circuits: 'Bei diesem Modell gibt es keine Heizkreise zu wählen.',
    diag_refused: 'Verbindung abgelehnt: Modbus TCP ist am Gerät vermutlich nicht aktiviert (oder der Port ist falsch).',
    diag_timeout: 'Keine Antwort: Adresse, Netzwerk, ob das Gerät eingeschaltet ist, und die Unit-ID prüfen (manche Geräte ignorieren eine falsche).',
    diag_unit: 'Das Gerät antwortet, lehnt aber die Unit-ID ab: Unit-ID (Modbus-Slave-Adresse) prüfen.',
    diag_host: 'Der Hostname ist unbekannt: Schreibweise prüfen oder die IP-Adresse verwenden.',
    diag_address: 'Das Gerät kennt ein Register dieses Modells nicht: Modell und Firmware prüfen.',
    diag_refused_port: 'Verbindung abgelehnt: die Netzwerkschnittstelle des Geräts ist vermutlich nicht aktiviert, oder der Port ist falsch.',
    diag_no_route: 'Keine Route zum Gerät: Adresse und Netzwerk prüfen.', diag_protocol: 'Auf diesem Port antwortet etwas, aber nicht im Protokoll dieses Modells: ist es der Port eines anderen Herstellers oder Dienstes? Port und Hersteller prüfen.', diag_other: 'Der Test ist fehlgeschlagen.', write_switch: 'Schreiben auf Geräte', writes_on: 'Schreiben ist eingeschaltet.',
    writes_off: 'Schreiben ist für alle Geräte ausgeschaltet.', set_value: 'Setzen', confirm_write: '{0} von {1} auf {2} ändern?',
    written: 'Geschrieben: {0} = {1}.', range: 'Bereich {0} … {1}', read_only_role: 'Ihre Rolle darf nur lesen.',
    time: 'Zeit', actor: 'Wer', sensor: 'Sensor', old_value: 'Alt', new_value: 'Neu', result: 'Ergebnis',
    upload: 'Bundle hochladen', uploading: 'Lade hoch… {0} %', start: 'Starten', stop: 'Stoppen', update: 'Aktualisieren',
    uninstall: 'Deinstallieren', really_uninstall: '{0} deinstallieren?', version: 'Version', symbolic_name: 'Bundle',
    provides: 'Stellt bereit', role: 'Rolle', new_user: 'Neuer Benutzer', really_remove: '{0} entfernen?', language: 'Sprache',
    not_available: 'Auf diesem Gateway noch nicht verfügbar.', default_dashboard: 'Standard', new_dashboard: 'Neues Dashboard',
    add_widget: 'Widget hinzufügen', widget_type: 'Art', title: 'Titel', hours: 'Stunden', up: 'Hoch', down: 'Runter',
    type_line: 'Liniendiagramm', type_stat: 'Kennzahl', type_gauge: 'Anzeige', type_table: 'Tabelle', zoom_hint: 'Zum Zoomen ziehen, Doppelklick setzt zurück.',
    no_history: 'Noch kein Verlauf.', enabled: 'Aktiv', definition: 'Definition', device: 'Wärmepumpe', all: 'Alle',
    gateway: 'Gateway', uptime: 'Laufzeit', sensors: 'Sensoren', signed_in_as: '{0} ({1})', error: 'Fehler', role_viewer: 'Betrachter', role_operator: 'Bediener', role_admin: 'Administrator',
    bundle_file: 'Bundle-Datei (.jar)', libraries: 'Framework und Bibliotheken', installed: 'Installiert und gestartet.', select: 'Auswählen…', loading: 'Lade…', saved: 'Gespeichert.', diagnosis: 'Diagnose',
    category_temperature: 'Temperaturen', category_power: 'Leistung', category_energy: 'Energie', category_pressure: 'Druck',
    category_flow: 'Durchfluss', category_humidity: 'Feuchte', category_percent: 'Prozentwerte', category_frequency: 'Frequenz',
    category_time: 'Zeiten', category_counter: 'Zähler', category_status: 'Status', category_mode: 'Betriebsarten',
    category_setpoint: 'Sollwerte', category_control: 'Steuerung', category_alarm: 'Alarme', category_binary: 'Schalter',
    category_info: 'Information', category_other: 'Sonstiges', online: 'online', offline: 'offline', degraded: 'gestört',
    connecting: 'verbinde', disabled: 'ausgeschaltet', driver_missing: 'Treiber fehlt', rate_limited: 'Abruflimit erreicht', setup_done: 'Administrator angelegt.', started: 'Gestartet',
    history_export: 'Verlauf exportieren', export_sensors: 'Sensoren', from: 'Von', to: 'Bis', format: 'Format',
    export_download: 'Herunterladen', export_to_now: 'Leer: bis jetzt', export_hint: 'Gespeicherte Werte der gewählten Sensoren, eine Zeile pro Wert, zeitlich geordnet.',
    anomalies: 'Auffälligkeiten', anomaly_score: 'Anomalie-Wert', no_anomalies: 'Keine Auffälligkeit in den letzten 7 Tagen.',
    anomalies_unavailable: 'Die Anomalie-Erkennung läuft nicht.', mode: 'Betriebsart', score: 'Wert',
    features: 'Auffällig', usual: 'sonst',
    notifications: 'Benachrichtigungen', time_zone: 'Zeitzone der Aufträge', time_zone_hint: 'Leer: die Zone des Systems ({0}).',
    mqtt: 'MQTT und Home Assistant', mqtt_state: 'Verbindung', broker_url: 'Broker (tcp://host:1883 oder ssl://host:8883; leer = aus)',
    mqtt_password_hint: 'Wird gespeichert und nie angezeigt; leer lassen, um es zu behalten.', topic_prefix: 'Topic-Präfix ({gateway_id}, {site} erlaubt)',
    qos: 'QoS', discovery_enabled: 'Home-Assistant-Erkennung', discovery_prefix: 'Erkennungs-Präfix',
    commands_enabled: 'Befehle annehmen (…/set), über Schreibschalter und Prüfung', legacy_topics: 'Auch die alten Topics ohne Gerät für hp-legacy',
    tls_ca_file: 'CA-Datei für ssl:// (Pfad auf dem Gateway)', publish_interval: 'Höchstens eine Wert-Nachricht je Sensor alle (s; 0 = jede Abfrage)',
    mqtt_last_error: 'Letzter Fehler',
    backups: 'Sicherungen', backup_create: 'Sicherung erstellen', backup_passphrase: 'Passphrase für Geheimnisse',
    backup_passphrase_hint: 'Verschlüsselt Passwörter und Tokens von Kanälen und Konfiguration in die Sicherung. Leer: sie werden weggelassen.',
    backup_created: 'Sicherung {0} erstellt.', backup_restore: 'Wiederherstellen', backup_restore_title: 'Sicherung wiederherstellen',
    backup_file: 'Sicherungsdatei (.zip)', restore_secrets: 'Auch die Geheimnisse wiederherstellen (braucht die Passphrase)',
    restore_hint: 'Ersetzt Wärmepumpen, Dashboards, Aufträge, Alarme, Benutzer, Konfiguration, installierte Bundles und Modelle durch die der Sicherung. Das Gateway startet seine Dienste neu; eventuell müssen Sie sich neu anmelden.',
    really_restore: 'Den Zustand dieses Gateways durch {0} ersetzen?', restored: '{0} wiederhergestellt (Schema {1} → {2}).',
    no_backups: 'Noch keine Sicherung.', download: 'Herunterladen', size: 'Größe', created_at: 'Erstellt', secrets: 'Geheimnisse',
    secrets_encrypted: 'verschlüsselt', secrets_omitted: 'weggelassen', scheduled: 'geplant', manual: 'von Hand',
    restoring: 'Stelle wieder her…', really_delete_backup: 'Sicherung {0} löschen?',
    energy: 'Energie',
    needs_admin: 'Diese Seite braucht die Rolle admin; Sie sind als {0} angemeldet.', address_in_use: 'Diese Adresse verwendet schon {0}: jede Wärmepumpe kann nur einmal hinzugefügt werden.',
  },
};

export const LANGS = Object.keys(TEXT);

/** A lazily loaded page module brings its own strings, so the first load carries only the shell's. */
export function extendText(tables) {
  for (const [l, table] of Object.entries(tables)) Object.assign(TEXT[l] || (TEXT[l] = {}), table);
}
let lang = pickLanguage();

function pickLanguage() {
  const stored = localStorage.getItem('gw.lang');
  if (stored && TEXT[stored]) return stored;
  const browser = (navigator.languages || [navigator.language || 'en']).map(l => l.slice(0, 2).toLowerCase());
  return browser.find(l => TEXT[l]) || 'en';
}

export function language() { return lang; }
export function setLanguage(l) { lang = TEXT[l] ? l : 'en'; localStorage.setItem('gw.lang', lang); document.documentElement.lang = lang; }
document.documentElement.lang = lang;

/** Translation with {0}, {1}… placeholders; an unknown key shows itself so gaps are visible. */
export function t(key, ...args) {
  const s = TEXT[lang][key] ?? TEXT.en[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[i] ?? ''));
}

// ---------------------------------------------------------------- API

let csrf = null;
export function setCsrf(token) { csrf = token; }

/** An API failure: the problem document's detail when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(method, path, body) {
  // the API names sensors and enum values, models, dashboard titles and its errors in this language (ids, keys and
  // slugs stay as they are)
  const headers = { Accept: 'application/json', 'Accept-Language': lang, 'X-Requested-With': 'console' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  }
  const r = await fetch('/api' + path, init);
  const text = await r.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = { detail: text }; } }
  if (!r.ok) {
    const err = new ApiError(r.status, data);
    if (r.status === 401 && onUnauthorized && !path.startsWith('/login')) onUnauthorized();
    throw err;
  }
  return data;
}

let onUnauthorized = null;
export function whenUnauthorized(fn) { onUnauthorized = fn; }

/** Uploads a file with progress (fetch cannot report upload progress). */
export function upload(method, path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, '/api' + path);
    // a FormData body (backup restore) carries its own multipart boundary
    if (!(file instanceof FormData)) x.setRequestHeader('Content-Type', 'application/java-archive');
    x.setRequestHeader('X-Requested-With', 'console');
    // its refusals (a bundle that does not resolve, an invalid backup) come in the console's language too
    x.setRequestHeader('Accept-Language', lang);
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.onprogress = e => { if (e.lengthComputable) onProgress(Math.round(100 * e.loaded / e.total)); };
    x.onload = () => {
      let data = null;
      try { data = x.responseText ? JSON.parse(x.responseText) : null; } catch { data = { detail: x.responseText }; }
      if (x.status >= 200 && x.status < 300) resolve(data); else reject(new ApiError(x.status, data));
    };
    x.onerror = () => reject(new ApiError(0, { detail: 'network error' }));
    x.send(file);
  });
}

// ---------------------------------------------------------------- DOM

/** h('div.card#x', {onclick}, children…): elements without innerHTML, so data can never become markup. */
export function h(tag, attrs, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || 'div');
  for (const part of rest) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) { el.replaceChildren(); append(el, children); return el; }

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Minimal Markdown for driver instructions: the text is escaped first, then only a few constructs become markup. */
export function markdown(src) {
  const inline = s => escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" rel="noopener noreferrer" target="_blank">$1</a>');
  const out = [];
  let list = null;
  let para = [];
  const flush = () => {
    if (para.length) { out.push('<p>' + para.map(inline).join(' ') + '</p>'); para = []; }
    if (list) { out.push('</' + list + '>'); list = null; }
  };
  for (const raw of String(src || '').split(/\r?\n/)) {
    const line = raw.trimEnd();
    let m;
    if (!line.trim()) { flush(); continue; }
    if ((m = line.match(/^(#{1,4})\s+(.*)$/))) { flush(); const n = Math.min(6, m[1].length + 2); out.push(`<h${n}>${inline(m[2])}</h${n}>`); continue; }
    if ((m = line.match(/^\s*(?:[-*]|(\d+)\.)\s+(.*)$/))) {
      const kind = m[1] ? 'ol' : 'ul';
      if (para.length) { out.push('<p>' + para.map(inline).join(' ') + '</p>'); para = []; }
      if (list !== kind) { if (list) out.push('</' + list + '>'); out.push('<' + kind + '>'); list = kind; }
      out.push('<li>' + inline(m[2]) + '</li>');
      continue;
    }
    if (list) { out.push('</' + list + '>'); list = null; }
    para.push(line.trim());
  }
  flush();
  const div = document.createElement('div');
  div.className = 'markdown';
  div.innerHTML = out.join('');
  return div;
}

export function fmtNumber(v, unit) {
  if (v === null || v === undefined) return t('none');
  const n = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100;
  return n.toLocaleString(lang) + (unit ? '\u202f' + unit : '');
}

/** A driver's enum key (hot_water_only) as words (Hot water only); any other text stays as the driver wrote it. */
export function label(text) {
  const s = String(text);
  return /^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]+$/.test(s) ? (s[0].toUpperCase() + s.slice(1)).replace(/_/g, ' ') : s;
}

/**
 * A reading as shown: an enum value's label in the console's language (the sensor's enum_labels, else the reading's
 * label, else its key in words), else the number with its unit; 0 is a value like any other. The live event stream
 * is not localized, so the sensor's labels (fetched in the console's language) come first.
 */
export function fmtReading(r, sensor) {
  if (r.text == null || r.text === '') return fmtNumber(r.value, r.unit);
  const own = sensor && sensor.enum_labels && r.value != null ? sensor.enum_labels[String(r.value)] : null;
  return own || r.label || label(r.text);
}

export function fmtTime(iso) {
  if (!iso) return t('none');
  return new Date(iso).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A modal dialog; resolves true on confirm. */
export function confirmDialog(message, confirmLabel) {
  return new Promise(resolve => {
    const d = h('dialog.confirm');
    const done = ok => { d.close(); d.remove(); resolve(ok); };
    d.append(h('p.confirm-text', message), h('div.actions',
      h('button.secondary', { type: 'button', onclick: () => done(false) }, t('cancel')),
      h('button.primary.confirm-ok', { type: 'button', onclick: () => done(true) }, confirmLabel || t('confirm'))));
    d.addEventListener('cancel', () => done(false));
    document.body.append(d);
    d.showModal();
  });
}

/** Sign-out ends what the last user was told. */
export function clearToasts() {
  document.getElementById('toasts')?.replaceChildren();
}

export function toast(message, kind) {
  let box = document.getElementById('toasts');
  if (!box) document.body.append(box = h('div#toasts', { 'aria-live': 'polite' }));
  const el = h('div.toast' + (kind ? '.' + kind : ''), { role: 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), 5000);
}

export function errorBox(e) {
  return h('p.error', { role: 'alert' }, e instanceof Error ? e.message : String(e));
}
