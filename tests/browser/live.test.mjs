#!/usr/bin/env node
// End-to-end test of the live lesson (docs/live.md) against a real `cartable demo` server, in
// Debian's Chromium. Same harness as day.test.mjs and workspace.test.mjs.
//
//   npm ci --prefix tests/browser
//   node tests/browser/live.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// A teacher and two pupils of one class, each in their own browser context (own cookies):
//  1. the teacher starts the lesson from the day view, the pupils join from theirs; all see three people;
//  2. a chat line from a pupil reaches all three;
//  3. a raised hand reaches the teacher, who gives the floor;
//  4. a stroke drawn by the teacher with the mouse reaches both pupils' boards;
//  5. a poll: a pupil answers, the teacher sees the count; closed, the pupil sees the results;
//  6. moderation: a chat line deleted, a pupil muted;
//  7. a pupil of another class cannot join (API 404, socket refused, UI says no lesson for them);
//  8. the teacher ends the lesson and the pupils are told.
// axe-core runs on the lesson view (teacher and pupil). Last line: "N passed, N failed".
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
  console.error('usage: node tests/browser/live.test.mjs --server PATH/TO/cartable [--chromium PATH]');
  console.log('0 passed, 1 failed');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'cartable-live-'));
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

// An API call as `session` (setup only: the user actions under test go through the UI).
async function apiJson(session, method, path, body) {
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
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
);

async function noOverflow(page, label) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = page.viewportSize().width;
  assert(w <= vw, `${label}: no horizontal scrolling at ${vw} px (page is ${w} px wide)`);
}

// ---------------------------------------------------------------- the test

let teacher = null; // { account, classId, className }
let pupils = []; // accounts of two pupils of the class
let outsider = null; // a pupil of another class
const pages = {}; // name -> { page, problems, id }

// Every page (teacher, pupil1, pupil2) sees `fn` become true.
async function allSee(names, fn, arg, label) {
  for (const n of names) {
    try {
      await pages[n].page.waitForFunction(fn, arg, { timeout: UI_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`${n} did not see ${label}: ${e.message.split('\n')[0]}`);
    }
  }
}

async function open(name, account) {
  const { page } = await newPage();
  const problems = watch(page, name);
  await signInUi(page, account.login, account.password);
  await page.locator('#sign-out').waitFor();
  const id = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user.id);
  pages[name] = { page, problems, id };
  return page;
}

