import type { Homework, Me, Today } from './api';

// A message computed at render time, so that it follows a language switch.
export type Msg = () => string;

export type FieldName = 'teaching' | 'title' | 'body' | 'due_date';

export interface Editor {
  id: number | null; // null: creating
  teaching: string; // "<class_id>:<subject_id>" or ""
  title: string;
  body: string;
  due: string;
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
  mine: Homework[] | null;
  mineError: Msg | null;
  editor: Editor;
  confirmDeleteId: number | null;
  rowBusyId: number | null;
  status: Msg | null; // polite announcement (role=status)
}

export function emptyEditor(): Editor {
  return { id: null, teaching: '', title: '', body: '', due: '', errors: {}, busy: false };
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
  mine: null,
  mineError: null,
  editor: emptyEditor(),
  confirmDeleteId: null,
  rowBusyId: null,
  status: null,
};

// Drops everything that belongs to the signed-in user.
export function resetUserState(): void {
  state.me = null;
  state.today = null;
  state.todayEtag = null;
  state.todayError = null;
  state.todayLoading = false;
  state.mine = null;
  state.mineError = null;
  state.editor = emptyEditor();
  state.confirmDeleteId = null;
  state.rowBusyId = null;
  state.status = null;
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
}
