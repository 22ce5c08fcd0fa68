// The harness shared by day.test.mjs, workspace.test.mjs and live.test.mjs: command line, temp dir,
// the `cartable demo` server, the browser, a tiny step runner and the helpers the scenarios use.
//
// One test script per process: the state (server, browser, base URL, accounts, temp dir) lives in this
// module and is exported as live bindings, so a script imports `baseUrl`, `accounts`, `tmp` and reads
// the values `init()` and `startServer()` set. A script:
//
//   import { init, run, step, ... } from './harness.mjs';
//   init({ script: 'day.test.mjs', tmpPrefix: 'cartable-browser-' });
//   async function main() { await step('...', async () => { await startServer(); await launchBrowser(); ... }); ... }
//   await run(main); // stops browser and server, prints "N passed, N failed", exits 1 on any failure
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---------------------------------------------------------------- arguments and fixtures

export function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : fallback;
}

export const serverBin = argValue('--server', process.env.CARTABLE_SERVER);
export const chromiumPath = argValue('--chromium', process.env.CHROMIUM ?? '/usr/bin/chromium');
export const NOW = '2026-11-23T07:45:00Z'; // a Monday, 08:45 in Paris
export const STEP_TIMEOUT_MS = 120_000;
export const UI_TIMEOUT_MS = 15_000;

export let tmp = '';
export let server = null;
export let browser = null;
export let baseUrl = '';
export let accounts = [];

// Checks the command line (usage and exit 2 without --server), makes the temp dir
// (`tmpPrefix` + random, in the OS temp dir) and makes sure the server dies with the process.
// `script` is the file name shown in the usage line.
export function init({ script, tmpPrefix }) {
  if (!serverBin) {
    console.error(`usage: node tests/browser/${script} --server PATH/TO/cartable [--chromium PATH]`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  }
  tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  process.on('exit', killServer);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      killServer();
      process.exit(130);
    });
  }
}

export function killServer() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try {
      server.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
}

export async function launchBrowser() {
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return browser;
}

// ---------------------------------------------------------------- tiny runner

export const results = [];
export async function step(name, fn) {
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`step timed out after ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
      }),
    ]);
    results.push({ name, ok: true });
    console.log(`ok   - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL - ${name} (${Date.now() - started} ms)`);
    console.log(indent(e && e.stack ? e.stack : String(e)));
  } finally {
    clearTimeout(timer);
  }
}

export function indent(s) {
  return String(s)
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// ---------------------------------------------------------------- helpers

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

export const addDays = (iso, n) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

// ASCII, lower case, no accents: how the demo generator builds logins from names.
export const slug = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export async function startServer() {
  const portFile = join(tmp, 'port');
  const accountsFile = join(tmp, 'accounts.csv');
  const log = openSync(join(tmp, 'server.log'), 'a');
  const args = [
    'demo',
    '--data', tmp,
    '--listen', '127.0.0.1:0',
    '--port-file', portFile,
    '--accounts', accountsFile,
    '--argon2-ops', '1',
    '--argon2-mem-kib', '8192',
    '--now', NOW,
  ];
  console.log(`# temp dir: ${tmp}`);
  console.log(`# server: ${serverBin} ${args.join(' ')}`);
  server = spawn(resolve(serverBin), args, { stdio: ['ignore', log, log] });
  closeSync(log);
  let spawnError = null;
  server.on('error', (e) => {
    spawnError = e;
  });
  const deadline = Date.now() + 90_000;
  let port = NaN;
  while (Date.now() < deadline) {
    if (spawnError) throw spawnError;
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`server exited early (code ${server.exitCode}, signal ${server.signalCode})\n${serverLogTail()}`);
    }
    if (existsSync(portFile)) {
      // Read twice, a moment apart, so a half-written file is not taken for a port.
      const first = readFileSync(portFile, 'utf8').trim();
      await sleep(50);
      const second = readFileSync(portFile, 'utf8').trim();
      port = first === second && /^\d+$/.test(first) ? Number(first) : NaN;
      if (port > 0) break;
    }
    await sleep(100);
  }
  assert(port > 0, `port file ${portFile} did not appear within 90 s`);
  baseUrl = `http://127.0.0.1:${port}`;
  console.log(`# listening on ${baseUrl}`);
  for (let i = 0; i < 50 && !existsSync(accountsFile); i++) await sleep(100);
  assert(existsSync(accountsFile), `accounts file ${accountsFile} was not written`);
  accounts = parseCsv(readFileSync(accountsFile, 'utf8'));
  assert(accounts.length > 0, 'accounts.csv lists no account');
}

