// The controller of everything beyond the day view: hand-ins, copies, grades and the calendar feed.
// app.ts hands it the few things it needs (render, focus, announcements, the session generation).
import { api, ApiError, upload, type Evaluation, type HandIn, type MarkInput } from './api';
import { errorMsg, isUnauthenticated, uploadErrorMsg } from './errors';
import { isoDate, t, type Key } from './i18n';
import { emptyPicked, type Actions, type Detail, type MarkRow, type Msg, type Picked, type PickTarget, state } from './state';

export interface Ctx {
  render(): void;
  focus(id: string): void;
  announce(text: string): void;
  expired(): void;
  gen(): number;
}

export const MAX_FILES = 10;

// A failed upload, remembering which file it was so that the message can name it.
class UploadFailure extends Error {
  constructor(
    readonly cause: unknown,
    readonly fileName: string,
  ) {
    super('upload failed');
  }
}

// Uploads the files still pending, one after the other (progress shown per file), and returns
// every id to send: those kept, then the new ones, in order.
export async function uploadAll(p: Picked, c: Pick<Ctx, 'render'>): Promise<number[]> {
  for (const item of p.pending) {
    if (item.done) continue;
    try {
      item.done = await upload(item.file, (x) => {
        item.progress = x;
        c.render();
      });
    } catch (e) {
      item.progress = 0;
      throw new UploadFailure(e, item.file.name);
    }
  }
  return [...p.keep.map((f) => f.id), ...p.pending.map((x) => x.done!.id)];
}

export function failureMsg(e: unknown): Msg {
  return e instanceof UploadFailure ? uploadErrorMsg(e.cause, e.fileName) : errorMsg(e);
}

export function isExpired(e: unknown): boolean {
  return isUnauthenticated(e) || (e instanceof UploadFailure && isUnauthenticated(e.cause));
}

export const pickIds = (target: PickTarget) => `${target}-files`;

// Adds the files chosen in a file input to `p`, at most MAX_FILES in all; false when some were left out.
export function addPicked(p: Picked, list: FileList | null): boolean {
  for (const file of Array.from(list ?? [])) p.pending.push({ file, progress: 0, done: null });
  const extra = p.keep.length + p.pending.length - MAX_FILES;
  if (extra > 0) p.pending.splice(p.pending.length - extra, extra);
  return extra <= 0;
}

type WorkActions = Pick<
  Actions,
  | 'openHomework'
  | 'handInText'
  | 'addFiles'
  | 'removeFile'
  | 'submitHandIn'
  | 'openCopies'
  | 'markInput'
  | 'submitMark'
  | 'gradesTeaching'
  | 'evalInput'
  | 'createEvaluation'
  | 'openEvaluation'
  | 'rowInput'
  | 'saveMarks'
  | 'copyCalendar'
  | 'resetCalendar'
>;

