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
  attachments?: FileInfo[]; // only from GET/POST/PUT of one homework
}
export interface FileInfo {
  id: number;
  name: string;
  size: number;
  media_type: string;
  url: string;
  created_at: string;
}
export interface HandIn {
  id: number;
  homework_id: number;
  pupil: Person;
  text: string;
  files: FileInfo[];
  submitted_at: string;
  late: boolean;
  mark: string | null;
  comment: string;
  marked_at: string | null;
}
export interface HandInAnswer {
  homework_id: number;
  pupil_id: number;
  hand_in: HandIn | null;
  may_hand_in: boolean;
}
export type CopyStatus = 'handed_in' | 'late' | 'missing';
export interface Copies {
  homework: Homework;
  pupils: { pupil: Person; status: CopyStatus; hand_in: HandIn | null }[];
  counts: { pupils: number; handed_in: number; late: number; missing: number; marked: number };
}
export type MarkState = 'graded' | 'absent' | 'excused' | null;
export interface Mark {
  pupil: Person;
  state: MarkState;
  value: number | null;
  comment: string;
}
export interface Evaluation {
  id: number;
  title: string;
  date: string;
  out_of: number;
  coefficient: number;
  class_average?: number | null;
  marks?: Mark[];
}
export interface EvaluationInput {
  class_id: number;
  subject_id: number;
  title: string;
  date: string;
  out_of: number;
  coefficient: number;
}
export interface MarkInput {
  pupil_id: number;
  state: 'graded' | 'absent' | 'excused';
  value: number | null;
  comment: string;
}
export interface Report {
  pupil: Person;
  class: Ref | null;
  average: number | null;
  subjects: {
    subject: Ref;
    average: number | null;
    evaluations: (Evaluation & { mark: { state: MarkState; value: number | null; comment: string } | null })[];
  }[];
}
export interface Section {
  kind: 'pupil' | 'child' | 'teacher';
  person: Person;
  class: Ref | null;
  lessons: Lesson[];
  homework: Homework[];
}
export interface Announcement {
  id: number;
  title: string;
  body: string;
  until: string;
  school_wide: boolean;
  author: Person;
}
export interface Today {
  date: string;
  today: string;
  shifted: boolean;
  shift_reason: 'weekend' | 'holiday' | null;
  holiday: string | null;
  sections: Section[];
  announcements?: Announcement[];
  stale?: boolean; // the server's last view, served while its store cannot answer
  as_of?: string; // when that view was built (UTC)
}
export interface HomeworkInput {
  class_id: number;
  subject_id: number;
  title: string;
  body: string;
  due_date: string;
  attachment_ids?: number[];
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
  headers: Headers;
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
  const answered = res.headers;
  if (res.status === 304) return { status: 304, data: null, etag: opts.etag ?? null, headers: answered };
  if (!res.ok) throw await toError(res);
  const etag = res.headers.get('ETag');
  if (res.status === 204) return { status: 204, data: null, etag, headers: answered };
  let data: T;
  try {
    data = (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'bad_response', 'invalid JSON');
  }
  return { status: res.status, data, etag, headers: answered };
}

// Uploads one file as the raw request body (not multipart), reporting progress (0..1). XHR rather
// than fetch: fetch has no upload progress.
export function upload(file: File, onProgress: (done: number) => void): Promise<FileInfo> {
  const once = (): Promise<{ status: number; text: string; retry: string | null }> =>
    new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('POST', `/api/files?name=${encodeURIComponent(file.name)}`);
      x.setRequestHeader('X-CSRF-Token', csrfToken);
      x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      x.setRequestHeader('Accept', 'application/json');
      x.upload.onprogress = (ev) => {
        if (ev.lengthComputable && ev.total) onProgress(ev.loaded / ev.total);
      };
      x.onload = () => resolve({ status: x.status, text: x.responseText, retry: x.getResponseHeader('Retry-After') });
      x.onerror = x.onabort = x.ontimeout = () => resolve({ status: 0, text: '', retry: null });
      x.send(file);
    });
  const parse = (r: { status: number; text: string; retry: string | null }) => {
    let data: { error?: { code?: string; message?: string; fields?: Record<string, string> } } & Partial<FileInfo> = {};
    try {
      data = JSON.parse(r.text);
    } catch {
      // not JSON: keep the status
    }
    if (r.status === 201 || r.status === 200) return data as FileInfo;
    const e = data.error ?? {};
    return new ApiError(r.status, e.code ?? (r.status ? `http_${r.status}` : 'network'), e.message ?? '', e.fields ?? {}, parseRetryAfter(r.retry));
  };
  return once().then(async (r) => {
    let out = parse(r);
    if (out instanceof ApiError && out.code === 'csrf') {
      const me = await request<Me>('GET', '/api/me');
      if (me.data) setCsrf(me.data.csrf_token);
      out = parse(await once());
    }
    if (out instanceof ApiError) throw out;
    onProgress(1);
    return out;
  });
}

const enc = encodeURIComponent;

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
  homework: (id: number) => request<Homework>('GET', `/api/homework/${enc(id)}`),
  handIn: (id: number, pupilId: number | null) =>
    request<HandInAnswer>('GET', `/api/homework/${enc(id)}/hand-in${pupilId ? `?pupil_id=${enc(pupilId)}` : ''}`),
  putHandIn: (id: number, text: string, fileIds: number[]) =>
    request<HandIn>('PUT', `/api/homework/${enc(id)}/hand-in`, { text, file_ids: fileIds }),
  copies: (id: number) => request<Copies>('GET', `/api/homework/${enc(id)}/hand-ins`),
  mark: (handInId: number, mark: string, comment: string) =>
    request<HandIn>('PUT', `/api/hand-ins/${enc(handInId)}/mark`, { mark, comment }),
  grades: (pupilId: number | null) => request<Report>('GET', `/api/grades${pupilId ? `?pupil_id=${enc(pupilId)}` : ''}`),
  evaluations: (classId: number, subjectId: number) =>
    request<{ evaluations: Evaluation[] }>('GET', `/api/evaluations?class_id=${enc(classId)}&subject_id=${enc(subjectId)}`),
  evaluation: (id: number) => request<Evaluation>('GET', `/api/evaluations/${enc(id)}`),
  createEvaluation: (input: EvaluationInput) => request<Evaluation>('POST', '/api/evaluations', input),
  putMarks: (id: number, marks: MarkInput[]) => request<Evaluation>('PUT', `/api/evaluations/${enc(id)}/marks`, { marks }),
  calendar: () => request<{ url: string }>('GET', '/api/calendar'),
  resetCalendar: () => request<{ url: string }>('POST', '/api/calendar/reset'),
};
