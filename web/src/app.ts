// The controller: owns the state transitions, talks to the API and re-renders the page.
import { type Answer, api, ApiError, type Homework, type HomeworkInput, type Me, request, setCsrf, type Today } from './api';
import { h } from './dom';
import { errorMsg, isUnauthenticated } from './errors';
import { addDays, isoDate, lang, setLang, t } from './i18n';
import { copyOwner, copyTakenAt, forgetDay, registerWorker } from './offline';
import { type Actions, emptyEditor, emptyPicked, type FieldName, type Msg, resetUserState, state, type Tab } from './state';
import { copyNotice, parentDay, pupilDay, dayIntro } from './views/day';
import { bootView, countBadge, errorView, header, mainLandmark, signinView, skipLink, tabsOf, welcomeCard } from './views/shell';
import { calendarView } from './views/calendar';
import { gradesView } from './views/grades';
import { homeworkEditor, teacherLessons, teachingKey } from './views/teacher';
import { failureMsg, isExpired, uploadAll, workspace } from './workspace';
import type { Live } from './live';
import type { Docs } from './docs';
import type { Messages } from './messages';
import type { News } from './news';

let root: HTMLElement;
let live: HTMLElement;
let pendingFocus: string | null = null;
let password = ''; // kept out of the state object, never rendered as an attribute
let generation = 0; // bumped on every sign-in/out: late answers of a previous session are dropped
let lastLoad = 0;
let bootTimer: number | undefined;
// The live lesson module, loaded on first use (import() makes it a chunk of its own).
let liveMod: Live | null = null;
let liveLoad: Promise<Live> | null = null;
let docsMod: Docs | null = null; // "Documents", also loaded on first use
let msgMod: Messages | null = null; // "Messages", likewise
let newsMod: News | null = null; // the announcements panel, likewise
let newsOpen = false; // a teacher unfolded it
let unreadTimer: number | undefined;
let lastUnreadPoll = 0;
// Entered from the offline copy (the server unreachable at load): the person and the day come from
// the service worker, there is no session to use until the server answers /api/me again.
let offlineEntry = false;
let retryTimer: number | undefined;
let retries = 0;

const msg = (text: string): Msg => () => text;

// The server's field messages are stable English phrases (docs/api.md); say them in the UI's
// language, and pass anything unknown through as it came.
function fieldMsg(text: string): Msg {
  const tooLong = /^at most (\d+) characters$/.exec(text);
  if (tooLong) return () => t('errTooLong', { n: tooLong[1] });
  switch (text) {
    case 'required':
      return () => t('errRequired');
    case 'must be a date YYYY-MM-DD':
      return () => t('errDate');
    case 'must be within a year of today':
      return () => t('errDateRange');
    case 'contains characters that are not allowed':
      return () => t('errCharacters');
    default:
      return msg(text);
  }
}

function focusLater(id: string): void {
  pendingFocus = id;
}

// Announces a short message through a live region that survives re-renders.
function announce(text: string): void {
  live.textContent = '';
  window.setTimeout(() => {
    live.textContent = text;
  }, 50);
}

function pageTitle(): string {
  if (state.phase === 'signin') return `${t('signinTitle')} — ${t('appName')}`;
  if (state.phase === 'app' && state.me) {
    return `${t(tabTitle[state.tab])} — ${t('appName')}`;
  }
  return t('appName');
}

// --- Tabs: the hash names the tab, so that Back works and a tab can be bookmarked.
const tabTitle = { today: 'today', grades: 'grades', agenda: 'agenda', live: 'live', docs: 'documents', messages: 'messages' } as const;
const hashes: Record<string, Tab> = { '': 'today', '#aujourdhui': 'today', '#notes': 'grades', '#agenda': 'agenda', '#direct': 'live', '#documents': 'docs', '#messages': 'messages' };

// The tab a hash names, among those of the signed-in role ("today" for another role's tab).
function tabFromHash(): Tab | undefined {
  const tab = hashes[location.hash];
  const role = state.me?.user.role;
  if (!tab || !role) return tab;
  const staff = role === 'staff' || role === 'admin';
  return (tab === 'agenda' && !staff) || tabsOf(role).some(([x]) => x === tab) ? tab : 'today';
}

