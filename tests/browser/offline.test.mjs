#!/usr/bin/env node
// The offline copy of the day (service worker, web/src/sw.js) in Chromium against a real
// `cartable demo` server:
//
//   node tests/browser/offline.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
//  1. the server serves /sw.js (no-cache, JavaScript) listing the build's shell, under a CSP that
//     lets a same-origin worker run;
//  2. through a small proxy that can answer 503 to every /api/ request: a pupil signs in, the worker
//     controls the page and holds the day (and nothing but the day and whose it is); with the proxy
//     answering 503 a reload shows the timetable and homework with "Hors ligne — copie du jour prise
//     à HH:MM"; once the proxy passes again the banner goes without a reload;
//  3. sign-out empties the copy: a reload while /api/ answers 503 shows no day and no name;
//  4. directly against the server: a pupil signs in, the server is killed (SIGKILL), a reload shows
//     the copy with its banner (also in English); sign-out while offline empties it, and a reload
//     shows no day and no name.
// Last line: "N passed, N failed".
import { createServer, request as httpRequest } from 'node:http';
import {
  init, run, notRun, step, assert, assertEqual, startServer, launchBrowser, runAxe, watch, newPage,
  server, baseUrl, accounts,
} from './harness.mjs';

init({ script: 'offline.test.mjs', tmpPrefix: 'cartable-offline-' });

const DAY_CACHE = 'cartable-day-v1';
const RECOVERY_TIMEOUT_MS = 30_000;
const started = Date.now();

// ---------------------------------------------------------------- a proxy that can fail on demand

let proxy = null;
let proxyUrl = '';
let proxyMode = 'pass'; // 'pass' | '503' (every /api/ request)

async function startProxy() {
  const target = new URL(baseUrl);
  proxy = createServer((req, res) => {
    if (proxyMode === '503' && req.url.startsWith('/api/')) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(JSON.stringify({ error: { code: 'overloaded', message: 'The server is busy; try again in a moment.' } }));
      req.resume();
      return;
    }
    const up = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
  console.log(`# proxy on ${proxyUrl}`);
}

// ---------------------------------------------------------------- helpers

// Failed requests are the point of this test: the browser logs them as console errors.
function realProblems(problems) {
  if (process.env.DEBUG_OFFLINE) console.log(problems.map((p) => `#   ${p}`).join('\n'));
  return problems.filter(
    (p) => !/status of (401|502|503)|net::ERR_CONNECTION_REFUSED|ERR_FAILED|Failed to fetch|network error/i.test(p),
  );
}

async function shown(page) {
  return {
    lessons: await page.locator('.lesson').allInnerTexts(),
    homework: await page.locator('.hw-item .hw-title').allInnerTexts(),
    name: (await page.locator('header .who-name').innerText()).trim(),
  };
}

// What the day cache holds: its keys (paths) and the copy's taken-at time.
function cacheState(page) {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return { keys: [], takenAt: null };
    const cache = await caches.open(name);
    const keys = (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
    const copy = await cache.match('/api/me/today');
    return { keys, takenAt: copy ? copy.headers.get('X-Cartable-Taken-At') : null };
  }, DAY_CACHE);
}

// Signs in at `origin`, waits for the day, for the worker to control the page and for the copy.
async function signInAndKeep(page, origin) {
  await page.goto(`${origin}/`);
  await page.locator('#login').waitFor();
  await page.fill('#login', pupil.login);
  await page.fill('#password', pupil.password);
  await page.click('#signin-submit');
  await page.locator('.lesson').first().waitFor();
  await page.locator('.hw-item').first().waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(
    async (name) => !!(await (await caches.open(name)).match('/api/me/today')),
    DAY_CACHE,
    { polling: 100 },
  );
  assertEqual(new URL(page.url()).origin, origin, 'page origin');
}