export function serverLogTail(lines = 40) {
  try {
    const all = readFileSync(join(tmp, 'server.log'), 'utf8').trimEnd().split('\n');
    return `--- server.log (last ${lines} lines)\n${all.slice(-lines).join('\n')}`;
  } catch {
    return '(no server log)';
  }
}

// Signs in through the API (not the browser). Returns {cookie, me} or throws; waits out one 429.
export async function apiSignIn(login, password) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetch(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login, password, remember: false }),
    });
    if (res.status === 429 || res.status === 503) {
      const wait = Math.min(Number(res.headers.get('Retry-After')) || 5, 60);
      await sleep(wait * 1000);
      continue;
    }
    if (res.status !== 200) throw new Error(`POST /api/session as ${login}: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json();
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const meRes = await fetch(`${baseUrl}/api/me`, { headers: { Cookie: cookie, Accept: 'application/json' } });
    if (meRes.status !== 200) throw new Error(`GET /api/me as ${login}: HTTP ${meRes.status}`);
    const me = await meRes.json();
    return { cookie, csrf: me.csrf_token ?? body.csrf_token, me };
  }
  throw new Error(`POST /api/session as ${login}: still refused after waiting`);
}

export async function apiSignOut(session) {
  await fetch(`${baseUrl}/api/session`, {
    method: 'DELETE',
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
  }).catch(() => {});
}

export async function runAxe(page, label) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  console.log(`#   axe ${label}: ${result.passes.length} rules passed, ${result.violations.length} violated`);
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) {
    console.log(`#   axe ${label}: ${v.impact} ${v.id} (${v.nodes.length} node(s)): ${v.help}`);
  }
  if (bad.length) {
    const detail = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')} — ${n.failureSummary}`).join('\n')}`)
      .join('\n');
    throw new Error(`axe found ${bad.length} serious/critical violation(s) on ${label}:\n${detail}`);
  }
}

// Collects what the page says went wrong: uncaught errors, console errors (CSP reports among them).
export function watch(page, label) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`);
  });
  return problems;
}

export function noProblems(problems) {
  // A 401 on the first /api/me of a signed-out page and the 401 of a wrong password are expected.
  const real = problems.filter((p) => !/status of 401/.test(p));
  assert(real.length === 0, `the page reported errors:\n${real.join('\n')}`);
}

export async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  return { context, page };
}

export async function signInUi(page, login, password, remember = false) {
  await page.goto(baseUrl + '/');
  await page.locator('#login').waitFor();
  await page.fill('#login', login);
  await page.fill('#password', password);
  if (remember) await page.check('#remember');
  await page.click('#signin-submit');
}

// ---------------------------------------------------------------- helpers of workspace and live

// An API call as `session` (setup only: the user actions under test go through the UI).
export async function apiJson(session, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A small but real PDF: the server recognises the type from the content.
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
);

export async function noOverflow(page, label) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = page.viewportSize().width;
  assert(w <= vw, `${label}: no horizontal scrolling at ${vw} px (page is ${w} px wide)`);
}

// When the first step (server and browser) failed, the other steps are reported failed, not run.
export function notRun(names) {
  for (const name of names) {
    results.push({ name, ok: false });
    console.log(`FAIL - ${name} (not run: the server or the browser did not start)`);
  }
}

// Runs `main`, then stops the browser and the server whatever happened (SIGTERM, SIGKILL after 10 s),
// prints the summary (server.log tail on failure, the temp dir, "N passed, N failed") and exits.
export async function run(main) {
  try {
    await main();
  } catch (e) {
    results.push({ name: 'harness', ok: false });
    console.log(`FAIL - harness: ${e && e.stack ? e.stack : e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      killServer();
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        console.log('# server ignored SIGTERM for 10 s: SIGKILL');
        server.kill('SIGKILL');
      }
    }
  }

  const failed = results.filter((r) => !r.ok).length;
  if (failed) console.log(serverLogTail().replace(/^/gm, '# '));
  console.log(`# temp dir kept: ${tmp}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