function onHashChange(): void {
  const tab = tabFromHash();
  // Other hashes (the skip link's #main) are not tabs.
  if (!tab || state.phase !== 'app' || tab === state.tab) return;
  state.tab = tab;
  state.notice = null;
  focusLater('page-title');
  render();
  work.loadTab();
  if (tab === 'live') void loadLive();
  if (tab === 'docs') loadDocs();
  if (tab === 'messages') openMessages();
}

function openMessages(): void {
  pollUnread();
  if (msgMod) {
    void msgMod.refresh();
    return;
  }
  const gen = generation;
  void import('./messages').then((m) => {
    if (gen !== generation) return;
    msgMod ??= m.createMessages({
      me: () => state.me,
      announce,
      expired: () => gen === generation && sessionExpired(),
      setUnread: (n) => gen === generation && setUnread(n, false),
    });
    render();
  });
}

function newsSlot(): HTMLElement | null {
  if (state.me?.user.role === 'teacher' && !state.me.teaching.length) return null; // no class to announce to
  if (!newsOpen)
    return h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'ann-toggle', 'aria-expanded': 'false', 'aria-controls': 'ann-panel', onClick: () => ((newsOpen = true), loadNews(true)) }, t('annWrite')));
  return newsMod ? newsMod.view() : h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'));
}

function loadNews(focus = false): void {
  const show = () => {
    if (focus) focusLater('ann-heading');
    render();
  };
  if (newsMod) return show();
  const gen = generation;
  const teacher = state.me?.user.role === 'teacher';
  void import('./news').then((m) => {
    if (gen !== generation) return;
    newsMod ??= m.createNews({
      me: () => state.me,
      today: () => state.today?.today ?? null,
      announce,
      expired: () => gen === generation && sessionExpired(),
      refresh: () => void loadData(),
      close: teacher ? () => ((newsOpen = false), focusLater('ann-toggle'), render()) : null,
    });
    show();
  });
  render();
}

// --- Unread messages: one cheap count, polled while the page is visible, and on coming back to it.

function pollUnread(): void {
  window.clearTimeout(unreadTimer);
  if (state.phase !== 'app' || offlineEntry) return;
  const gen = generation;
  if (document.visibilityState === 'visible' && Date.now() - lastUnreadPoll > 2000) {
    lastUnreadPoll = Date.now();
    request<{ unread: number }>('GET', '/api/messages/unread').then(
      (r) => gen === generation && setUnread(r.data?.unread ?? 0, true),
      (e) => gen === generation && isUnauthenticated(e) && sessionExpired(),
    );
  }
  // Sooner while the messages are on screen, where an answer is awaited.
  unreadTimer = window.setTimeout(pollUnread, state.tab === 'messages' ? 20_000 : 60_000);
}

// `polled`: the count came from the poll, so the messages view may have something new to show.
function setUnread(n: number, polled: boolean): void {
  if (n === state.unread) return;
  state.unread = n;
  // Only the tab's badge changes: the page (and a message being typed) is left alone.
  document.getElementById('tab-messages')?.replaceChildren(t('messages'), countBadge(n) ?? '');
  if (polled && msgMod && state.tab === 'messages') void msgMod.refresh();
}

function loadDocs(): void {
  if (docsMod) return;
  void import('./docs').then((m) => {
    docsMod ??= m.createDocs({ me: () => state.me, announce, expired: () => sessionExpired() });
    render();
  });
}

function loadLive(): Promise<Live> {
  liveLoad ??= import('./live').then((m) => {
    liveMod = m.createLive({ me: () => state.me, render, announce, expired: () => sessionExpired() });
    render();
    return liveMod;
  });
  return liveLoad;
}

function liveMain(): HTMLElement {
  return mainLandmark(
    'wide',
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('live'))),
    liveMod ? liveMod.view() : h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
  );
}

function appMain(): HTMLElement {
  const role = state.me!.user.role;
  if (state.tab === 'messages')
    return mainLandmark(
      'wide',
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('messages'))),
      msgMod ? msgMod.view() : h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
    );
  if (role === 'pupil' || role === 'parent' || role === 'teacher') {
    if (state.tab === 'grades') return mainLandmark(role === 'teacher' ? 'wide' : '', ...gradesView(actions));
    if (state.tab === 'agenda') return mainLandmark('', ...calendarView(actions));
    if (state.tab === 'live' && role !== 'parent') return liveMain();
    if (state.tab === 'docs')
      return mainLandmark(
        '',
        h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('documents'))),
        docsMod ? docsMod.view() : h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
      );
  }
  switch (role) {
    case 'pupil':
      return mainLandmark('', ...dayIntro(actions), ...pupilDay(actions));
    case 'parent':
      return mainLandmark('', ...dayIntro(actions), ...parentDay(actions));
    case 'teacher':
      return mainLandmark('wide', ...dayIntro(actions), newsSlot(), teacherLessons(actions), homeworkEditor(actions));
    default:
      return mainLandmark('', ...dayIntro(actions), newsSlot(), welcomeCard());
  }
}

