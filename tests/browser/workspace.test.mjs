#!/usr/bin/env node
// End-to-end test of the workspace (hand-ins, copies, grades, calendar feed) against a real
// `cartable demo` server, in Debian's Chromium. Same harness as day.test.mjs.
//
//   npm ci --prefix tests/browser
//   node tests/browser/workspace.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// With the clock fixed on Monday 2026-11-23, a teacher of a pupil's class sets two homework through
// the API (setup only); then, through the UI:
//  1. the pupil opens the first one, hands in a PDF with a text and sees it handed in; a file type
//     the server refuses (HTML) is reported in French on the second one;
//  2. the hand-in panel fits a 360 px wide phone;
//  3. the teacher opens the copies, sees the hand-in, downloads the ZIP and marks it "15/20" with a
//     comment; the pupil reloads and reads the mark and the comment;
//  4. the teacher creates an evaluation in "Notes" and gives the pupil 15, checks the CSV export;
//  5. the pupil's parent reads the hand-in's mark in the child's day and the grade in "Notes"
//     (then in English);
//  6. the calendar feed: its URL is shown, serves text/calendar, and a reset makes the old one 404.
// axe-core runs on each new view. The server gets SIGTERM at the end. Last line: "N passed, N failed".
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
  console.error('usage: node tests/browser/workspace.test.mjs --server PATH/TO/cartable [--chromium PATH]');
  console.log('0 passed, 1 failed');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'cartable-workspace-'));
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

let pupil = null; // { account, session }
let parent = null; // account
let teacher = null; // { account, teaching }
let hw = null; // the homework handed in
let hw2 = null; // the one a refused file is tried on
let pupilPage = null;
let pupilProblems = [];
let teacherPage = null;
let teacherProblems = [];
const evalTitle = `Contrôle navigateur ${Math.random().toString(36).slice(2, 7)}`;

