'use strict';
// The gateway's dashboard: polls /api/v1/dashboard, turns its running totals into rates, draws
// them with uPlot and fills the tables. A key typed into the page is kept in this page's memory
// only and sent as a bearer token; it is never written anywhere nor shown.
(() => {
  const POLL_MS = 2000;
  const POINTS = 150;
  const PALETTE = ['#e6550d', '#3182bd', '#31a354', '#756bb1', '#e377c2', '#d6616b', '#8c6d31', '#17becf'];
  const DATA = '/api/v1/dashboard';
  const MANAGEMENT = '/api/v1/models';

  let apiKey = '';
  let previous = null;
  const history = { time: [], requests: [], errors: [], fallbacks: [], tokensIn: [], tokensOut: [], latency: {}, ttft: {} };
  const charts = {};

  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function num(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return Number(value).toFixed(digits);
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '–';
  }

  function message(text, isError) {
    const node = $('message');
    node.textContent = text;
    node.className = isError ? 'message error' : 'message';
  }

  async function call(method, path, body) {
    const headers = {};
    if (apiKey) headers.Authorization = 'Bearer ' + apiKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (ignored) {
      json = null;
    }
    if (!response.ok) {
      const error = new Error(json && json.error ? json.error.message : 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  // ---- charts -------------------------------------------------------------------------------

  function chart(name, labels, data) {
    const holder = $('chart-' + name);
    const existing = charts[name];
    const key = labels.join('\u0000');
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      return;
    }
    if (existing) existing.plot.destroy();
    const options = {
      width: Math.max(300, holder.clientWidth - 4),
      height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(labels.map((label, i) => ({
        label,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        spanGaps: true,
        points: { show: false },
      }))),
    };
    charts[name] = { key, plot: new uPlot(options, data, holder) };
  }

  function push(list, value) {
    list.push(value);
    if (list.length > POINTS) list.shift();
  }

  function perModel(store, models, pick) {
    for (const model of models) {
      if (model.last_minute.calls > 0 && !store[model.key]) {
        store[model.key] = history.time.map(() => null);
      }
    }
    for (const [key, values] of Object.entries(store)) {
      const model = models.find((m) => m.key === key);
      const value = model && model.last_minute.calls > 0 ? pick(model.last_minute) : null;
      push(values, value);
    }
  }

  function record(snapshot) {
    const now = Date.parse(snapshot.generated_at) / 1000;
    const totals = snapshot.totals;
    if (previous) {
      const seconds = Math.max(0.001, now - previous.at);
      const rate = (field) => Math.max(0, (totals[field] - previous.totals[field]) / seconds);
      push(history.time, now);
      push(history.requests, rate('requests'));
      push(history.errors, rate('failed_requests'));
      push(history.fallbacks, rate('fallbacks'));
      push(history.tokensIn, rate('input_tokens'));
      push(history.tokensOut, rate('output_tokens'));
      perModel(history.latency, snapshot.models, (m) => (m.p95_ms > 0 ? m.p95_ms : null));
      perModel(history.ttft, snapshot.models, (m) => (m.time_to_first_token_p95_ms > 0 ? m.time_to_first_token_p95_ms : null));
    }
    previous = { at: now, totals };
    if (history.time.length === 0) return;
    chart('traffic', ['requests/s', 'errors/s', 'fallbacks/s'],
      [history.time, history.requests, history.errors, history.fallbacks]);
    chart('tokens', ['output tokens/s', 'input tokens/s'], [history.time, history.tokensOut, history.tokensIn]);
    for (const name of ['latency', 'ttft']) {
      const keys = Object.keys(history[name]).sort();
      if (keys.length > 0) chart(name, keys, [history.time].concat(keys.map((k) => history[name][k])));
    }
  }

  // ---- tables -------------------------------------------------------------------------------

  function fill(tableId, rows) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren(...rows);
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) tr.append(cell instanceof Node ? cell : el('td', cell));
    return tr;
  }

  function numeric(value, digits) {
    return el('td', num(value, digits), 'num');
  }

  function adminButton(label, path, body) {
    const button = el('button', label);
    button.type = 'button';
    button.addEventListener('click', async () => {
      try {
        await call('POST', path, body);
        message(label + ' ' + Object.values(body).join(' ') + ': done');
        poll();
      } catch (error) {
        message(label + ': ' + error.message + (error.status === 401 || error.status === 403 ? ' (needs the admin key)' : ''), true);
      }
    });
    return button;
  }

  function probe(iso) {
    if (!iso) return '–';
    const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
    return seconds > 0 ? 'in ' + seconds + ' s' : 'now';
  }

  function models(snapshot) {
    fill('models', snapshot.models.map((model) => {
      const minute = model.last_minute;
      const admin = el('td');
      admin.append(adminButton('reset', MANAGEMENT + '/failures/reset', { model: model.key }));
      if (model.local) {
        admin.append(model.loaded
          ? adminButton('unload', MANAGEMENT + '/unload', { model: model.key })
          : adminButton('load', MANAGEMENT + '/load', { model: model.key }));
      }
      const score = model.score === null ? el('td', 'dropped', 'muted') : numeric(model.score, 2);
      if (model.dropped) score.title = model.dropped;
      return row([
        el('td', model.key),
        score,
        el('td', model.circuit.state.replace('_', '-'), 'state-' + model.circuit.state),
        el('td', clock(model.circuit.opened_at)),
        el('td', probe(model.circuit.probe_after)),
        numeric(minute.calls, 0),
        el('td', minute.calls > 0 ? num(minute.success_rate * 100, 0) + ' %' : '–', 'num'),
        numeric(minute.calls > 0 ? minute.p50_ms : null, 0),
        numeric(minute.calls > 0 ? minute.p95_ms : null, 0),
        numeric(minute.time_to_first_token_p95_ms > 0 ? minute.time_to_first_token_p95_ms : null, 0),
        numeric(minute.tokens_per_second > 0 ? minute.tokens_per_second : null, 1),
        admin,
      ]);
    }));
  }

  function errors(snapshot) {
    const classes = new Set(Object.keys(snapshot.errors_by_class).concat(Object.keys(snapshot.fallbacks_by_class)));
    fill('errors', [...classes].sort().map((name) => row([
      el('td', name),
      numeric(snapshot.errors_by_class[name] || 0, 0),
      numeric(snapshot.fallbacks_by_class[name] || 0, 0),
    ])));
  }

  function providers(snapshot) {
    fill('providers', snapshot.providers.map((provider) => {
      const admin = el('td');
      if (provider.out_of_service) {
        admin.append(adminButton('reset', MANAGEMENT + '/providers/reset', { provider: provider.id }));
      }
      const health = el('td', provider.healthy ? 'healthy' : 'down', provider.healthy ? 'healthy' : 'unhealthy');
      health.title = provider.detail || '';
      return row([el('td', provider.id), el('td', provider.type), health,
        numeric(provider.models, 0), el('td', provider.out_of_service || '–'), admin]);
    }));
  }

  function spend(snapshot) {
    $('spend-window').textContent = snapshot.spend.window;
    $('spend-none').hidden = snapshot.spend.configured;
    $('spend').hidden = !snapshot.spend.configured;
    fill('spend', snapshot.spend.by_key.map((key) => row([
      el('td', key.key), numeric(key.requests, 0), numeric(key.input_tokens, 0),
      numeric(key.output_tokens, 0), numeric(key.cost_usd, 4),
    ])));
  }

  function traces(snapshot) {
    fill('traces', snapshot.traces.map((trace) => row([
      el('td', clock(trace.at)),
      el('td', trace.served_by || 'failed: ' + trace.failure, trace.served_by ? '' : 'unhealthy'),
      el('td', trace.attempts.map((a) => a.model + ' ' + a.outcome + ' ' + a.duration_ms + 'ms').join(', ')),
      el('td', trace.skipped.map((s) => s.model + ' (' + s.reason + ')').join(', ') || '–'),
      numeric(trace.total_ms, 0),
    ])));
  }

  // ---- explain ------------------------------------------------------------------------------

  async function explain(event) {
    event.preventDefault();
    const form = event.target;
    const body = { task_type: form.task_type.value };
    const decimal = (name) => { if (form[name].value.trim()) body[name] = Number(form[name].value); };
    decimal('max_cost_per_token');
    decimal('max_latency_ms');
    decimal('context_length_needed');
    const capabilities = form.required_capabilities.value.split(',').map((c) => c.trim()).filter(Boolean);
    if (capabilities.length > 0) body.required_capabilities = capabilities;
    for (const flag of ['therapeutic_safety_required', 'prefer_free', 'prefer_local']) body[flag] = form[flag].checked;
    const result = $('explain-result');
    try {
      const answer = await call('POST', MANAGEMENT + '/explain', body);
      const table = el('table');
      table.append(row(['Rank', 'Model', 'Score', 'Terms'].map((h) => el('th', h))));
      for (const ranked of answer.ranked) {
        table.append(row([numeric(ranked.rank, 0), el('td', ranked.model), numeric(ranked.score, 2),
          el('td', ranked.terms.map((t) => t.name + ' ' + num(t.value, 2)).join(', '))]));
      }
      for (const dropped of answer.dropped) {
        table.append(row([el('td', '–'), el('td', dropped.model), el('td', 'dropped', 'muted'),
          el('td', dropped.rule + ': ' + dropped.detail)]));
      }
      result.replaceChildren(el('p', answer.requirements, 'muted'), table);
    } catch (error) {
      result.replaceChildren(el('p', error.message, 'message error'));
    }
  }

  // ---- polling ------------------------------------------------------------------------------

  let timer = null;

  async function poll() {
    clearTimeout(timer);
    try {
      const snapshot = await call('GET', DATA);
      record(snapshot);
      models(snapshot);
      errors(snapshot);
      providers(snapshot);
      spend(snapshot);
      traces(snapshot);
      $('status').textContent = 'updated ' + clock(snapshot.generated_at) + ', up ' + snapshot.uptime_seconds + ' s';
    } catch (error) {
      $('status').textContent = error.status === 401 || error.status === 403
        ? 'this gateway needs an API key: enter one above'
        : 'cannot read the gateway: ' + error.message;
    } finally {
      timer = setTimeout(poll, POLL_MS);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      apiKey = $('key').value;
      $('key').value = '';
      $('key-state').textContent = apiKey ? 'key in use (kept in this page only)' : '';
      poll();
    });
    $('explain-form').addEventListener('submit', explain);
    poll();
  });
})();
