// The offline copy of the day, seen from the page. The service worker (src/sw.js, written into
// dist/sw.js by scripts/sw.mjs) keeps it and answers it, marked, when the server cannot be reached.
import type { Answer, Me, Today } from './api';

const DAY_CACHE = 'cartable-day-v1'; // the same name as in sw.js

const supported = () => 'serviceWorker' in navigator && window.isSecureContext;

// Registers the worker (production builds only: the dev server has no sw.js). `onControl` runs when
// a worker starts controlling the page, which is when it can first take a copy.
export function registerWorker(onControl: () => void): void {
  if (!import.meta.env.PROD || !supported()) return;
  navigator.serviceWorker.addEventListener('controllerchange', onControl);
  const go = () => void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  if (document.readyState === 'complete') go();
  else window.addEventListener('load', go, { once: true });
}

// Drops the copy and whose it is: on sign-out, an expired session, a sign-in page. Through the
// worker (which orders it after a copy being written) and directly (a page it does not control).
export function forgetDay(): void {
  if (!supported()) return;
  navigator.serviceWorker.controller?.postMessage('forget');
  void caches.delete(DAY_CACHE).catch(() => undefined);
}

// When the answer is the worker's copy: the time it was taken (ISO), else null.
export function copyTakenAt(r: Answer<Today>): string | null {
  return r.headers.get('X-Cartable-Offline') === '1' ? (r.headers.get('X-Cartable-Taken-At') ?? '') : null;
}

// The signed-in person the copy belongs to (to show it without the server), without a CSRF token.
export function copyOwner(r: Answer<Today>): Me | null {
  const raw = r.headers.get('X-Cartable-Me');
  if (copyTakenAt(r) === null || !raw) return null;
  try {
    const who = JSON.parse(decodeURIComponent(raw)) as Omit<Me, 'csrf_token'>;
    return who?.user ? { ...who, csrf_token: '' } : null;
  } catch {
    return null;
  }
}
