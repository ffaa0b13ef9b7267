// pmx-dash front end. The server renders every page and panel (HTML-escaped); this script only
//   * keeps the control token: taken from the URL fragment (#token=..., never sent to the
//     server by the browser) or asked for once, then kept in this tab's sessionStorage;
//   * listens to /api/events (SSE) and writes the live values into [data-stat] elements, feeds
//     the charts and raises `pmx:update` so HTMX refreshes the panels;
//   * sends the controls (kill switch, resume, mode, config) with Authorization: Bearer.
// Text from the server is only ever assigned with textContent, never as HTML.
(() => {
  'use strict';
  const TOKEN_KEY = 'pmx-dash-token';
  const charts = {};
  window.pmxDash = { updates: 0, lastStats: null };

  // ---- token -------------------------------------------------------------------------------
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.get('token')) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  function token() {
    let t = sessionStorage.getItem(TOKEN_KEY);
    if (!t) {
      t = window.prompt('Dashboard token (printed by pmx-dash at start)') || '';
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
    }
    return t;
  }

  function say(text, isError) {
    const el = document.getElementById('control-message');
    if (!el) return;
    el.textContent = text;
    el.className = 'mt-2 text-sm ' + (isError ? 'text-rose-400' : 'text-emerald-400');
  }

  async function control(path, fields) {
    const t = token();
    if (!t) return say('No token: controls need the token pmx-dash printed at start.', true);
    const response = await fetch(path, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + t, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields || {}).toString(),
    });
    let answer = { message: response.statusText };
    try { answer = await response.json(); } catch (e) { /* not JSON: keep the status text */ }
    if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    say(`${answer.result || response.status}: ${answer.message}`, !response.ok);
  }

  // ---- live values ---------------------------------------------------------------------------
  const money = (v) => (v === null || v === undefined ? '-' : '$' + Number(v).toFixed(2));
  const formats = {
    capital: money, daily: money, realized: money, unrealized: money, exposure: money,
    drawdown_pct: (v) => (v === null ? '-' : Number(v).toFixed(2) + '%'),
    open_positions: (v) => String(v),
    heartbeat_age_ms: (v) => Number(v).toFixed(1) + ' ms',
  };

  function setStat(name, text, classes) {
    for (const el of document.querySelectorAll(`[data-stat="${name}"]`)) {
      el.textContent = text;
      if (classes) el.className = 'rounded px-2 py-1 ' + classes;
    }
  }

  function showStats(stats) {
    window.pmxDash.lastStats = stats;
    if (stats.engine !== 'attached') {
      setStat('engine', 'no engine', 'bg-amber-700 text-white');
      setStat('mode', '-', 'bg-slate-800');
      setStat('halted', '-', 'bg-slate-800');
      return;
    }
    setStat('engine', 'engine ' + stats.instance, 'bg-emerald-800 text-white');
    setStat('mode', stats.mode, stats.mode === 'live' ? 'bg-amber-600 text-white' : 'bg-slate-700');
    setStat('halted', stats.halted ? 'HALTED' : 'trading', stats.halted ? 'bg-rose-700 text-white' : 'bg-slate-700');
    for (const [name, format] of Object.entries(formats)) setStat(name, format(stats[name]));
    drawdownGauge(stats.drawdown_pct || 0);
  }

  // ---- charts --------------------------------------------------------------------------------
  const palette = ['#38bdf8', '#f472b6', '#a3e635', '#fbbf24', '#c084fc', '#f87171', '#34d399', '#94a3b8'];

  function chart(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || !window.Chart) return null;
    if (!charts[id]) {
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options);
      charts[id] = new window.Chart(canvas, config);
    }
    return charts[id];
  }

  function drawdownGauge(pct) {
    const c = chart('drawdown-gauge', {
      type: 'doughnut',
      data: { labels: ['drawdown %', 'headroom %'], datasets: [{ data: [0, 100], backgroundColor: ['#e11d48', '#1e293b'] }] },
      options: { circumference: 180, rotation: -90, plugins: { legend: { labels: { color: '#cbd5e1' } } } },
    });
    if (!c) return;
    const v = Math.min(Math.max(pct, 0), 100);
    c.data.datasets[0].data = [v, 100 - v];
    c.update('none');
  }

  let lastExposure = 0;
  async function exposurePie() {
    if (!document.getElementById('exposure-pie') || Date.now() - lastExposure < 2000) return;
    lastExposure = Date.now();
    const response = await fetch('/api/exposure');
    if (!response.ok) return;
    const rows = await response.json();
    const c = chart('exposure-pie', {
      type: 'pie',
      data: { labels: [], datasets: [{ data: [], backgroundColor: palette }] },
      options: { plugins: { legend: { labels: { color: '#cbd5e1' } } } },
    });
    if (!c) return;
    c.data.labels = rows.map((r) => r.category);
    c.data.datasets[0].data = rows.map((r) => Number(r.exposure));
    c.update('none');
  }

  function latencyChart(state) {
    if (!state) return;
    const c = chart('chart-latency', {
      type: 'bar',
      data: { labels: [], datasets: ['p50', 'p99', 'p999'].map((k, i) => ({ label: k + ' (µs)', data: [], backgroundColor: palette[i] })) },
      options: { scales: { y: { type: 'logarithmic' } }, plugins: { legend: { labels: { color: '#cbd5e1' } } } },
    });
    if (!c) return;
    const stages = Object.keys(state.latency_ns);
    c.data.labels = stages;
    ['p50', 'p99', 'p999'].forEach((k, i) => { c.data.datasets[i].data = stages.map((s) => state.latency_ns[s][k] / 1000); });
    c.update('none');
  }

  async function historyCharts() {
    if (!document.getElementById('chart-cumulative-pnl')) return;
    const h = await (await fetch('/api/history')).json();
    const status = document.getElementById('history-status');
    if (status) status.textContent = h.available ? `${h.daily.length} trading days` : h.problem;
    let total = 0;
    const cumulative = h.daily.map((d) => (total += Number(d.realized)));
    chart('chart-cumulative-pnl', {
      type: 'line',
      data: { labels: h.daily.map((d) => d.date), datasets: [{ label: 'realized P&L ($)', data: cumulative, borderColor: palette[0] }] },
    });
    chart('chart-trades-by-strategy', {
      type: 'bar',
      data: { labels: h.by_strategy.map((s) => s.strategy), datasets: [{ label: 'trades', data: h.by_strategy.map((s) => s.trades), backgroundColor: palette[1] }] },
    });
    chart('chart-win-rate', {
      type: 'line',
      data: {
        labels: h.daily.map((d) => d.date),
        datasets: [{ label: 'win rate %', data: h.daily.map((d) => (d.wins + d.losses ? (100 * d.wins) / (d.wins + d.losses) : null)), borderColor: palette[2] }],
      },
    });
    // Daily returns (equity change over the previous day's equity), in 1% buckets.
    const buckets = new Map();
    for (let i = 1; i < h.daily.length; ++i) {
      const prev = Number(h.daily[i - 1].equity);
      if (prev <= 0) continue;
      const b = Math.floor((100 * (Number(h.daily[i].equity) - prev)) / prev);
      buckets.set(b, (buckets.get(b) || 0) + 1);
    }
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    chart('chart-daily-returns', {
      type: 'bar',
      data: { labels: keys.map((k) => `${k}%..${k + 1}%`), datasets: [{ label: 'days', data: keys.map((k) => buckets.get(k)), backgroundColor: palette[3] }] },
    });
  }

  // ---- events --------------------------------------------------------------------------------
  function connect() {
    const source = new EventSource('/api/events');
    source.addEventListener('state', (e) => {
      const event = JSON.parse(e.data);
      window.pmxDash.updates += 1;
      showStats(event.stats);
      latencyChart(event.state);
      exposurePie().catch(() => {});
      document.body.dispatchEvent(new CustomEvent('pmx:update'));
    });
    source.onerror = () => setStat('engine', 'reconnecting', 'bg-amber-700 text-white');
  }

  function wire() {
    const kill = document.getElementById('kill-switch');
    if (kill)
      kill.addEventListener('click', () => {
        const close = document.getElementById('close-positions')?.checked;
        if (window.confirm(close ? 'Halt trading and close every position?' : 'Halt trading now?'))
          control('/api/kill-switch', { close_positions: close ? 'true' : 'false' });
      });
    document.getElementById('resume')?.addEventListener('click', () => control('/api/resume'));
    document.getElementById('mode-form')?.addEventListener('submit', (e) => {
      e.preventDefault();
      control('/api/mode', Object.fromEntries(new FormData(e.target)));
    });
    document.getElementById('config-form')?.addEventListener('submit', (e) => {
      e.preventDefault();
      control('/api/config', Object.fromEntries(new FormData(e.target)));
    });
    document.getElementById('token-form')?.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = document.getElementById('token-input');
      if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value);
      input.value = '';
      showTokenState();
    });
    showTokenState();
  }

  function showTokenState() {
    const el = document.getElementById('token-state');
    if (el) el.textContent = sessionStorage.getItem(TOKEN_KEY) ? 'A token is set for this tab.' : 'No token set.';
  }

  wire();
  connect();
  historyCharts().catch((e) => say('history: ' + e.message, true));
})();
