// The JSON API of the cartable server (same origin), its types, and one request function that
// carries the CSRF token, turns every failure into an ApiError and renews a stale CSRF token once.

export interface Ref {
  id: number;
  name: string;
}
export interface Person {
  id: number;
  first_name: string;
  last_name: string;
}
export type Role = 'pupil' | 'teacher' | 'parent' | 'staff' | 'admin';
export interface User extends Person {
  login: string;
  role: Role;
  school: Ref;
  class: Ref | null;
}
export interface Child extends Person {
  class: Ref | null;
}
export interface Teaching {
  class: Ref;
  subject: Ref;
}
export interface Me {
  user: User;
  csrf_token: string;
  children: Child[];
  teaching: Teaching[];
}
export interface Lesson {
  start: string;
  end: string;
  subject: Ref;
  class: Ref;
  teacher: Person;
  room: string;
}
export interface Homework {
  id: number;
  title: string;
  body: string;
  due_date: string;
  class: Ref;
  subject: Ref;
  author: Person;
  created_at: string;
  updated_at: string;
}
export interface Section {
  kind: 'pupil' | 'child' | 'teacher';
  person: Person;
  class: Ref | null;
  lessons: Lesson[];
  homework: Homework[];
}
export interface Today {
  date: string;
  today: string;
  shifted: boolean;
  shift_reason: 'weekend' | 'holiday' | null;
  holiday: string | null;
  sections: Section[];
}
export interface HomeworkInput {
  class_id: number;
  subject_id: number;
  title: string;
  body: string;
  due_date: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: the request never got an HTTP answer
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

let csrfToken = '';
export function setCsrf(token: string): void {
  csrfToken = token;
}

function parseRetryAfter(v: string | null): number | null {
  if (!v) return null;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const when = Date.parse(s);
  return Number.isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
}

async function send(method: string, path: string, body: unknown, headers: Record<string, string>) {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    h['Content-Type'] = 'application/json';
    h['X-CSRF-Token'] = csrfToken;
  }
  try {
    return await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      // Our own If-None-Match handles revalidation; the HTTP cache must not answer for us.
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
}

async function toError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText;
  let fields: Record<string, string> = {};
  try {
    const data = await res.json();
    if (data && typeof data.error === 'object' && data.error) {
      code = String(data.error.code ?? code);
      message = String(data.error.message ?? message);
      if (data.error.fields && typeof data.error.fields === 'object') fields = data.error.fields;
    }
  } catch {
    // not JSON (a proxy's page): keep the status
  }
  return new ApiError(res.status, code, message, fields, parseRetryAfter(res.headers.get('Retry-After')));
}

export interface Answer<T> {
  status: number;
  data: T | null; // null for 204 and 304
  etag: string | null;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { etag?: string | null } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.etag) headers['If-None-Match'] = opts.etag;
  let res = await send(method, path, body, headers);
  if (res.status === 403 && method !== 'GET') {
    const err = await toError(res);
    if (err.code !== 'csrf') throw err;
    // The token went stale (new session, key rotation): fetch a fresh one and try once more.
    const me = await request<Me>('GET', '/api/me');
    if (me.data) setCsrf(me.data.csrf_token);
    res = await send(method, path, body, headers);
  }
  if (res.status === 304) return { status: 304, data: null, etag: opts.etag ?? null };
  if (!res.ok) throw await toError(res);
  const etag = res.headers.get('ETag');
  if (res.status === 204) return { status: 204, data: null, etag };
  let data: T;
  try {
    data = (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'bad_response', 'invalid JSON');
  }
  return { status: res.status, data, etag };
}

export const api = {
  me: () => request<Me>('GET', '/api/me'),
  signIn: (login: string, password: string, remember: boolean) =>
    request<{ user: User; csrf_token: string }>('POST', '/api/session', { login, password, remember }),
  signOut: () => request<null>('DELETE', '/api/session'),
  today: (etag: string | null) => request<Today>('GET', '/api/me/today', undefined, { etag }),
  myHomework: () => request<{ homework: Homework[] }>('GET', '/api/homework?mine=1'),
  createHomework: (input: HomeworkInput) => request<Homework>('POST', '/api/homework', input),
  updateHomework: (id: number, input: HomeworkInput) =>
    request<Homework>('PUT', `/api/homework/${encodeURIComponent(id)}`, input),
  deleteHomework: (id: number) => request<null>('DELETE', `/api/homework/${encodeURIComponent(id)}`),
};