export function render(): void {
  const active = document.activeElement as HTMLElement | null;
  const activeId = active && active !== document.body ? active.id : '';
  let main: HTMLElement;
  switch (state.phase) {
    case 'boot':
      main = bootView();
      break;
    case 'error':
      main = errorView(actions);
      break;
    case 'signin':
      main = signinView(actions, password);
      break;
    default:
      main = appMain();
  }
  root.replaceChildren(skipLink(), header(actions), main);
  document.title = pageTitle();
  const target = pendingFocus ?? activeId;
  pendingFocus = null;
  if (target) document.getElementById(target)?.focus();
}

// --- Session

function toSignin(notice: Msg | null): void {
  generation += 1;
  // Whoever comes next on this browser must not see the day of the one leaving, even offline.
  forgetDay();
  stopRetry();
  offlineEntry = false;
  liveMod?.stop();
  docsMod = null; // its tree belongs to the user leaving
  msgMod = newsMod = null;
  newsOpen = false;
  resetUserState();
  state.phase = 'signin';
  state.signin.notice = notice;
  state.signin.error = null;
  state.signin.busy = false;
  password = '';
  focusLater('login');
  render();
}

function sessionExpired(): void {
  toSignin(() => t('errSessionExpired'));
}

async function boot(): Promise<void> {
  window.clearTimeout(bootTimer);
  state.phase = 'boot';
  render();
  try {
    const r = await api.me();
    enterApp(r.data!);
  } catch (e) {
    if (isUnauthenticated(e)) {
      toSignin(null);
      return;
    }
    if (unreachable(e) && (await enterOffline(e as ApiError))) return;
    state.phase = 'error';
    state.bootError = errorMsg(e);
    if (e instanceof ApiError && (e.status === 503 || e.status === 429) && e.retryAfter != null) {
      // Waiting room: come back when told, with a little jitter so a class does not retry at once.
      bootTimer = window.setTimeout(boot, e.retryAfter * 1000 + Math.random() * 2000);
    }
    render();
  }
}

// No answer, or the server (or a proxy) failing: what the offline copy stands in for.
function unreachable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
}

// The server cannot answer /api/me: show the service worker's copy of the day, if it holds one,
// and try the server again in the background.
async function enterOffline(cause: ApiError): Promise<boolean> {
  let r: Answer<Today>;
  try {
    r = await api.today(null);
  } catch {
    return false;
  }
  const me = copyOwner(r);
  if (!me || !r.data) return false;
  enterApp(me, r);
  if (cause.retryAfter != null) scheduleRetry(cause.retryAfter);
  return true;
}

// Back from the offline entry: the real session (or the sign-in page), else a later try.
async function resume(): Promise<void> {
  const gen = generation;
  try {
    const r = await api.me();
    if (gen === generation) enterApp(r.data!);
  } catch (e) {
    if (gen !== generation) return;
    if (isUnauthenticated(e)) return sessionExpired();
    scheduleRetry(e instanceof ApiError ? e.retryAfter : null);
  }
}

function revalidate(): void {
  if (offlineEntry) void resume();
  else void loadData();
}

// While a copy is shown: try again after Retry-After, else 5 s, 10 s, … 60 s (plus jitter).
function scheduleRetry(after: number | null): void {
  window.clearTimeout(retryTimer);
  const delay = after != null ? after * 1000 : Math.min(5000 * 2 ** retries++, 60_000);
  retryTimer = window.setTimeout(revalidate, delay + Math.random() * 1000);
}

function stopRetry(): void {
  window.clearTimeout(retryTimer);
  retries = 0;
}

function showsCopy(): boolean {
  return state.phase === 'app' && (state.offline !== null || !!state.today?.stale);
}

