// The service worker: an offline copy of the day (docs/architecture.md, "The offline copy of the day").
// Not bundled by Vite: scripts/sw.mjs writes dist/sw.js as `const VERSION = …; const SHELL = […];`
// (the build's index.html and hashed assets, PDF.js left out) followed by this file.
//
// What it keeps, and nothing else:
// - the app shell (SHELL) in `cartable-shell-<VERSION>`; older shells go on activate;
// - in `cartable-day-v1`: the last 200 of GET /api/me/today and who it belongs to (the user, children
//   and teaching of the last 200 of GET /api/me, never its CSRF token). Both go on sign-in,
//   sign-out, a 401 and a "forget" message from the page.
// Other API answers, POSTs and files are never read from or written to a cache.
/* global VERSION, SHELL */

const SHELL_CACHE = `cartable-shell-${VERSION}`;
const DAY_CACHE = 'cartable-day-v1';
const DAY = '/api/me/today';
const WHO = '/__cartable/who'; // a key of DAY_CACHE, never a URL anyone fetches
const NAVIGATION_TIMEOUT_MS = 3000;
const MAX_COPY_AGE_MS = 3 * 24 * 3600 * 1000; // Friday evening's copy still serves on Monday
const FALLBACK_STATUSES = [502, 503, 504];
const NOT_APP = /^\/(healthz|readyz|status|metrics|calendar)(\/|$)/; // the server's own pages

let who = null; // the identity of the last /api/me, or null (read again from DAY_CACHE after a restart)
let epoch = 0; // bumped when the day is forgotten: a day answer from before is not stored

// Every change to DAY_CACHE runs in order, so that a sign-out enqueued after a copy removes it.
let chain = Promise.resolve();
function serial(job) {
  chain = chain.then(job, job).catch(() => undefined);
  return chain;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith('cartable-') && n !== SHELL_CACHE && n !== DAY_CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'forget') event.waitUntil(serial(forget));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/session') {
    // Signing in or out: whatever was kept belongs to the session that ends.
    if (req.method !== 'GET') event.waitUntil(serial(forget));
    return;
  }
  if (req.method !== 'GET') return;
  if (url.pathname === DAY && !url.search) return event.respondWith(day(event));
  if (url.pathname === '/api/me' && !url.search) return event.respondWith(me(event));
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    if (!NOT_APP.test(url.pathname)) event.respondWith(page(req));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL_CACHE, ignoreVary: true }).then((hit) => hit || fetch(req)));
  }
});

async function forget() {
  epoch += 1;
  who = null;
  await caches.delete(DAY_CACHE);
}

async function currentWho() {
  if (who) return who;
  const hit = await caches.match(WHO, { cacheName: DAY_CACHE });
  who = hit ? await hit.json() : null;
  return who;
}

// The copy of the day if it belongs to the current user and is recent enough.
async function heldCopy() {
  const user = await currentWho();
  if (!user) return null;
  const hit = await caches.match(DAY, { cacheName: DAY_CACHE });
  if (!hit || hit.headers.get('X-Cartable-User') !== String(user.user.id)) return null;
  const taken = Date.parse(hit.headers.get('X-Cartable-Taken-At') || '');
  return Date.now() - taken < MAX_COPY_AGE_MS ? hit : null;
}

async function putCopy(body, etag, user) {
  const headers = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    'X-Cartable-Taken-At': new Date().toISOString(),
    'X-Cartable-User': String(user.user.id),
  });
  if (etag) headers.set('ETag', etag);
  const cache = await caches.open(DAY_CACHE);
  await cache.put(DAY, new Response(body, { headers }));
}

// GET /api/me passes through; its identity is kept to know whose day a copy is, and to show it.
async function me(event) {
  const res = await fetch(event.request);
  if (res.status === 200) {
    const copy = res.clone();
    event.waitUntil(
      serial(async () => {
        const data = await copy.json();
        const next = { user: data.user, children: data.children ?? [], teaching: data.teaching ?? [] };
        const held = await currentWho();
        if (held && held.user.id !== next.user.id) await forget();
        who = next;
        const cache = await caches.open(DAY_CACHE);
        await cache.put(WHO, new Response(JSON.stringify(next), { headers: { 'Content-Type': 'application/json' } }));
      }),
    );
  } else if (res.status === 401) {
    event.waitUntil(serial(forget));
  }
  return res;
}

// GET /api/me/today: network first. A 200 (not the server's own stale view) is copied; a 304 that
// confirms the copy renews its time; a network failure or a 502/503/504 answers the copy, marked.
async function day(event) {
  const started = epoch;
  let held = null;
  let known = false;
  await serial(async () => {
    known = !!(await currentWho());
    held = await heldCopy();
  });
  let req = event.request;
  if (known && !held && req.headers.has('If-None-Match')) {
    // Nothing kept yet: ask for the body, or a 304 would leave nothing to copy.
    const headers = new Headers(req.headers);
    headers.delete('If-None-Match');
    req = new Request(req, { headers });
  }
  let res = null;
  try {
    res = await fetch(req);
  } catch {
    // network failure: the copy, below
  }
  if (res && res.status === 200 && !res.headers.has('X-Cartable-Stale')) {
    const copy = res.clone();
    event.waitUntil(
      serial(async () => {
        const user = await currentWho();
        if (user && epoch === started) await putCopy(await copy.arrayBuffer(), copy.headers.get('ETag'), user);
      }),
    );
    return res;
  }
  if (res && res.status === 304) {
    const etag = res.headers.get('ETag');
    if (held && etag && held.headers.get('ETag') === etag) {
      event.waitUntil(
        serial(async () => {
          const user = await currentWho();
          const again = await heldCopy();
          if (user && again && epoch === started) await putCopy(await again.arrayBuffer(), etag, user);
        }),
      );
    }
    return res;
  }
  if (res && res.status === 401) {
    event.waitUntil(serial(forget));
    return res;
  }
  if ((!res || FALLBACK_STATUSES.includes(res.status)) && held) {
    const headers = new Headers(held.headers);
    headers.delete('X-Cartable-User');
    headers.set('X-Cartable-Offline', '1');
    headers.set('X-Cartable-Me', encodeURIComponent(JSON.stringify(await currentWho())));
    return new Response(held.body, { status: 200, headers });
  }
  return res || Response.error();
}

// Navigations: the network within NAVIGATION_TIMEOUT_MS, else (or on a failure) the cached shell.
async function page(req) {
  const shell = await caches.match('/index.html', { cacheName: SHELL_CACHE, ignoreVary: true });
  const network = fetch(req);
  if (!shell) return network;
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(shell), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([network, late]);
    // The server's own 503s (the waiting room, maintenance, overload) carry Retry-After: they are
    // shown as they are, so a queued pupil keeps their place. Other 5xx (a proxy with no server
    // behind it) get the shell, which shows the offline day.
    const deliberate = res.status === 503 && res.headers.has('Retry-After');
    return res.status >= 500 && !deliberate ? shell : res;
  } catch {
    return shell;
  } finally {
    clearTimeout(timer);
  }
}
