#!/usr/bin/env node
// End-to-end test of the web UI against a real `cartable demo` server, in Debian's Chromium.
//
//   npm ci --prefix tests/browser
//   node tests/browser/day.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// Starts the server on an ephemeral port with a fixed clock (Monday 2026-11-23, 07:45 UTC), then:
//  1. a pupil signs in (after a wrong one is refused) and sees today's lessons and homework;
//  2. axe-core finds no serious or critical violation on the sign-in page and the day view;
//  3. a teacher of the pupil's class publishes homework due tomorrow; the pupil reloads and sees it;
//  4. the day view fits a 360 px wide phone (screenshots saved in the temp dir);
//  5. the teacher's editor reports a missing title, edits the homework and deletes it.
// The server is stopped with SIGTERM at the end, whatever happened. Last line: "N passed, N failed".
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

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : fallback;
}

const serverBin = argValue('--server', process.env.CARTABLE_SERVER);
const chromiumPath = argValue('--chromium', process.env.CHROMIUM ?? '/usr/bin/chromium');
const NOW = '2026-11-23T07:45:00Z'; // a Monday, 08:45 in Paris
const STEP_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 15_000;

if (!serverBin) {
  console.error('usage: node tests/browser/day.test.mjs --server PATH/TO/cartable [--chromium PATH]');
  console.log('0 passed, 1 failed');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'cartable-browser-'));
let server = null;
let browser = null;
let baseUrl = '';
let accounts = [];