// The day answered: the server's (200, or 304 for what is shown) or the worker's copy.
function applyDay(r: Answer<Today>): void {
  const wasCopy = showsCopy();
  if (r.status !== 304 && r.data) {
    const firstLoad = !state.today;
    state.today = r.data;
    state.todayEtag = r.etag;
    state.offline = copyTakenAt(r);
    // Until the teacher touched it, the due date defaults to the day after the school's today.
    if (firstLoad && state.editor.id === null && !state.editor.title) state.editor.due = defaultDue();
  } else {
    state.offline = null; // the server answered: what is shown is current
  }
  state.todayError = null;
  if (!showsCopy()) return stopRetry();
  if (!wasCopy) announce(copyNotice(state.today!) ?? '');
  scheduleRetry(null);
}

function enterApp(me: Me, copy: Answer<Today> | null = null): void {
  generation += 1;
  stopRetry();
  offlineEntry = copy !== null;
  liveMod?.stop();
  docsMod = null;
  msgMod = newsMod = null;
  resetUserState();
  setCsrf(me.csrf_token);
  me.children ??= [];
  me.teaching ??= [];
  state.me = me;
  state.phase = 'app';
  state.signin = { login: '', remember: false, error: null, notice: null, busy: false };
  password = '';
  if (me.teaching.length === 1) state.editor.teaching = teachingKey(me.teaching[0].class.id, me.teaching[0].subject.id);
  state.editor.due = defaultDue();
  state.tab = tabFromHash() ?? 'today';
  if (copy) {
    // Only the day was kept: show it, nothing else can load before the server is back.
    state.tab = 'today';
    if (me.user.role === 'teacher') state.mineError = () => t('errNetwork'); // their list is not kept
    applyDay(copy);
    focusLater('main');
    render();
    return;
  }
  // Staff and administrators have nothing else on their day: the panel is open for them.
  newsOpen = me.user.role === 'staff' || me.user.role === 'admin';
  focusLater('main');
  render();
  void loadData();
  work.loadTab();
  if (state.tab === 'live') void loadLive();
  if (state.tab === 'docs') loadDocs();
  if (newsOpen) loadNews();
  lastUnreadPoll = 0;
  if (state.tab === 'messages') openMessages();
  else pollUnread();
}

function defaultDue(): string {
  return addDays(state.today?.today ?? isoDate(new Date()), 1);
}

async function loadData(): Promise<void> {
  const me = state.me;
  if (!me) return;
  const gen = generation;
  lastLoad = Date.now();
  state.todayLoading = true;
  const tasks: Promise<void>[] = [
    api.today(state.todayEtag).then(
      (r) => {
        if (gen === generation) applyDay(r);
      },
      (e) => {
        if (gen !== generation) return;
        if (isUnauthenticated(e)) throw e;
        state.todayError = errorMsg(e);
      },
    ),
  ];
  if (me.user.role === 'teacher') {
    tasks.push(
      api.myHomework().then(
        (r) => {
          if (gen !== generation) return;
          state.mine = sortHomework(r.data?.homework ?? []);
          state.mineError = null;
        },
        (e) => {
          if (gen !== generation) return;
          if (isUnauthenticated(e)) throw e;
          state.mineError = errorMsg(e);
        },
      ),
    );
  }
  try {
    await Promise.all(tasks);
  } catch (e) {
    if (gen === generation && isUnauthenticated(e)) return sessionExpired();
  }
  if (gen !== generation) return;
  state.todayLoading = false;
  render();
}

function sortHomework(list: Homework[]): Homework[] {
  return [...list].sort((x, y) => x.due_date.localeCompare(y.due_date) || x.id - y.id);
}

// --- Homework editor

const fieldOf: Record<string, FieldName> = {
  class_id: 'teaching',
  subject_id: 'teaching',
  teaching: 'teaching',
  title: 'title',
  body: 'body',
  due_date: 'due_date',
};

function editorInputOf(): HomeworkInput | null {
  const ed = state.editor;
  const errors: typeof ed.errors = {};
  const required = () => t('errRequired');
  const [classId, subjectId] = ed.teaching.split(':').map(Number);
  if (!ed.teaching || !classId || !subjectId) errors.teaching = required;
  if (!ed.title.trim()) errors.title = required;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ed.due)) errors.due_date = required;
  ed.errors = errors;
  if (Object.keys(errors).length) return null;
  return { class_id: classId, subject_id: subjectId, title: ed.title.trim(), body: ed.body, due_date: ed.due };
}

