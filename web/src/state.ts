import type { Copies, Evaluation, FileInfo, HandInAnswer, Homework, Me, Report, Today } from './api';

// A message computed at render time, so that it follows a language switch.
export type Msg = () => string;

export type FieldName = 'teaching' | 'title' | 'body' | 'due_date';

// Files chosen for a hand-in or a homework: those already on the server that stay, and new ones
// (uploaded on submit; `done` keeps an upload that succeeded so a retry does not send it again).
export interface Pending {
  file: File;
  progress: number; // 0..1
  done: FileInfo | null;
}
export interface Picked {
  keep: FileInfo[];
  pending: Pending[];
  loading: boolean; // the kept list is not known yet (homework being fetched)
}
export type PickTarget = 'handin' | 'editor';

// One opened homework in a pupil's or parent's day view.
export interface Detail {
  hwId: number;
  pupilId: number | null; // a parent's child; null for the pupil themself
  hw: Homework | null;
  answer: HandInAnswer | null;
  error: Msg | null;
  text: string;
  files: Picked;
  formError: Msg | null;
  busy: boolean;
}

export interface MarkDraft {
  mark: string;
  comment: string;
  error: Msg | null;
  busy: boolean;
}
export interface CopiesView {
  hwId: number;
  data: Copies | null;
  error: Msg | null;
  drafts: Record<number, MarkDraft>; // by hand-in id
}

export interface Report1 {
  data: Report | null;
  error: Msg | null;
}
export interface MarkRow {
  state: 'graded' | 'absent' | 'excused';
  value: string;
  comment: string;
}
export interface TeacherGrades {
  teaching: string;
  list: Evaluation[] | null;
  error: Msg | null;
  form: { title: string; date: string; out_of: string; coefficient: string; error: Msg | null; busy: boolean };
  open: Evaluation | null;
  rows: Record<number, MarkRow>; // by pupil id
  rowErrors: Record<number, string>;
  marksError: Msg | null;
  busy: boolean;
}

export type Tab = 'today' | 'grades' | 'agenda' | 'live' | 'docs' | 'messages';

export interface Editor {
  id: number | null; // null: creating
  teaching: string; // "<class_id>:<subject_id>" or ""
  title: string;
  body: string;
  due: string;
  files: Picked;
  errors: Partial<Record<FieldName | 'form', Msg>>;
  busy: boolean;
}

export interface State {
  phase: 'boot' | 'signin' | 'app' | 'error';
  bootError: Msg | null;
  me: Me | null;
  signin: { login: string; remember: boolean; error: Msg | null; notice: Msg | null; busy: boolean };
  today: Today | null;
  todayEtag: string | null;
  todayError: Msg | null;
  todayLoading: boolean;
  offline: string | null; // the day shown is the service worker's copy, taken then (ISO)
  mine: Homework[] | null;
  mineError: Msg | null;
  editor: Editor;
  confirmDeleteId: number | null;
  rowBusyId: number | null;
  status: Msg | null; // polite announcement (role=status)
  tab: Tab;
  detail: Detail | null;
  copies: CopiesView | null;
  reports: Record<number, Report1>; // by pupil id (0: the signed-in pupil)
  tgrades: TeacherGrades;
  calendar: { url: string | null; error: Msg | null; busy: boolean; confirm: boolean };
  // A success line shown next to what succeeded (`where` names the place), also announced.
  notice: { where: string; msg: Msg } | null;
  unread: number; // unread messages, shown on the Messages tab
}

export const emptyPicked = (keep: FileInfo[] = []): Picked => ({ keep, pending: [], loading: false });

export function emptyTeacherGrades(): TeacherGrades {
  return {
    teaching: '',
    list: null,
    error: null,
    form: { title: '', date: '', out_of: '20', coefficient: '1', error: null, busy: false },
    open: null,
    rows: {},
    rowErrors: {},
    marksError: null,
    busy: false,
  };
}

export function emptyEditor(): Editor {
  return { id: null, teaching: '', title: '', body: '', due: '', files: emptyPicked(), errors: {}, busy: false };
}

export const state: State = {
  phase: 'boot',
  bootError: null,
  me: null,
  signin: { login: '', remember: false, error: null, notice: null, busy: false },
  today: null,
  todayEtag: null,
  todayError: null,
  todayLoading: false,
  offline: null,
  mine: null,
  mineError: null,
  editor: emptyEditor(),
  confirmDeleteId: null,
  rowBusyId: null,
  status: null,
  tab: 'today',
  detail: null,
  copies: null,
  reports: {},
  tgrades: emptyTeacherGrades(),
  calendar: { url: null, error: null, busy: false, confirm: false },
  notice: null,
  unread: 0,
};

// Drops everything that belongs to the signed-in user.
export function resetUserState(): void {
  state.me = null;
  state.today = null;
  state.todayEtag = null;
  state.todayError = null;
  state.todayLoading = false;
  state.offline = null;
  state.mine = null;
  state.mineError = null;
  state.editor = emptyEditor();
  state.confirmDeleteId = null;
  state.rowBusyId = null;
  state.status = null;
  state.detail = null;
  state.copies = null;
  state.reports = {};
  state.tgrades = emptyTeacherGrades();
  state.calendar = { url: null, error: null, busy: false, confirm: false };
  state.notice = null;
  state.unread = 0;
}

// What the views may ask for; implemented in app.ts.
export interface Actions {
  toggleLang(): void;
  retryBoot(): void;
  signInInput(field: 'login' | 'password' | 'remember', value: string | boolean): void;
  signIn(): void;
  signOut(): void;
  refresh(): void;
  editorInput(field: 'teaching' | 'title' | 'body' | 'due', value: string): void;
  submitEditor(): void;
  startEdit(id: number): void;
  cancelEdit(): void;
  askDelete(id: number): void;
  cancelDelete(): void;
  confirmDelete(id: number): void;
  // hand-ins (pupil, parent)
  openHomework(hwId: number, pupilId: number | null): void;
  handInText(value: string): void;
  addFiles(target: PickTarget, files: FileList | null): void;
  removeFile(target: PickTarget, kind: 'keep' | 'pending', index: number): void;
  submitHandIn(): void;
  // copies (teacher)
  openCopies(hwId: number): void;
  markInput(handInId: number, field: 'mark' | 'comment', value: string): void;
  submitMark(handInId: number): void;
  // grades
  gradesTeaching(key: string): void;
  evalInput(field: 'title' | 'date' | 'out_of' | 'coefficient', value: string): void;
  createEvaluation(): void;
  openEvaluation(id: number | null): void;
  rowInput(pupilId: number, field: keyof MarkRow, value: string): void;
  saveMarks(): void;
  // live lesson: start (teachers) or join the lesson of a class
  live(classId: number, start: boolean): void;
  // calendar feed
  copyCalendar(): void;
  resetCalendar(step: 'ask' | 'cancel' | 'confirm'): void;
}