function killServer() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try {
      server.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', killServer);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killServer();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- tiny runner

const results = [];
async function step(name, fn) {
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

function indent(s) {
  return String(s)
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

function assertEqual(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// ---------------------------------------------------------------- helpers

function parseCsv(text) {
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

const addDays = (iso, n) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

// ASCII, lower case, no accents: how the demo generator builds logins from names.
const slug = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

async function startServer() {
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

function serverLogTail(lines = 40) {
  try {
    const all = readFileSync(join(tmp, 'server.log'), 'utf8').trimEnd().split('\n');
    return `--- server.log (last ${lines} lines)\n${all.slice(-lines).join('\n')}`;
  } catch {
    return '(no server log)';
  }
}

// Signs in through the API (not the browser). Returns {cookie, me} or throws; waits out one 429.
async function apiSignIn(login, password) {
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

async function apiSignOut(session) {
  await fetch(`${baseUrl}/api/session`, {
    method: 'DELETE',
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
  }).catch(() => {});
}

async function runAxe(page, label) {
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
function watch(page, label) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`);
  });
  return problems;
}

function noProblems(problems) {
  // A 401 on the first /api/me of a signed-out page and the 401 of a wrong password are expected.
  const real = problems.filter((p) => !/status of 401/.test(p));
  assert(real.length === 0, `the page reported errors:\n${real.join('\n')}`);
}

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  return { context, page };
}

async function signInUi(page, login, password, remember = false) {
  await page.goto(baseUrl + '/');
  await page.locator('#login').waitFor();
  await page.fill('#login', login);
  await page.fill('#password', password);
  if (remember) await page.check('#remember');
  await page.click('#signin-submit');
}

// ---------------------------------------------------------------- the test

let pupil = null;
let pupilPage = null;
let pupilProblems = [];
let teacher = null; // { account, teaching }
let teacherPage = null;
let teacherProblems = [];
let postedTitle = '';
let tomorrow = '';

async function main() {
  let serverUp = false;
  await step('server starts and serves the app under its CSP', async () => {
    await startServer();
    const res = await fetch(`${baseUrl}/some/deep/link`);
    assertEqual(res.status, 200, 'GET of an unknown non-API path');
    const html = await res.text();
    assert(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/.test(html), `index.html with a hashed module script, got:\n${html.slice(0, 400)}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert(/script-src 'self'/.test(csp), `a CSP with script-src 'self', got "${csp}"`);
    pupil = accounts.find((a) => a.role === 'pupil' && a.class);
    assert(pupil, 'accounts.csv has a pupil with a class');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    serverUp = true;
  });

  if (!serverUp) {
    for (const name of ['pupil day view', 'axe', 'teacher publishes homework', '360 px screenshot', 'teacher edits and deletes']) {
      results.push({ name, ok: false });
      console.log(`FAIL - ${name} (not run: the server or the browser did not start)`);
    }
    return;
  }

  await step("a pupil signs in and sees today's lessons and homework", async () => {
    ({ page: pupilPage } = await newPage());
    pupilProblems = watch(pupilPage, 'pupil');
    await pupilPage.goto(baseUrl + '/');
    await pupilPage.locator('#login').waitFor();
    assertEqual(await pupilPage.locator('h1').innerText(), 'Connexion', 'sign-in heading (French by default)');
    assertEqual(await pupilPage.getAttribute('html', 'lang'), 'fr', 'html lang');

    // A wrong login is refused with the French message, announced as an alert.
    await pupilPage.fill('#login', 'personne.inconnue');
    await pupilPage.fill('#password', 'mauvais-mot-de-passe');
    await pupilPage.click('#signin-submit');
    const alert = pupilPage.locator('#signin-error[role="alert"]');
    await alert.waitFor();
    assertEqual((await alert.innerText()).trim(), 'Identifiant ou mot de passe incorrect', 'wrong-credentials message');

    await pupilPage.fill('#login', pupil.login);
    await pupilPage.fill('#password', pupil.password);
    await pupilPage.check('#remember');
    await pupilPage.click('#signin-submit');
    await pupilPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    await pupilPage.locator('.lesson').first().waitFor();
    await pupilPage.locator('.hw-item').first().waitFor();

    const today = await pupilPage.evaluate(async () => (await fetch('/api/me/today')).json());
    assertEqual(today.today, '2026-11-23', 'server today (from --now)');
    assert(today.sections?.[0]?.lessons?.length > 0, 'the API lists lessons for the pupil');
    assertEqual(await pupilPage.locator('.lesson').count(), today.sections[0].lessons.length, 'lessons shown vs API');
    assertEqual(await pupilPage.locator('.hw-item').count(), today.sections[0].homework.length, 'homework shown vs API');
    assert(!today.shifted, 'a Monday is not shifted');
    assertEqual((await pupilPage.locator('#day-date').innerText()).toLowerCase(), 'lundi 23 novembre', 'date line');
    const header = await pupilPage.locator('header .who').innerText();
    assert(/Élève/.test(header), `header names the role, got "${header}"`);
    const firstLesson = await pupilPage.locator('.lesson').first().innerText();
    assert(/\d\d:\d\d/.test(firstLesson), `a lesson shows its time, got "${firstLesson}"`);
    noProblems(pupilProblems);
  });

  await step('axe-core: no serious or critical violation on the sign-in page and the day view', async () => {
    const { context, page } = await newPage();
    await page.goto(baseUrl + '/');
    await page.locator('#login').waitFor();
    await runAxe(page, 'sign-in page');
    // The sign-in page with an error shown.
    await page.click('#signin-submit');
    await page.locator('#signin-error').waitFor();
    await runAxe(page, 'sign-in page with an error');
    await context.close();
    assert(pupilPage, 'the pupil page exists (step 1)');
    await pupilPage.locator('.lesson').first().waitFor();
    await runAxe(pupilPage, 'pupil day view');
  });

  await step("a teacher of the pupil's class publishes homework due tomorrow; the pupil sees it after reload", async () => {
    assert(pupilPage, 'the pupil page exists (step 1)');
    // Teachers of the pupil's own lessons first (their logins derive from their names), then the rest.
    const today = await pupilPage.evaluate(async () => (await fetch('/api/me/today')).json());
    const names = new Set(
      (today.sections?.[0]?.lessons ?? []).map((l) => `${slug(l.teacher.first_name)}.${slug(l.teacher.last_name)}`),
    );
    const teachers = accounts.filter((a) => a.role === 'teacher' && (!pupil.school || a.school === pupil.school));
    const likely = (a) => [...names].some((n) => a.login === n || a.login.startsWith(n));
    const candidates = [...teachers.filter(likely), ...teachers.filter((a) => !likely(a))];
    assert(candidates.length, 'accounts.csv lists teachers of the pupil’s school');
    for (const account of candidates.slice(0, 60)) {
      const session = await apiSignIn(account.login, account.password);
      const t = (session.me.teaching ?? []).find((x) => x.class?.name === pupil.class);
      await apiSignOut(session);
      if (t) {
        teacher = { account, teaching: t };
        break;
      }
    }
    assert(teacher, `found no teacher whose /api/me teaching lists class "${pupil.class}"`);
    console.log(`#   teacher ${teacher.account.login}: ${teacher.teaching.class.name} / ${teacher.teaching.subject.name}`);

    ({ page: teacherPage } = await newPage());
    teacherProblems = watch(teacherPage, 'teacher');
    await signInUi(teacherPage, teacher.account.login, teacher.account.password);
    await teacherPage.locator('#hw-form').waitFor();
    const ttoday = await teacherPage.evaluate(async () => (await fetch('/api/me/today')).json());
    tomorrow = addDays(ttoday.today, 1);
    postedTitle = `Test navigateur ${Math.random().toString(36).slice(2, 8)}`;
    await teacherPage.selectOption('#hw-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.fill('#hw-title', postedTitle);
    await teacherPage.fill('#hw-body', 'Relire la leçon.\nFaire l’exercice 3.');
    await teacherPage.fill('#hw-due_date', tomorrow);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir publié.' }).waitFor();
    await teacherPage.locator('#hw-mine .hw-item', { hasText: postedTitle }).waitFor();

    await pupilPage.reload();
    const item = pupilPage.locator('.hw-group', { has: pupilPage.locator('.hw-title', { hasText: postedTitle }) });
    await item.waitFor();
    const groupHeading = await item.locator('.hw-date').innerText();
    assert(/\(demain\)/.test(groupHeading), `the homework is grouped under tomorrow, got "${groupHeading}"`);
    noProblems(teacherProblems);
    noProblems(pupilProblems);
  });

  await step('the day view fits a 360 px wide phone (screenshots in the temp dir)', async () => {
    assert(pupilPage, 'the pupil page exists (step 1)');
    await pupilPage.setViewportSize({ width: 360, height: 780 });
    await pupilPage.locator('.lesson').first().waitFor();
    const file = join(tmp, 'day-360.png');
    await pupilPage.screenshot({ path: file, fullPage: true });
    console.log(`#   screenshot: ${file}`);
    const overflow = await pupilPage.evaluate(() => document.documentElement.scrollWidth);
    assert(overflow <= 360, `no horizontal scrolling at 360 px (page is ${overflow} px wide)`);
    if (teacherPage) {
      await teacherPage.setViewportSize({ width: 360, height: 780 });
      await teacherPage.screenshot({ path: join(tmp, 'teacher-360.png'), fullPage: true });
      const w = await teacherPage.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= 360, `teacher view: no horizontal scrolling at 360 px (page is ${w} px wide)`);
    }
    const { context, page } = await newPage({ width: 360, height: 780 });
    await page.goto(baseUrl + '/');
    await page.locator('#login').waitFor();
    await page.screenshot({ path: join(tmp, 'signin-360.png'), fullPage: true });
    await context.close();
  });

  await step('the teacher’s editor flags a missing title, edits the homework and deletes it', async () => {
    assert(teacherPage && postedTitle, 'the teacher page and the posted homework exist (step 3)');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    // Client-side check: an empty title is refused next to the field.
    await teacherPage.fill('#hw-title', '');
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('#hw-title-error').waitFor();
    assertEqual(await teacherPage.getAttribute('#hw-title', 'aria-invalid'), 'true', 'title marked invalid');
    assert(
      await teacherPage.evaluate(() => document.activeElement?.id === 'hw-title'),
      'focus moves to the invalid field',
    );

    const row = teacherPage.locator('#hw-mine .hw-item', { hasText: postedTitle });
    const id = await row.getAttribute('data-homework-id');
    await teacherPage.click(`#hw-edit-${id}`);
    const edited = `${postedTitle} (modifié)`;
    await teacherPage.fill('#hw-title', edited);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir modifié.' }).waitFor();
    await teacherPage.locator('#hw-mine .hw-item .hw-title', { hasText: edited }).waitFor();

    await teacherPage.click(`#hw-delete-${id}`);
    await teacherPage.click(`#hw-confirm-${id}`);
    await teacherPage.locator('.status-line', { hasText: 'Devoir supprimé.' }).waitFor();
    assertEqual(await teacherPage.locator(`#hw-mine [data-homework-id="${id}"]`).count(), 0, 'row removed');
    const mine = await teacherPage.evaluate(async () => (await fetch('/api/homework?mine=1')).json());
    assert(!mine.homework.some((hw) => String(hw.id) === id), 'the server no longer lists the deleted homework');

    // The language switch: English, remembered, then back to French.
    await teacherPage.click('#lang-switch');
    await teacherPage.locator('h1', { hasText: 'Today' }).waitFor();
    await teacherPage.reload();
    await teacherPage.locator('h1', { hasText: 'Today' }).waitFor();
    await teacherPage.click('#lang-switch');
    await teacherPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    noProblems(teacherProblems);
  });
}

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