function firstInvalidField(): string {
  const order: FieldName[] = ['teaching', 'title', 'body', 'due_date'];
  const f = order.find((n) => state.editor.errors[n]);
  return f ? `hw-${f}` : 'hw-form-title';
}

async function submitEditor(): Promise<void> {
  const ed = state.editor;
  if (ed.busy) return;
  state.status = null;
  const input = editorInputOf();
  if (!input) {
    ed.errors.form = () => t('errFormInvalid');
    focusLater(firstInvalidField());
    render();
    return;
  }
  const gen = generation;
  ed.busy = true;
  render();
  try {
    const editingId = ed.id;
    // Still loading the attachments of the homework being edited: leaving the list out keeps them.
    if (!ed.files.loading) input.attachment_ids = await uploadAll(ed.files, ctx);
    const r = editingId === null ? await api.createHomework(input) : await api.updateHomework(editingId, input);
    if (gen !== generation) return;
    const saved = r.data!;
    const others = (state.mine ?? []).filter((x) => x.id !== saved.id);
    state.mine = sortHomework([...others, saved]);
    const keepTeaching = state.editor.teaching;
    state.editor = emptyEditor();
    state.editor.teaching = keepTeaching;
    state.editor.due = defaultDue();
    const done = editingId === null ? t('created') : t('updated');
    state.status = () => (editingId === null ? t('created') : t('updated'));
    announce(done);
    focusLater(editingId === null ? 'hw-title' : `hw-edit-${saved.id}`);
    render();
    void loadData(); // the day view may show it
  } catch (e) {
    if (gen !== generation) return;
    ed.busy = false;
    if (isExpired(e)) return sessionExpired();
    const errors: typeof ed.errors = {};
    const loose: string[] = [];
    if (e instanceof ApiError) {
      for (const [k, v] of Object.entries(e.fields)) {
        const f = fieldOf[k];
        if (f) errors[f] = fieldMsg(String(v));
        else loose.push(String(v));
      }
    }
    if (e instanceof ApiError && e.status === 400) {
      const extra = loose.join(' ');
      errors.form = () => [t('errFormInvalid'), extra].filter(Boolean).join(' ');
    } else {
      errors.form = failureMsg(e);
    }
    ed.errors = errors;
    focusLater(e instanceof ApiError && e.status === 400 ? firstInvalidField() : 'hw-submit');
    render();
  }
}

function startEdit(id: number): void {
  const hw = state.mine?.find((x) => x.id === id);
  if (!hw) return;
  state.confirmDeleteId = null;
  state.status = null;
  state.editor = {
    id: hw.id,
    teaching: teachingKey(hw.class.id, hw.subject.id),
    title: hw.title,
    body: hw.body ?? '',
    due: hw.due_date,
    files: { ...emptyPicked(), loading: true },
    errors: {},
    busy: false,
  };
  focusLater('hw-title');
  render();
  // The list does not carry attachments: fetch them so the editor can show and keep them.
  const ed = state.editor;
  const gen = generation;
  api.homework(id).then(
    (r) => {
      if (gen !== generation || state.editor !== ed) return;
      ed.files = emptyPicked(r.data?.attachments ?? []);
      render();
    },
    (e) => {
      if (gen !== generation || state.editor !== ed) return;
      if (isUnauthenticated(e)) return sessionExpired();
      // Attachments unknown: `loading` stays, so saving leaves attachment_ids out and keeps them.
      ed.errors.form = errorMsg(e);
      render();
    },
  );
}

function cancelEdit(): void {
  const id = state.editor.id;
  const keep = state.editor.teaching;
  state.editor = emptyEditor();
  if (state.me?.teaching.length === 1) state.editor.teaching = keep;
  state.editor.due = defaultDue();
  focusLater(id !== null && document.getElementById(`hw-edit-${id}`) ? `hw-edit-${id}` : 'hw-form-title');
  render();
}

async function confirmDelete(id: number): Promise<void> {
  if (state.rowBusyId !== null) return;
  const gen = generation;
  state.rowBusyId = id;
  state.mineError = null;
  render();
  try {
    await api.deleteHomework(id);
    if (gen !== generation) return;
    removeHomework(id);
    state.status = () => t('deleted');
    announce(t('deleted'));
    focusLater('hw-list-heading');
  } catch (e) {
    if (gen !== generation) return;
    if (isUnauthenticated(e)) return sessionExpired();
    if (e instanceof ApiError && e.status === 404) {
      removeHomework(id); // already gone: the list was stale
      focusLater('hw-list-heading');
    } else {
      focusLater(`hw-confirm-${id}`);
    }
    state.mineError = errorMsg(e);
  } finally {
    if (gen === generation) {
      state.rowBusyId = null;
      render();
    }
  }
  void loadData();
}