export function workspace(c: Ctx): { actions: WorkActions; loadTab(): void } {
  // Runs one API call; drops its answer when the session changed meanwhile, sends a 401 to the
  // sign-in screen, and re-renders after `ok` or `fail`.
  async function call<T>(p: Promise<T>, ok: (v: T) => void, fail: (e: unknown) => void): Promise<void> {
    const gen = c.gen();
    try {
      const v = await p;
      if (gen !== c.gen()) return;
      ok(v);
    } catch (e) {
      if (gen !== c.gen()) return;
      if (isExpired(e)) return c.expired();
      fail(e);
    }
    c.render();
  }

  function done(where: string, key: Key): void {
    state.notice = { where, msg: () => t(key) };
    c.announce(t(key));
  }

  // --- A pupil's hand-in, a parent's view of it

  function openHomework(hwId: number, pupilId: number | null): void {
    const d = state.detail;
    state.notice = null;
    if (d && d.hwId === hwId && d.pupilId === pupilId) {
      state.detail = null;
      c.render();
      return;
    }
    const detail: Detail = {
      hwId,
      pupilId,
      hw: null,
      answer: null,
      error: null,
      text: '',
      files: emptyPicked(),
      formError: null,
      busy: false,
    };
    state.detail = detail;
    c.render();
    void call(
      Promise.all([api.homework(hwId), api.handIn(hwId, pupilId)]),
      ([hw, hi]) => {
        detail.hw = hw.data;
        detail.answer = hi.data;
        detail.text = hi.data?.hand_in?.text ?? '';
        detail.files = emptyPicked(hi.data?.hand_in?.files ?? []);
      },
      (e) => {
        detail.error = errorMsg(e);
      },
    );
  }

  function picked(target: PickTarget): Picked | null {
    return target === 'editor' ? state.editor.files : (state.detail?.files ?? null);
  }

  function setPickError(target: PickTarget, msg: Msg | null): void {
    if (target === 'editor') state.editor.errors.form = msg ?? undefined;
    else if (state.detail) state.detail.formError = msg;
  }

  async function submitHandIn(): Promise<void> {
    const d = state.detail;
    if (!d || d.busy || !d.answer) return;
    state.notice = null;
    const count = d.files.keep.length + d.files.pending.length;
    d.formError = !d.text.trim() && !count ? () => t('errHandInEmpty') : count > MAX_FILES ? () => t('errTooManyFiles') : null;
    if (d.formError) {
      c.focus('handin-error');
      c.render();
      return;
    }
    d.busy = true;
    c.render();
    const gen = c.gen();
    try {
      const ids = await uploadAll(d.files, c);
      const r = await api.putHandIn(d.hwId, d.text, ids);
      if (gen !== c.gen()) return;
      const hi = r.data!;
      d.answer = { ...d.answer, hand_in: hi };
      d.files = emptyPicked(hi.files);
      d.text = hi.text;
      done('handin', 'handedIn');
      c.focus('handin-state');
    } catch (e) {
      if (gen !== c.gen()) return;
      if (isExpired(e)) return c.expired();
      d.formError = failureMsg(e);
      c.focus('handin-error');
      // Marked meanwhile: show the mark instead of a form that can no longer be sent.
      if (e instanceof ApiError && e.status === 409) {
        const again = await api.handIn(d.hwId, d.pupilId).catch(() => null);
        if (again?.data && gen === c.gen()) d.answer = again.data;
      }
    }
    d.busy = false;
    c.render();
  }

  // --- A teacher's copies

  function openCopies(hwId: number): void {
    state.notice = null;
    if (state.copies?.hwId === hwId) {
      state.copies = null;
      c.render();
      return;
    }
    const view = { hwId, data: null, error: null, drafts: {} } as NonNullable<typeof state.copies>;
    state.copies = view;
    c.render();
    void call(
      api.copies(hwId),
      (r) => {
        view.data = r.data;
        for (const p of r.data?.pupils ?? []) {
          const hi = p.hand_in;
          if (hi) view.drafts[hi.id] = { mark: hi.mark ?? '', comment: hi.comment ?? '', error: null, busy: false };
        }
      },
      (e) => {
        view.error = errorMsg(e);
      },
    );
  }

  function submitMark(id: number): void {
    const view = state.copies;
    const draft = view?.drafts[id];
    if (!view || !draft || draft.busy) return;
    state.notice = null;
    if (!draft.mark.trim()) {
      draft.error = () => t('errRequired');
      c.focus(`mark-${id}`);
      c.render();
      return;
    }
    draft.busy = true;
    draft.error = null;
    c.render();
    void call(
      api.mark(id, draft.mark.trim(), draft.comment),
      (r) => {
        draft.busy = false;
        replaceHandIn(r.data!);
        done(`mark-${id}`, 'markSaved');
      },
      (e) => {
        draft.busy = false;
        draft.error = errorMsg(e);
        c.focus(`mark-${id}`);
      },
    );
  }

  function replaceHandIn(hi: HandIn): void {
    const data = state.copies?.data;
    if (!data) return;
    const row = data.pupils.find((p) => p.hand_in?.id === hi.id);
    if (row) {
      if (!row.hand_in!.mark) data.counts.marked += 1;
      row.hand_in = hi;
    }
  }

  // --- Grades

  function loadGrades(): void {
    const me = state.me!;
    if (me.user.role === 'teacher') {
      const tg = state.tgrades;
      if (!tg.teaching && me.teaching.length) {
        const first = me.teaching[0];
        tg.teaching = `${first.class.id}:${first.subject.id}`;
      }
      if (tg.teaching) loadEvaluations();
      return;
    }
    const ids = me.user.role === 'parent' ? me.children.map((ch) => ch.id) : [0];
    for (const id of ids) {
      const slot = (state.reports[id] ??= { data: null, error: null });
      void call(
        api.grades(id || null),
        (r) => {
          slot.data = r.data;
          slot.error = null;
        },
        (e) => {
          slot.error = errorMsg(e);
        },
      );
    }
  }

  function loadEvaluations(): void {
    const tg = state.tgrades;
    const key = tg.teaching;
    const [classId, subjectId] = key.split(':').map(Number);
    void call(
      api.evaluations(classId, subjectId),
      (r) => {
        if (tg.teaching !== key) return;
        tg.list = r.data?.evaluations ?? [];
        tg.error = null;
      },
      (e) => {
        tg.error = errorMsg(e);
      },
    );
  }

  const num = (s: string): number | null => {
    const v = s.trim().replace(',', '.');
    return /^\d+(\.\d{1,2})?$/.test(v) ? Number(v) : null;
  };

  function createEvaluation(): void {
    const tg = state.tgrades;
    const f = tg.form;
    if (f.busy) return;
    state.notice = null;
    const [classId, subjectId] = tg.teaching.split(':').map(Number);
    const outOf = num(f.out_of);
    const coef = num(f.coefficient);
    const date = f.date || isoDate(new Date());
    if (!f.title.trim() || !classId) f.error = () => t('errRequired');
    else if (!outOf || !coef) f.error = () => t('errNumber');
    else f.error = null;
    if (f.error) {
      c.focus('ev-error');
      c.render();
      return;
    }
    f.busy = true;
    c.render();
    void call(
      api.createEvaluation({ class_id: classId, subject_id: subjectId, title: f.title.trim(), date, out_of: outOf!, coefficient: coef! }),
      (r) => {
        f.busy = false;
        f.title = '';
        const ev = r.data!;
        tg.list = [...(tg.list ?? []), ev].sort((x, y) => x.date.localeCompare(y.date) || x.id - y.id);
        done('eval', 'evalCreated');
        openEvaluation(ev.id);
      },
      (e) => {
        f.busy = false;
        const fields = e instanceof ApiError ? Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`) : [];
        const base = errorMsg(e);
        f.error = fields.length ? () => `${t('errFormInvalid')} ${fields.join(' ; ')}` : base;
        c.focus('ev-error');
      },
    );
  }

  function showEvaluation(ev: Evaluation): void {
    const tg = state.tgrades;
    tg.open = ev;
    tg.rows = {};
    tg.rowErrors = {};
    for (const m of ev.marks ?? []) {
      tg.rows[m.pupil.id] = {
        state: m.state ?? 'graded',
        value: m.value == null ? '' : String(m.value),
        comment: m.comment ?? '',
      };
    }
    if (tg.list) tg.list = tg.list.map((x) => (x.id === ev.id ? { ...x, class_average: ev.class_average } : x));
  }

  function openEvaluation(id: number | null): void {
    const tg = state.tgrades;
    tg.marksError = null;
    if (id === null || tg.open?.id === id) {
      const was = tg.open?.id;
      tg.open = null;
      if (was) c.focus(`ev-open-${was}`);
      c.render();
      return;
    }
    void call(
      api.evaluation(id),
      (r) => {
        showEvaluation(r.data!);
        c.focus('marks-title');
      },
      (e) => {
        tg.error = errorMsg(e);
      },
    );
  }

  function saveMarks(): void {
    const tg = state.tgrades;
    const ev = tg.open;
    if (!ev || tg.busy) return;
    state.notice = null;
    const sent: MarkInput[] = [];
    const errors: Record<number, string> = {};
    for (const m of ev.marks ?? []) {
      const row = tg.rows[m.pupil.id];
      if (!row) continue;
      if (row.state !== 'graded') {
        sent.push({ pupil_id: m.pupil.id, state: row.state, value: null, comment: row.comment });
      } else if (row.value.trim()) {
        const v = num(row.value);
        if (v === null || v > ev.out_of) errors[m.pupil.id] = t('errNumber');
        else sent.push({ pupil_id: m.pupil.id, state: 'graded', value: v, comment: row.comment });
      }
    }
    tg.rowErrors = errors;
    const firstBad = Object.keys(errors)[0];
    if (firstBad) {
      tg.marksError = () => t('errMarks');
      c.focus(`mk-value-${firstBad}`);
      c.render();
      return;
    }
    tg.busy = true;
    tg.marksError = null;
    c.render();
    void call(
      api.putMarks(ev.id, sent),
      (r) => {
        tg.busy = false;
        showEvaluation(r.data!);
        done('marks', 'marksSaved');
      },
      (e) => {
        tg.busy = false;
        // "marks[3].value": "must be at most 20" → the fourth row sent.
        if (e instanceof ApiError) {
          for (const [k, v] of Object.entries(e.fields)) {
            const i = /^marks\[(\d+)\]/.exec(k);
            const row = i ? sent[Number(i[1])] : undefined;
            if (row) tg.rowErrors[row.pupil_id] = String(v);
          }
        }
        tg.marksError = e instanceof ApiError && e.status === 400 ? () => t('errMarks') : errorMsg(e);
        c.focus('marks-error');
      },
    );
  }

  // --- Calendar feed

  function loadCalendar(): void {
    if (state.calendar.url) return;
    void call(
      api.calendar(),
      (r) => {
        state.calendar.url = r.data!.url;
        state.calendar.error = null;
      },
      (e) => {
        state.calendar.error = errorMsg(e);
      },
    );
  }

  const actions: WorkActions = {
    openHomework,
    handInText(value) {
      if (state.detail) state.detail.text = value;
    },
    addFiles(target, list) {
      const p = picked(target);
      if (!p || !list) return;
      setPickError(target, addPicked(p, list) ? null : () => t('errTooManyFiles'));
      c.focus(pickIds(target));
      c.render();
    },
    removeFile(target, kind, index) {
      const p = picked(target);
      if (!p) return;
      (kind === 'keep' ? p.keep : p.pending).splice(index, 1);
      c.focus(pickIds(target));
      c.render();
    },
    submitHandIn() {
      void submitHandIn();
    },
    openCopies,
    markInput(id, field, value) {
      const d = state.copies?.drafts[id];
      if (d) d[field] = value;
    },
    submitMark,
    gradesTeaching(key) {
      state.tgrades = { ...state.tgrades, teaching: key, list: null, open: null, error: null };
      state.notice = null;
      c.render();
      if (key) loadEvaluations();
    },
    evalInput(field, value) {
      state.tgrades.form[field] = value;
    },
    createEvaluation,
    openEvaluation,
    rowInput(pupilId, field, value) {
      const row = state.tgrades.rows[pupilId];
      if (!row) return;
      (row as unknown as Record<keyof MarkRow, string>)[field] = value;
      if (field === 'state') c.render(); // the mark field follows the state
    },
    saveMarks,
    copyCalendar() {
      const url = state.calendar.url;
      if (!url) return;
      const full = location.origin + url;
      const failed = () => {
        // No clipboard (plain HTTP, denied): select the text so that a copy shortcut works.
        const input = document.getElementById('cal-url') as HTMLInputElement | null;
        input?.focus();
        input?.select();
        done('calendar', 'copyFailed');
      };
      const cb = navigator.clipboard;
      if (!cb) return failed();
      cb.writeText(full).then(
        () => {
          done('calendar', 'linkCopied');
          c.render();
        },
        () => {
          failed();
          c.render();
        },
      );
    },
    resetCalendar(step) {
      const cal = state.calendar;
      state.notice = null;
      if (step === 'ask' || step === 'cancel') {
        cal.confirm = step === 'ask';
        c.focus(step === 'ask' ? 'cal-reset-yes' : 'cal-reset');
        c.render();
        return;
      }
      if (cal.busy) return;
      cal.busy = true;
      c.render();
      void call(
        api.resetCalendar(),
        (r) => {
          cal.busy = false;
          cal.confirm = false;
          cal.url = r.data!.url;
          cal.error = null;
          done('calendar', 'linkReset');
          c.focus('cal-url');
        },
        (e) => {
          cal.busy = false;
          cal.error = errorMsg(e);
        },
      );
    },
  };

  return {
    actions,
    loadTab() {
      if (state.tab === 'grades') loadGrades();
      else if (state.tab === 'agenda') loadCalendar();
    },
  };
}