async function main() {
  let up = false;
  await step('server starts; a teacher, two pupils of their class and a pupil of another class are found', async () => {
    await startServer();
    const teachers = accounts.filter((a) => a.role === 'teacher');
    for (const a of teachers.slice(0, 30)) {
      const s = await apiSignIn(a.login, a.password);
      await apiSignOut(s);
      const tc = (s.me.teaching ?? []).find((x) => accounts.filter((p) => p.role === 'pupil' && p.class === x.class.name && p.school === a.school).length >= 2);
      if (tc) {
        teacher = { account: a, classId: tc.class.id, className: tc.class.name };
        pupils = accounts.filter((p) => p.role === 'pupil' && p.class === tc.class.name && p.school === a.school).slice(0, 2);
        outsider = accounts.find((p) => p.role === 'pupil' && p.school === a.school && p.class && p.class !== tc.class.name);
        break;
      }
    }
    assert(teacher && pupils.length === 2 && outsider, 'found a teacher, two pupils of their class and an outsider');
    console.log(`#   teacher ${teacher.account.login} (${teacher.className}), pupils ${pupils.map((p) => p.login).join(', ')}, outsider ${outsider.login} (${outsider.class})`);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    up = true;
  });

  const names = ['start and join', 'chat', 'hand and floor', 'whiteboard', 'poll', 'moderation', 'axe and 360 px', 'outsider refused', 'end'];
  if (!up) {
    for (const name of names) {
      results.push({ name, ok: false });
      console.log(`FAIL - ${name} (not run: the server or the browser did not start)`);
    }
    return;
  }

  await step('the teacher starts the lesson from the day view; both pupils join; all see three people', async () => {
    const tp = await open('teacher', teacher.account);
    await tp.click(`#day-live-${teacher.classId}`);
    await tp.locator('#chat-form').waitFor();
    assertEqual(await tp.evaluate(() => location.hash), '#direct', 'the live tab is in the URL');
    for (const [i, acc] of pupils.entries()) {
      const pp = await open(`pupil${i + 1}`, acc);
      await pp.click('#day-live-join');
      await pp.locator('#chat-form').waitFor();
    }
    await allSee(['teacher', 'pupil1', 'pupil2'], () => document.querySelectorAll('#people li').length === 3, null, 'three people');
    const role = await tp.locator(`#people li[data-user-id="${pages.pupil1.id}"]`).innerText();
    assert(/élève/.test(role), `the pupil is listed with their role, got "${role}"`);
  });

  await step('a chat line from a pupil is seen by all three', async () => {
    const pp = pages.pupil1.page;
    await pp.fill('#chat-text', 'Bonjour la classe !');
    await pp.click('#chat-send');
    await allSee(['teacher', 'pupil1', 'pupil2'], () => [...document.querySelectorAll('#chat-log p .text')].some((x) => x.textContent === 'Bonjour la classe !'), null, 'the chat line');
    assertEqual(await pp.inputValue('#chat-text'), '', 'the field is emptied');
  });

  await step('a raised hand is seen by the teacher, who gives the floor', async () => {
    const p2 = pages.pupil2;
    await p2.page.click('#hand');
    await p2.page.locator('#hand[aria-pressed="true"]').waitFor();
    const tp = pages.teacher.page;
    await tp.locator(`#hands li[data-user-id="${p2.id}"]`).waitFor();
    await tp.click(`#floor-${p2.id}`);
    await p2.page.locator('#floor').waitFor();
    await tp.locator('#hands li').waitFor({ state: 'detached' });
    noProblems(pages.teacher.problems);
  });

  await step('a stroke drawn by the teacher reaches both pupils', async () => {
    const tp = pages.teacher.page;
    await tp.click('#pen-c62828');
    const box = await tp.locator('#board').boundingBox();
    await tp.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await tp.mouse.down();
    for (let i = 1; i <= 20; i++) await tp.mouse.move(box.x + box.width * (0.2 + i * 0.03), box.y + box.height * (0.3 + i * 0.01));
    await tp.mouse.up();
    await allSee(['teacher', 'pupil1', 'pupil2'], () => Number(document.querySelector('#board')?.dataset.strokes) >= 1, null, 'the stroke');
    // And the pixels: red ink where the line went.
    const red = await pages.pupil1.page.evaluate(() => {
      const c = document.querySelector('#board');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] > 150 && d[i + 1] < 100) n++;
      return n;
    });
    assert(red > 50, `red pixels on the pupil's board, got ${red}`);
    assertEqual(await pages.pupil1.page.locator('#board-clear').count(), 0, 'a pupil has no board tools');
  });

  await step('a poll: a pupil answers, the teacher sees the count; closed, the pupil sees the results', async () => {
    const tp = pages.teacher.page;
    await tp.click('#poll-submit');
    await tp.locator('#poll-error', { hasText: 'de 2 à 10 choix' }).waitFor();
    await tp.fill('#poll-q', 'Avez-vous compris ?');
    await tp.fill('#poll-choices', 'Oui\nNon\nUn peu');
    await tp.click('#poll-submit');
    const poll = tp.locator('.poll', { hasText: 'Avez-vous compris ?' });
    await poll.waitFor();
    const pid = await poll.getAttribute('data-poll-id');
    const pp = pages.pupil1.page;
    await pp.locator(`#poll-${pid}-2`).waitFor();
    await pp.check(`#poll-${pid}-2`);
    await tp.locator(`#poll-${pid} .count[data-choice="2"]`, { hasText: '1' }).waitFor();
    await tp.locator(`#poll-${pid}-answers`, { hasText: '1 réponse' }).waitFor();
    await tp.click(`#poll-close-${pid}`);
    await pp.locator(`#poll-${pid} .count[data-choice="2"]`, { hasText: '1' }).waitFor();
    await pages.pupil2.page.locator(`#poll-${pid} .badge`, { hasText: 'clos' }).waitFor();
  });

  await step('moderation: the teacher deletes a chat line and mutes a pupil', async () => {
    const tp = pages.teacher.page;
    const seq = await tp.locator('#chat-log p', { hasText: 'Bonjour la classe !' }).getAttribute('data-seq');
    await tp.click(`#del-${seq}`);
    await allSee(['teacher', 'pupil1', 'pupil2'], (s) => !document.querySelector(`#chat-log p[data-seq="${s}"]`), seq, 'the line deleted');
    await tp.click(`#mute-${pages.pupil1.id}`);
    await pages.pupil1.page.locator('#muted-note').waitFor();
    await tp.locator(`#people li[data-user-id="${pages.pupil1.id}"] .badge`, { hasText: 'en sourdine' }).waitFor();
    await tp.click(`#mute-${pages.pupil1.id}`);
    await pages.pupil1.page.locator('#chat-form').waitFor();
    for (const n of ['teacher', 'pupil1', 'pupil2']) noProblems(pages[n].problems);
  });

  await step('axe finds nothing serious on the lesson view; it fits a 360 px phone', async () => {
    await runAxe(pages.teacher.page, 'lesson view (teacher)');
    await runAxe(pages.pupil1.page, 'lesson view (pupil)');
    const pp = pages.pupil2.page;
    await pp.setViewportSize({ width: 360, height: 780 });
    await pp.waitForFunction(() => document.querySelector('#board').width > 0);
    await pp.screenshot({ path: join(tmp, 'live-360.png'), fullPage: true });
    await noOverflow(pp, 'lesson view');
    await pages.teacher.page.setViewportSize({ width: 360, height: 780 });
    await noOverflow(pages.teacher.page, 'lesson view (teacher)');
    await pages.teacher.page.screenshot({ path: join(tmp, 'live-teacher-360.png'), fullPage: true });
    await pages.teacher.page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('a pupil of another class cannot join: the API says 404, the socket is refused, the UI says so', async () => {
    const s = await apiSignIn(outsider.login, outsider.password);
    const res = await fetch(`${baseUrl}/api/live/join`, {
      method: 'POST',
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ class_id: teacher.classId }),
    });
    assertEqual(res.status, 404, 'POST /api/live/join for another class');
    await apiSignOut(s);
    const op = await open('outsider', outsider);
    const ts = await apiSignIn(teacher.account.login, teacher.account.password);
    const roomUrl = (await apiJson(ts, 'POST', '/api/live/join', { class_id: teacher.classId })).url;
    await apiSignOut(ts);
    {
      const opened = await op.evaluate(
        (u) =>
          new Promise((done) => {
            const ws = new WebSocket(`ws://${location.host}${u}`);
            ws.onopen = () => done(true);
            ws.onerror = ws.onclose = () => done(false);
            setTimeout(() => done(false), 5000);
          }),
        roomUrl,
      );
      assertEqual(opened, false, 'the socket of the lesson refuses an outsider');
    }
    await op.goto(`${baseUrl}/#direct`);
    await op.locator('[id^="live-join-"]').first().click();
    await op.locator('#live-error', { hasText: 'Aucun cours en direct' }).waitFor();
    assertEqual(await op.locator('#chat-form').count(), 0, 'no lesson view');
    await runAxe(op, 'live tab with a refusal');
    noProblems(pages.outsider.problems.filter((p) => !/WebSocket|status of 404|status of 403/.test(p)));
  });

  await step('the teacher ends the lesson; the pupils are told', async () => {
    const tp = pages.teacher.page;
    await tp.click('#live-end');
    await tp.click('#live-end-yes');
    await allSee(['teacher', 'pupil1', 'pupil2'], () => !!document.querySelector('#live-ended'), null, 'the end');
    await pages.pupil1.page.click('[id^="live-join-"]');
    await pages.pupil1.page.locator('#live-error', { hasText: 'Aucun cours en direct' }).waitFor();
    for (const n of ['teacher', 'pupil2']) noProblems(pages[n].problems);
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