async function main() {
  let up = false;
  await step('server starts; a pupil, their parent and a teacher of their class are found; homework is set', async () => {
    await startServer();
    const account = accounts.find((a) => a.role === 'pupil' && a.class);
    assert(account, 'accounts.csv has a pupil with a class');
    const session = await apiSignIn(account.login, account.password);
    pupil = { account, session, id: session.me.user.id };
    // Parents' logins derive from the family name; the one whose children include the pupil.
    const family = slug(session.me.user.last_name);
    for (const a of accounts.filter((x) => x.role === 'parent' && x.login.includes(family)).slice(0, 10)) {
      const s = await apiSignIn(a.login, a.password);
      await apiSignOut(s);
      if ((s.me.children ?? []).some((c) => c.id === pupil.id)) {
        parent = a;
        break;
      }
    }
    assert(parent, `found no parent of ${account.login}`);
    const today = await apiJson(session, 'GET', '/api/me/today');
    const names = new Set((today.sections?.[0]?.lessons ?? []).map((l) => `${slug(l.teacher.first_name)}.${slug(l.teacher.last_name)}`));
    const teachers = accounts.filter((a) => a.role === 'teacher' && a.school === account.school);
    const likely = (a) => names.has(a.login);
    for (const a of [...teachers.filter(likely), ...teachers.filter((x) => !likely(x))].slice(0, 60)) {
      const s = await apiSignIn(a.login, a.password);
      const t = (s.me.teaching ?? []).find((x) => x.class?.name === account.class);
      if (t) {
        teacher = { account: a, teaching: t };
        const base = { class_id: t.class.id, subject_id: t.subject.id, due_date: addDays(today.today, 2) };
        hw = await apiJson(s, 'POST', '/api/homework', { ...base, title: `Rendu navigateur ${Math.random().toString(36).slice(2, 7)}`, body: 'Rédiger une page.' });
        hw2 = await apiJson(s, 'POST', '/api/homework', { ...base, title: `Second rendu ${Math.random().toString(36).slice(2, 7)}`, body: '' });
        await apiSignOut(s);
        break;
      }
      await apiSignOut(s);
    }
    assert(teacher, `found no teacher of class "${account.class}"`);
    console.log(`#   pupil ${account.login} (${account.class}), parent ${parent.login}, teacher ${teacher.account.login} (${teacher.teaching.subject.name}), homework ${hw.id} and ${hw2.id}`);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    up = true;
  });

  const names = [
    'pupil hands in a PDF',
    '360 px hand-in panel',
    'teacher copies, ZIP, mark; pupil reads the mark',
    'teacher grades',
    'parent reads the marks',
    'homework attachments',
    'class documents',
    'calendar feed',
  ];
  if (!up) {
    for (const name of names) {
      results.push({ name, ok: false });
      console.log(`FAIL - ${name} (not run: the server or the browser did not start)`);
    }
    return;
  }

  await step('a pupil opens a homework, hands in a PDF with a text and sees it handed in; a refused type is explained', async () => {
    ({ page: pupilPage } = await newPage());
    pupilProblems = watch(pupilPage, 'pupil');
    await signInUi(pupilPage, pupil.account.login, pupil.account.password);
    const open = pupilPage.locator(`#hw-open-${hw.id}-0`);
    await open.waitFor();
    assertEqual(await open.getAttribute('aria-expanded'), 'false', 'closed at first');
    await open.click();
    assertEqual(await open.getAttribute('aria-expanded'), 'true', 'aria-expanded once opened');
    await pupilPage.locator('#handin-state', { hasText: 'Pas encore rendu' }).waitFor();
    await pupilPage.fill('#handin-text', 'Voici mon travail.');
    await pupilPage.setInputFiles('#handin-files', { name: 'devoir.pdf', mimeType: 'application/pdf', buffer: PDF });
    await pupilPage.locator('.picked li', { hasText: 'devoir.pdf' }).waitFor();
    await runAxe(pupilPage, 'hand-in form with a file chosen');
    await pupilPage.click('#handin-submit');
    await pupilPage.locator('#handin-state', { hasText: 'Rendu le' }).waitFor();
    await pupilPage.locator('.handin .status-line', { hasText: 'Travail rendu.' }).waitFor();
    const link = pupilPage.locator('.handin a', { hasText: 'devoir.pdf' }).first();
    const href = await link.getAttribute('href');
    assert(/^\/api\/files\/\d+$/.test(href ?? ''), `a download link to the file, got ${href}`);
    const server = await pupilPage.evaluate(async (id) => (await fetch(`/api/homework/${id}/hand-in`)).json(), hw.id);
    assertEqual(server.hand_in?.text, 'Voici mon travail.', 'the server has the text');
    assertEqual(server.hand_in?.files?.length, 1, 'the server has one file');
    assertEqual(server.hand_in.files[0].media_type, 'application/pdf', 'recognised as a PDF');
    // The form stays, to replace the hand-in; the file handed in is kept in it.
    assertEqual(await pupilPage.locator('#handin-submit').innerText(), 'Remplacer mon rendu', 'replace button');
    await runAxe(pupilPage, 'hand-in panel, handed in');

    // A file the server refuses (HTML): the French message, in an alert, focus on it.
    await pupilPage.click(`#hw-open-${hw2.id}-0`);
    await pupilPage.locator('#handin-state', { hasText: 'Pas encore rendu' }).waitFor();
    await pupilPage.setInputFiles('#handin-files', { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html><body>x</body></html>') });
    await pupilPage.click('#handin-submit');
    const err = pupilPage.locator('#handin-error[role="alert"]');
    await err.waitFor();
    assert(/n’est pas accepté/.test(await err.innerText()), `a French 415 message, got "${await err.innerText()}"`);
    assert(await pupilPage.evaluate(() => document.activeElement?.id === 'handin-error'), 'focus on the error');
    // An empty hand-in is refused before any request.
    await pupilPage.click('.picked button');
    await pupilPage.click('#handin-submit');
    await pupilPage.locator('#handin-error', { hasText: 'Écrivez une réponse' }).waitFor();
    noProblems(pupilProblems.filter((p) => !/status of 415/.test(p)));
    pupilProblems.length = 0;
  });

  await step('the hand-in panel fits a 360 px wide phone', async () => {
    assert(pupilPage, 'the pupil page exists');
    await pupilPage.setViewportSize({ width: 360, height: 780 });
    await pupilPage.click(`#hw-open-${hw.id}-0`);
    await pupilPage.locator('#handin-state', { hasText: 'Rendu le' }).waitFor();
    await pupilPage.locator('#handin-state').scrollIntoViewIfNeeded();
    await pupilPage.screenshot({ path: join(tmp, 'handin-360.png'), fullPage: true });
    console.log(`#   screenshot: ${join(tmp, 'handin-360.png')}`);
    await noOverflow(pupilPage, 'hand-in panel');
    await pupilPage.setViewportSize({ width: 1280, height: 900 });
  });

  await step('the teacher sees the hand-in in the copies, downloads the ZIP, marks it 15/20; the pupil reads the mark', async () => {
    ({ page: teacherPage } = await newPage());
    teacherProblems = watch(teacherPage, 'teacher');
    await signInUi(teacherPage, teacher.account.login, teacher.account.password);
    await teacherPage.click(`#hw-copies-${hw.id}`);
    const row = teacherPage.locator(`#copies-${hw.id} li.copy[data-pupil-id="${pupil.id}"]`);
    await row.waitFor();
    assert(/rendu/.test(await row.locator('.badge').innerText()), 'status "rendu"');
    await row.locator('a', { hasText: 'devoir.pdf' }).waitFor();
    await row.getByText('Voici mon travail.').waitFor();
    const counts = await teacherPage.locator(`#copies-${hw.id} .counts`).innerText();
    assert(/^Rendus : 1 \(dont 0 en retard\)/.test(counts), `counts line, got "${counts}"`);
    await runAxe(teacherPage, 'copies view');

    const [download] = await Promise.all([teacherPage.waitForEvent('download'), teacherPage.click(`#zip-${hw.id}`)]);
    const zipPath = join(tmp, 'copies.zip');
    await download.saveAs(zipPath);
    const zip = readFileSync(zipPath);
    assert(zip.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), 'the download is a ZIP archive');
    assert(zip.includes(Buffer.from('devoir.pdf')), 'the ZIP holds the handed-in file');
    const type = await teacherPage.evaluate(async (id) => (await fetch(`/api/homework/${id}/hand-ins.zip`)).headers.get('content-type'), hw.id);
    assert(/^application\/zip/.test(type ?? ''), `the ZIP is served as application/zip, got ${type}`);

    const hiId = (await row.locator('input[id^="mark-"]').getAttribute('id')).slice('mark-'.length);
    await teacherPage.fill(`#mark-${hiId}`, '15/20');
    await teacherPage.fill(`#comment-${hiId}`, 'Bon travail, bien rédigé.');
    await teacherPage.click(`#mark-save-${hiId}`);
    await row.locator('.status-line', { hasText: 'Note enregistrée.' }).waitFor();
    await row.locator('.mark', { hasText: '15/20' }).waitFor();
    noProblems(teacherProblems);

    await pupilPage.reload();
    await pupilPage.click(`#hw-open-${hw.id}-0`);
    await pupilPage.locator('.handin .mark', { hasText: 'Note : 15/20' }).waitFor();
    await pupilPage.locator('.handin .comment', { hasText: 'Bon travail, bien rédigé.' }).waitFor();
    assertEqual(await pupilPage.locator('#handin-submit').count(), 0, 'no form once marked');
    await runAxe(pupilPage, 'hand-in panel, marked');
    noProblems(pupilProblems);
  });

  await step('the teacher creates an evaluation in "Notes", gives the pupil 15, and the CSV export lists it', async () => {
    assert(teacherPage, 'the teacher page exists');
    await teacherPage.click('#tab-grades');
    await teacherPage.locator('h1', { hasText: 'Notes' }).waitFor();
    assertEqual(await teacherPage.getAttribute('#tab-grades', 'aria-current'), 'page', 'current tab');
    await teacherPage.selectOption('#tg-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.locator('#ev-heading ~ .ev-list, #ev-heading ~ .empty').first().waitFor();
    await teacherPage.fill('#ev-title', evalTitle);
    await teacherPage.fill('#ev-out_of', '20');
    await teacherPage.fill('#ev-coefficient', '2');
    await teacherPage.click('#ev-submit');
    await teacherPage.locator('#marks-title', { hasText: evalTitle }).waitFor();
    await teacherPage.fill(`#mk-value-${pupil.id}`, '15');
    await teacherPage.fill(`#mk-comment-${pupil.id}`, 'Très bien');
    await teacherPage.click('#marks-save');
    await teacherPage.locator('#marks-form .status-line', { hasText: 'Notes enregistrées.' }).waitFor();
    await runAxe(teacherPage, 'teacher grades');
    const csv = await teacherPage.evaluate(async (href) => {
      const r = await fetch(href);
      return { type: r.headers.get('content-type'), text: await r.text() };
    }, await teacherPage.locator('.export a').getAttribute('href'));
    assert(/text\/csv/.test(csv.type ?? ''), `CSV type, got ${csv.type}`);
    assert(csv.text.includes(evalTitle), 'the CSV has a column for the new evaluation');
    await teacherPage.setViewportSize({ width: 360, height: 780 });
    await teacherPage.screenshot({ path: join(tmp, 'teacher-grades-360.png'), fullPage: true });
    await noOverflow(teacherPage, 'teacher grades');
    noProblems(teacherProblems);
  });

  await step("the parent reads the child's hand-in mark and grade (in French, then in English)", async () => {
    const { page } = await newPage();
    const problems = watch(page, 'parent');
    await signInUi(page, parent.login, parent.password);
    const open = page.locator(`#hw-open-${hw.id}-${pupil.id}`);
    await open.click();
    await page.locator('.handin .mark', { hasText: 'Note : 15/20' }).waitFor();
    await page.locator('.handin .comment', { hasText: 'Bon travail' }).waitFor();
    assertEqual(await page.locator('#handin-submit').count(), 0, 'a parent gets no form');
    await runAxe(page, 'parent hand-in view');
    await page.click('#tab-grades');
    const row = page.locator(`section[aria-labelledby="grades-${pupil.id}"] tr`, { hasText: evalTitle });
    await row.waitFor();
    assertEqual((await row.locator('.mark-cell').innerText()).trim(), '15/20', 'the grade in the report');
    await runAxe(page, 'parent grades');
    await page.setViewportSize({ width: 360, height: 780 });
    await noOverflow(page, 'parent grades');
    await page.click('#lang-switch');
    await page.locator('h1', { hasText: 'Grades' }).waitFor();
    await page.locator('.overall', { hasText: 'Overall average' }).first().waitFor();
    await page.click('#lang-switch');
    noProblems(problems);
  });

  await step('the teacher publishes homework with an attached file, edits it keeping the file; the pupil downloads it', async () => {
    assert(teacherPage && pupilPage, 'the teacher and pupil pages exist');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    await teacherPage.click('#tab-today');
    await teacherPage.locator('#hw-form').waitFor();
    const title = `Avec fiche ${Math.random().toString(36).slice(2, 7)}`;
    await teacherPage.selectOption('#hw-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.fill('#hw-title', title);
    await teacherPage.fill('#hw-due_date', '2026-11-25');
    await teacherPage.setInputFiles('#editor-files', { name: 'fiche.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacherPage.locator('#hw-form .picked li', { hasText: 'fiche.pdf' }).waitFor();
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir publié.' }).waitFor();
    const id = await teacherPage.locator('#hw-mine .hw-item', { hasText: title }).getAttribute('data-homework-id');
    await teacherPage.click(`#hw-edit-${id}`);
    await teacherPage.locator('#hw-form .picked a', { hasText: 'fiche.pdf' }).waitFor();
    await teacherPage.fill('#hw-title', `${title} (modifié)`);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir modifié.' }).waitFor();
    const saved = await teacherPage.evaluate(async (hid) => (await fetch(`/api/homework/${hid}`)).json(), id);
    assertEqual(saved.attachments?.map((f) => f.name).join(), 'fiche.pdf', 'the attachment survived the edit');
    noProblems(teacherProblems);

    await pupilPage.reload();
    await pupilPage.click(`#hw-open-${id}-0`);
    const link = pupilPage.locator(`#hw-detail-${id}-0 a`, { hasText: 'fiche.pdf' });
    await link.waitFor();
    const [download] = await Promise.all([pupilPage.waitForEvent('download'), link.click()]);
    const path = join(tmp, 'fiche.pdf');
    await download.saveAs(path);
    assert(readFileSync(path).subarray(0, 5).toString() === '%PDF-', 'the pupil downloads the PDF');
    noProblems(pupilProblems);
  });

  await step('class documents: the teacher creates a folder and uploads a PDF into it; the pupil downloads it', async () => {
    assert(teacherPage && pupilPage, 'the teacher and pupil pages exist');
    const key = `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`;
    const folder = `Fiches ${Math.random().toString(36).slice(2, 7)}`;
    await teacherPage.click('#tab-docs');
    await teacherPage.locator('h1', { hasText: 'Documents' }).waitFor();
    await teacherPage.selectOption('#doc-teaching', key);
    await teacherPage.locator('#doc-folder-name').waitFor();
    await teacherPage.fill('#doc-folder-name', folder);
    await teacherPage.click('#doc-folder-create');
    await teacherPage.locator('.status-line', { hasText: 'Dossier créé.' }).waitFor();
    const folderId = await teacherPage.locator('li.folder', { hasText: folder }).getAttribute('data-resource-id');
    await teacherPage.selectOption('#doc-target', folderId);
    await teacherPage.setInputFiles('#doc-file', { name: 'cours.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacherPage.locator('.status-line', { hasText: 'Document « cours.pdf » déposé.' }).waitFor();
    await teacherPage.locator(`li.folder[data-resource-id="${folderId}"] li.document a`, { hasText: 'cours.pdf' }).waitFor();
    await runAxe(teacherPage, 'teacher documents');
    await teacherPage.setViewportSize({ width: 360, height: 780 });
    await noOverflow(teacherPage, 'teacher documents');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    noProblems(teacherProblems);

    await pupilPage.click('#tab-docs');
    await pupilPage.selectOption('#doc-teaching', key);
    await pupilPage.click(`#doc-${folderId}`);
    assertEqual(await pupilPage.getAttribute(`#doc-${folderId}`, 'aria-expanded'), 'true', 'the folder opens');
    assertEqual(await pupilPage.locator('#doc-folder-name').count(), 0, 'a pupil gets no write form');
    const link = pupilPage.locator(`li.folder[data-resource-id="${folderId}"] a`, { hasText: 'cours.pdf' });
    const [download] = await Promise.all([pupilPage.waitForEvent('download'), link.click()]);
    const path = join(tmp, 'cours.pdf');
    await download.saveAs(path);
    assert(readFileSync(path).subarray(0, 5).toString() === '%PDF-', 'the pupil downloads the PDF');
    await runAxe(pupilPage, 'pupil documents');
    await pupilPage.click('#tab-today');
    noProblems(pupilProblems);

    // Rename the document, move it to the top, delete the folder (after its confirmation).
    const docId = await teacherPage.locator('li.document', { hasText: 'cours.pdf' }).getAttribute('data-resource-id');
    await teacherPage.click(`#doc-rename-${docId}`);
    await teacherPage.fill(`#doc-edit-${docId}`, 'chapitre 1.pdf');
    await teacherPage.click(`#doc-save-${docId}`);
    await teacherPage.locator('.status-line', { hasText: 'Renommé.' }).waitFor();
    await teacherPage.click(`#doc-move-${docId}`);
    await teacherPage.selectOption(`#doc-edit-${docId}`, '0');
    await teacherPage.click(`#doc-save-${docId}`);
    await teacherPage.locator('.status-line', { hasText: 'Déplacé.' }).waitFor();
    await teacherPage.locator(`.card > .doc-tree > li.document[data-resource-id="${docId}"]`, { hasText: 'chapitre 1.pdf' }).waitFor();
    await teacherPage.click(`#doc-delete-${folderId}`);
    await teacherPage.click(`#doc-edit-${folderId}`);
    await teacherPage.locator(`li.folder[data-resource-id="${folderId}"]`).waitFor({ state: 'detached' });
    const listing = await teacherPage.evaluate(async (q) => (await fetch(`/api/resources?${q}`)).json(),
      `class_id=${teacher.teaching.class.id}&subject_id=${teacher.teaching.subject.id}`);
    assertEqual(listing.items.map((x) => x.name).join(), 'chapitre 1.pdf', 'the server holds the renamed document alone');
    noProblems(teacherProblems);
  });

  await step('the calendar feed: URL shown, served as text/calendar, reset makes the old one 404', async () => {
    assert(pupilPage, 'the pupil page exists');
    await pupilPage.click('#agenda-link');
    await pupilPage.locator('h1', { hasText: 'Agenda (iCal)' }).waitFor();
    const url = await pupilPage.inputValue('#cal-url');
    assert(url.startsWith(`${baseUrl}/calendar/`) && url.endsWith('.ics'), `an absolute feed URL, got ${url}`);
    const res = await fetch(url);
    assertEqual(res.status, 200, 'the feed answers');
    assert(/text\/calendar/.test(res.headers.get('content-type') ?? ''), 'text/calendar');
    await runAxe(pupilPage, 'calendar view');
    await pupilPage.click('#cal-reset');
    await pupilPage.click('#cal-reset-yes');
    await pupilPage.locator('.status-line', { hasText: 'Nouveau lien' }).waitFor();
    const next = await pupilPage.inputValue('#cal-url');
    assert(next !== url, 'a new URL');
    assertEqual((await fetch(url)).status, 404, 'the old URL is dead');
    assertEqual((await fetch(next)).status, 200, 'the new URL works');
    await pupilPage.goBack();
    await pupilPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    noProblems(pupilProblems);
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