// The banner says the copy's time, as formatClock does in the page's language.
async function checkBanner(page, lang) {
  const banner = page.locator('#day-copy');
  await banner.waitFor();
  const takenAt = await banner.getAttribute('data-taken-at');
  const { takenAt: held } = await cacheState(page);
  assertEqual(takenAt, held, 'the banner shows the time of the copy the worker holds');
  const t = Date.parse(takenAt);
  assert(t >= started - 1000 && t <= Date.now() + 1000, `taken during this test, got ${takenAt}`);
  const clock = await page.evaluate(
    ([iso, l]) => new Date(iso).toLocaleTimeString(l === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' }),
    [takenAt, lang],
  );
  const expected = lang === 'fr' ? `Hors ligne — copie du jour prise à ${clock}` : `Offline — copy of the day taken at ${clock}`;
  assertEqual((await banner.innerText()).trim(), expected, 'offline banner');
  assert(/\d\d:\d\d$/.test(expected), `a clock time in the banner, got "${expected}"`);
}

// ---------------------------------------------------------------- the test

let pupil = null;
let before = null; // what the pupil saw online (proxy context)

async function main() {
  let up = false;
  await step('the server serves /sw.js (no-cache) and a CSP that lets it run', async () => {
    await startServer();
    await startProxy();
    pupil = accounts.find((a) => a.role === 'pupil' && a.class);
    assert(pupil, 'accounts.csv has a pupil with a class');
    const html = await (await fetch(`${baseUrl}/`)).text();
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert(entry, 'index.html names its hashed entry script');
    const res = await fetch(`${baseUrl}/sw.js`);
    assertEqual(res.status, 200, 'GET /sw.js');
    assertEqual(res.headers.get('cache-control'), 'no-cache', 'Cache-Control of /sw.js');
    assert(/javascript/.test(res.headers.get('content-type') ?? ''), `a JavaScript type, got ${res.headers.get('content-type')}`);
    const sw = await res.text();
    assert(sw.includes('"/index.html"') && sw.includes(`"${entry}"`), 'sw.js precaches index.html and the entry script');
    assert(!/pdf\.worker/.test(sw), 'sw.js does not precache PDF.js');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert(/script-src 'self'/.test(csp) && !/worker-src/.test(csp), `workers fall back to script-src 'self', got "${csp}"`);
    await launchBrowser();
    up = true;
  });
  if (!up) {
    notRun(['503: the copy', 'sign-out empties the copy', 'server killed: the copy', 'offline sign-out']);
    return;
  }

  const { context: proxied, page } = await newPage();
  const problems = watch(page, 'pupil (proxy)');

  await step('503 from the server: the timetable and homework from the copy, with the time it was taken', async () => {
    await signInAndKeep(page, proxyUrl);
    before = await shown(page);
    assert(before.lessons.length > 0 && before.homework.length > 0, 'the pupil has lessons and homework today');
    // Only the day and whose it is; the shell holds no API answer.
    assertEqual(JSON.stringify((await cacheState(page)).keys), JSON.stringify(['/__cartable/who', '/api/me/today']), 'day cache keys');
    const shell = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith('cartable-shell-'));
      const keys = names.length === 1 ? (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname) : [];
      return { names, keys };
    });
    assertEqual(shell.names.length, 1, 'one shell cache');
    assert(shell.keys.includes('/index.html') && !shell.keys.some((k) => k.startsWith('/api/')), `shell: ${shell.keys.join(', ')}`);

    // "Actualiser" revalidates with If-None-Match: the 304 renews the copy's time, never its body.
    const first = (await cacheState(page)).takenAt;
    const revalidated = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/today');
    await page.click('#refresh');
    assertEqual((await revalidated).status(), 304, 'the refresh is answered 304');
    await page.waitForFunction(
      async ([name, t]) => (await (await caches.open(name)).match('/api/me/today'))?.headers.get('X-Cartable-Taken-At') !== t,
      [DAY_CACHE, first],
      { polling: 100 },
    );
    const body = await page.evaluate(async (name) => (await (await caches.open(name)).match('/api/me/today')).json(), DAY_CACHE);
    assertEqual(body.sections?.[0]?.lessons?.length, before.lessons.length, 'the copy still holds the day after a 304');

    proxyMode = '503';
    await page.reload();
    await checkBanner(page, 'fr');
    const offline = await shown(page);
    assertEqual(JSON.stringify(offline), JSON.stringify(before), 'the same lessons, homework and name as online');
    await runAxe(page, 'day view from the offline copy');

    // The server answers again: the banner goes without a reload (the app retries in the background).
    proxyMode = 'pass';
    await page.locator('#day-copy').waitFor({ state: 'detached', timeout: RECOVERY_TIMEOUT_MS });
    assertEqual(JSON.stringify(await shown(page)), JSON.stringify(before), 'the day after recovery');
    const leftovers = realProblems(problems);
    assert(leftovers.length === 0, `the page reported errors:\n${leftovers.join('\n')}`);
  });

  await step('sign-out empties the copy: a reload while /api/ fails shows nothing of the pupil', async () => {
    await page.click('#sign-out');
    await page.locator('#login').waitFor();
    await page.waitForFunction(async (name) => !(await caches.has(name)), DAY_CACHE, { polling: 100 });
    proxyMode = '503';
    await page.reload();
    await page.locator('#boot-retry, #login').first().waitFor();
    assertEqual(await page.locator('.lesson, .hw-item, #day-copy').count(), 0, 'no day data after sign-out');
    const text = await page.locator('body').innerText();
    assert(!text.includes(before.name), `the previous pupil's name is not shown, got:\n${text}`);
    assertEqual(JSON.stringify((await cacheState(page)).keys), '[]', 'day cache after sign-out');
    proxyMode = 'pass';
    const leftovers = realProblems(problems);
    assert(leftovers.length === 0, `the page reported errors:\n${leftovers.join('\n')}`);
  });
  await proxied.close();

  const { page: direct } = await newPage();
  const directProblems = watch(direct, 'pupil (direct)');
  await step('server killed (SIGKILL): the reload shows the copy with the time it was taken, in French and English', async () => {
    await signInAndKeep(direct, baseUrl);
    const online = await shown(direct);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    await direct.reload();
    await checkBanner(direct, 'fr');
    assertEqual(JSON.stringify(await shown(direct)), JSON.stringify(online), 'the same lessons, homework and name as online');
    await direct.click('#lang-switch');
    await checkBanner(direct, 'en');
    await direct.click('#lang-switch');
    await checkBanner(direct, 'fr');
    const leftovers = realProblems(directProblems);
    assert(leftovers.length === 0, `the page reported errors:\n${leftovers.join('\n')}`);
  });

  await step('sign-out while the server is down empties the copy: a reload shows nothing of the pupil', async () => {
    const name = (await direct.locator('header .who-name').innerText()).trim();
    await direct.click('#sign-out');
    await direct.locator('#login').waitFor();
    await direct.waitForFunction(async (n) => !(await caches.has(n)), DAY_CACHE, { polling: 100 });
    await direct.reload();
    await direct.locator('#boot-retry').waitFor();
    assertEqual(await direct.locator('.lesson, .hw-item, #day-copy').count(), 0, 'no day data after sign-out');
    const text = await direct.locator('body').innerText();
    assert(!text.includes(name), `the previous pupil's name is not shown, got:\n${text}`);
    assert(/Impossible de joindre le serveur/.test(text), `the page says the server cannot be reached, got:\n${text}`);
    const leftovers = realProblems(directProblems);
    assert(leftovers.length === 0, `the page reported errors:\n${leftovers.join('\n')}`);
  });
  proxy.closeAllConnections();
  proxy.close();
}

await run(main);
