// Browser tests of pmx-dash: Playwright (playwright-core) driving Debian's headless Chromium
// against a real pmx-dash and pmx-shm-writer (the stand-in engine) on loopback.
//
//   node tests/e2e/run.mjs --dash BIN --writer BIN --assets DIR --out DIR
//
// Checks: the dashboard starts before the engine and waits for it; every page loads without a
// console error and gets a screenshot in --out; values update through SSE without a reload;
// a control without the token is 401; the kill switch button (token from the URL fragment
// printed by pmx-dash) halts the engine and the page shows it.
// Exit 0 all passed, 1 a failure, 77 skipped (chromium, node_modules or the bundle missing).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '../../tools/pmx-dash/web');
const CHROMIUM = '/usr/bin/chromium';
const SKIP = 77;

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

function skip(why) {
  console.log(`e2e: SKIPPED: ${why}`);
  process.exit(SKIP);
}
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} missing (apt-get install chromium, or scripts/install-deps.sh)`);
if (!existsSync(join(web, 'node_modules/playwright-core'))) skip(`${web}/node_modules missing (scripts/install-deps.sh runs npm ci)`);
for (const file of ['app.js', 'pmx.css', 'htmx.min.js', 'chart.umd.min.js'])
  if (!existsSync(join(args.assets, file))) skip(`web bundle ${args.assets}/${file} missing (build with node_modules installed)`);
const { chromium } = createRequire(join(web, 'package.json'))('playwright-core');

const instance = `e2e${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'pmx-dash-e2e-'));
const children = [];
let passed = 0;
let failed = 0;

function start(bin, argv, env) {
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.output = '';
  child.stderr.on('data', (d) => { child.output += d; });
  child.stdout.on('data', (d) => { child.output += d; });
  children.push(child);
  return child;
}

async function until(what, condition, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${e.message}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

let browser;
try {
  mkdirSync(args.out, { recursive: true });
  // The dashboard first: it must wait for the engine.
  const env = { PMX_DASH_TOKEN: '' };
  const dash = start(args.dash, ['--instance', instance, '--db', join(scratch, 'pmx.db'), '--port', '0', '--assets', args.assets], env);
  const opened = await until('the dashboard URL', () => /open (http:\/\/\S+)#token=([0-9a-f]{64})/.exec(dash.output));
  const base = opened[1];
  const tokenUrl = `${base}#token=${opened[2]}`;
  const health = async () => (await fetch(`${base}health`)).status;

  await check('health is 503 before the engine starts', async () => assert((await health()) === 503, 'expected 503'));
  start(args.writer, ['--instance', instance, '--markets', '16', '--rate', '100']);
  await check('health turns 200 once the engine runs', async () => until('health 200', async () => (await health()) === 200));

  // A fresh --user-data-dir: Playwright takes it as launchPersistentContext's first argument.
  browser = await chromium.launchPersistentContext(join(scratch, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = browser;

  const pages = [['overview', ''], ['positions', 'positions'], ['opportunities', 'opportunities'], ['history', 'history'],
    ['analytics', 'analytics'], ['settings', 'settings']];
  for (const [name, path] of pages) {
    await check(`page ${name} loads without console errors`, async () => {
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      const response = await page.goto(base + path);
      assert(response.status() === 200, `status ${response.status()}`);
      await page.waitForFunction(() => window.pmxDash && window.pmxDash.updates >= 2, null, { timeout: 10000 });
      await page.waitForFunction(() => !document.querySelector('[hx-get]') ||
        [...document.querySelectorAll('[hx-get]')].every((e) => e.tagName === 'SELECT' || !e.textContent.startsWith('Loading')), null, { timeout: 10000 });
      await page.screenshot({ path: join(args.out, `${name}.png`), fullPage: true });
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
      await page.close();
    });
  }

  await check('values update through SSE without a reload', async () => {
    const page = await context.newPage();
    await page.goto(base);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.waitForFunction(() => window.pmxDash.updates >= 1);
    const first = await page.textContent('[data-stat="heartbeat_age_ms"]');
    const updates = await page.evaluate(() => window.pmxDash.updates);
    await page.waitForFunction((n) => window.pmxDash.updates >= n + 5, updates, { timeout: 10000 });
    await until('a changed value', async () => (await page.textContent('[data-stat="heartbeat_age_ms"]')) !== first, 10000);
    assert(await page.evaluate(() => window.notReloaded === true), 'the page reloaded');
    await page.close();
  });

  await check('a control without the token is 401 and changes nothing', async () => {
    const response = await fetch(`${base}api/kill-switch`, { method: 'POST' });
    assert(response.status === 401, `status ${response.status}`);
    const stats = await (await fetch(`${base}api/stats`)).json();
    assert(stats.halted === false, 'engine halted');
  });

  await check('the kill switch button halts the engine and the page shows it', async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('dialog', (d) => d.accept());
    await page.goto(tokenUrl);
    assert(!page.url().includes('token='), 'the token stayed in the address bar');
    await page.waitForFunction(() => document.querySelector('[data-stat="halted"]').textContent === 'trading');
    await page.click('#kill-switch');
    await page.waitForFunction(() => document.querySelector('[data-stat="halted"]').textContent === 'HALTED', null, { timeout: 10000 });
    // The reply and the SSE event race: wait for the reply's message too.
    await page.waitForFunction(() => document.getElementById('control-message').textContent !== '', null, { timeout: 10000 });
    const message = await page.textContent('#control-message');
    assert(message.startsWith('applied'), `control message: ${message}`);
    await page.waitForSelector('[data-breaker="kill_switch"]:has-text("TRIPPED")', { timeout: 10000 });
    const stats = await (await fetch(`${base}api/stats`)).json();
    assert(stats.halted === true, 'engine not halted');
    await page.screenshot({ path: join(args.out, 'halted.png'), fullPage: true });
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await page.close();
  });
} catch (e) {
  failed += 1;
  console.log(`not ok - setup: ${e.message}`);
} finally {
  if (browser) await browser.close();
  for (const child of children.reverse()) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r)))));
  if (failed) for (const child of children) console.log(`--- ${child.spawnargs[0]} output:\n${child.output}`);
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`e2e: screenshots in ${args.out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