function removeHomework(id: number): void {
  state.mine = (state.mine ?? []).filter((x) => x.id !== id);
  state.confirmDeleteId = null;
  if (state.editor.id === id) {
    state.editor = emptyEditor();
    state.editor.due = defaultDue();
  }
}

// --- Actions handed to the views

const ctx = {
  render: () => render(),
  focus: focusLater,
  announce,
  expired: () => sessionExpired(),
  gen: () => generation,
};
const work = workspace(ctx);

export const actions: Actions = {
  ...work.actions,
  toggleLang() {
    setLang(lang === 'fr' ? 'en' : 'fr');
    focusLater('lang-switch');
    render();
  },
  live(classId, start) {
    if (location.hash !== '#direct') location.hash = '#direct';
    void loadLive().then((m) => {
      focusLater('page-title');
      m.join(classId, start);
    });
  },
  retryBoot() {
    void boot();
  },
  signInInput(field, value) {
    if (field === 'password') password = String(value);
    else if (field === 'login') state.signin.login = String(value);
    else state.signin.remember = Boolean(value);
  },
  signIn() {
    void signIn();
  },
  signOut() {
    void signOut();
  },
  refresh() {
    if (!state.todayLoading) {
      state.status = null;
      revalidate();
    }
  },
  editorInput(field, value) {
    state.editor[field] = value;
  },
  submitEditor() {
    void submitEditor();
  },
  startEdit,
  cancelEdit,
  askDelete(id) {
    state.confirmDeleteId = id;
    state.status = null;
    focusLater(`hw-confirm-${id}`);
    render();
  },
  cancelDelete() {
    const id = state.confirmDeleteId;
    state.confirmDeleteId = null;
    if (id !== null) focusLater(`hw-delete-${id}`);
    render();
  },
  confirmDelete(id) {
    void confirmDelete(id);
  },
};

async function signIn(): Promise<void> {
  const s = state.signin;
  if (s.busy) return;
  const login = s.login.trim();
  if (!login || !password) {
    s.error = () => t('errMissingCredentials');
    focusLater(login ? 'password' : 'login');
    render();
    return;
  }
  s.busy = true;
  s.error = null;
  s.notice = null;
  render();
  try {
    const r = await api.signIn(login, password, s.remember);
    setCsrf(r.data!.csrf_token);
    const me = await api.me();
    enterApp(me.data!);
  } catch (e) {
    s.busy = false;
    s.error = errorMsg(e, 'signin');
    password = '';
    focusLater(e instanceof ApiError && e.status === 401 ? 'password' : 'signin-submit');
    render();
  }
}

async function signOut(): Promise<void> {
  try {
    await api.signOut();
    toSignin(() => t('signedOut'));
  } catch (e) {
    // 401: already signed out. Anything else: say so, the cookie may still be there.
    toSignin(isUnauthenticated(e) ? () => t('signedOut') : errorMsg(e));
  }
}

export function start(el: HTMLElement): void {
  root = el;
  document.documentElement.lang = lang;
  live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  root.after(live);
  window.addEventListener('hashchange', onHashChange);
  document.addEventListener('visibilitychange', () => {
    // Coming back to the tab after a while: revalidate (a 304 when nothing changed).
    if (document.visibilityState === 'visible' && state.phase === 'app' && (Date.now() - lastLoad > 60_000 || showsCopy())) {
      revalidate();
    }
    if (document.visibilityState === 'visible') pollUnread();
  });
  window.addEventListener('focus', pollUnread);
  window.addEventListener('online', () => {
    if (showsCopy()) revalidate();
  });
  // A worker that starts controlling the page (first visit, new build) has seen neither /api/me nor
  // the day: ask both again through it, so the copy is taken now rather than at the next visit.
  registerWorker(() => {
    if (state.phase !== 'app' || offlineEntry) return;
    const gen = generation;
    void api.me().then(
      (r) => {
        if (gen !== generation) return;
        setCsrf(r.data!.csrf_token);
        void loadData();
      },
      () => undefined,
    );
  });
  void boot();
}
