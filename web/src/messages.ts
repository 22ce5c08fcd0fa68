// "Messages" (lazy chunk): the caller's conversations, one conversation at a time, replies and new
// conversations with attachments (docs/api.md, "Messages"). Like "Documents", it repaints only its
// own part of the page; app.ts polls the unread count and asks it to refresh when that changes.
import { ApiError, type FileInfo, type Me, type Person, request, type Role } from './api';
import { h, loadOnFirstView, repaint } from './dom';
import { isUnauthenticated } from './errors';
import { formatClock, lang, t, type Key } from './i18n';
import { emptyPicked, type Msg, type Picked } from './state';
import { fileLinks, picker, type PickOps } from './views/files';
import { countBadge, errorBox, fullName } from './views/shell';
import { addPicked, failureMsg, isExpired, uploadAll } from './workspace';

interface Contact extends Person {
  role: Role;
}
interface Conversation {
  id: number;
  subject: string;
  created_by: Person;
  last_message_id: number;
  last_message_at: string;
  participant_count?: number;
  unread?: number;
  others?: Person[]; // the first participants besides the reader
}
interface Message {
  id: number;
  author: Person;
  body: string;
  created_at: string;
  attachments: FileInfo[];
}
// "Mme Durand, M. Petit and 3 more": the list's answer to "who is this with?".
function withWhom(c: Conversation): string {
  const names = (c.others ?? []).map(fullName).join(', ');
  const more = (c.participant_count ?? 2) - 1 - (c.others?.length ?? 0);
  return more > 0 ? t('msgAndMore', { names, n: more }) : names;
}

interface Thread extends Conversation {
  participants: Contact[];
  last_read_message_id: number;
  messages: Message[];
  next_before: number | null;
}
export interface MessagesCtx {
  me(): Me | null;
  announce(text: string): void;
  expired(): void;
  setUnread(n: number): void;
}

// A small page: a phone shows it without much scrolling, and older ones come on demand.
const PAGE = 20;
const MAX_TO = 19;
const SHOWN_CONTACTS = 12;
const roleKey: Record<Role, Key> = { pupil: 'rolePupil', teacher: 'roleTeacher', parent: 'roleParent', staff: 'roleStaff', admin: 'roleAdmin' };

// "08:45" today, "23 nov." before: a list row has little room.
function when(iso: string): string {
  const d = new Date(iso);
  const loc = lang === 'fr' ? 'fr-FR' : 'en-GB';
  return d.toDateString() === new Date().toDateString()
    ? formatClock(d)
    : d.toLocaleDateString(loc, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function createMessages(ctx: MessagesCtx) {
  let list: Conversation[] | null = null;
  let listError: Msg | null = null;
  let view: 'none' | 'thread' | 'new' = 'none';
  let thread: Thread | null = null;
  let threadError: Msg | null = null;
  let olderBusy = false;
  let notice: Msg | null = null;
  // The composer, for a reply or a new conversation (switching clears it).
  let subject = '';
  let body = '';
  let files: Picked = emptyPicked();
  let to: Contact[] = [];
  let formError: Msg | null = null;
  let busy = false;
  let query = '';
  let found: { list: Contact[]; truncated: boolean } | null = null;
  let searchTimer: number | undefined;
  let gen = 0; // bumped when another conversation opens: late answers are dropped
  const root = h('div', { class: 'msgs' });
  const meId = () => ctx.me()?.user.id ?? 0;

  function fail(e: unknown): Msg | null {
    if (isExpired(e)) {
      ctx.expired();
      return null;
    }
    if (!(e instanceof ApiError)) return failureMsg(e);
    const n = e.retryAfter;
    if (e.status === 429) return () => (n != null ? t('msgErrRate', { n }) : t('msgErrRateLater'));
    if (e.status === 413 && e.code === 'body_too_large') return () => t('msgErrTooLarge');
    if (e.status === 404) return () => t('msgErrGone');
    const refused = /(\d+)/.exec(e.fields.participant_ids ?? '');
    if (e.status === 403 && refused) {
      const who = to.find((c) => c.id === Number(refused[1]));
      return () => t('msgErrRecipient', { name: who ? fullName(who) : refused[1] });
    }
    if (e.status === 400 && e.fields.body) return () => t('msgErrBody');
    if (e.status === 400 && e.fields.subject) return () => t('msgErrSubject');
    return failureMsg(e);
  }

  async function loadList(): Promise<void> {
    try {
      const r = await request<{ conversations: Conversation[]; unread: number }>('GET', '/api/conversations');
      list = r.data?.conversations ?? [];
      listError = null;
      ctx.setUnread(r.data?.unread ?? 0);
    } catch (e) {
      listError = fail(e);
    }
  }

  // Marks the conversation read up to its newest message, when anything in it is unread.
  async function markRead(th: Thread): Promise<void> {
    const last = th.messages[th.messages.length - 1];
    if (!last || last.id <= th.last_read_message_id) return;
    th.last_read_message_id = last.id;
    const row = list?.find((c) => c.id === th.id);
    if (row) row.unread = 0;
    try {
      const r = await request<{ unread: number }>('POST', `/api/conversations/${th.id}/read`, { up_to: last.id });
      ctx.setUnread(r.data?.unread ?? 0);
    } catch (e) {
      if (isUnauthenticated(e)) ctx.expired();
      // Otherwise the mark stays behind: the next refresh tries again.
    }
  }

  function reset(): void {
    subject = body = query = '';
    files = emptyPicked();
    to = [];
    formError = null;
    notice = null;
    found = null;
    busy = false;
  }

  async function openThread(id: number): Promise<void> {
    const g = ++gen;
    reset();
    view = 'thread';
    threadError = null;
    thread = null;
    paint('msg-thread-title');
    try {
      const r = await request<Thread>('GET', `/api/conversations/${id}?limit=${PAGE}`);
      if (g !== gen) return;
      thread = r.data;
    } catch (e) {
      if (g !== gen) return;
      threadError = fail(e);
    }
    paint('msg-thread-title');
    if (thread) {
      await markRead(thread);
      paint();
    }
  }

  async function older(): Promise<void> {
    const th = thread;
    if (!th || th.next_before === null || olderBusy) return;
    olderBusy = true;
    paint();
    try {
      const r = await request<Thread>('GET', `/api/conversations/${th.id}?limit=${PAGE}&before=${th.next_before}`);
      if (thread !== th || !r.data) return;
      const first = r.data.messages[r.data.messages.length - 1];
      th.messages = [...r.data.messages, ...th.messages];
      th.next_before = r.data.next_before;
      olderBusy = false;
      // The last of the page just shown, so reading goes on upwards from where it was.
      paint(th.next_before !== null ? 'msg-older' : first ? `msg-${first.id}` : 'msg-thread-title');
      return;
    } catch (e) {
      threadError = fail(e);
    }
    olderBusy = false;
    paint();
  }

  // New messages in the opened conversation (after a poll saw the unread count move): the newest
  // page, added after what is shown, said aloud when written by others.
  async function catchUp(): Promise<void> {
    const th = thread;
    if (!th) return;
    const shown = th.messages[th.messages.length - 1]?.id ?? 0;
    const row = list?.find((c) => c.id === th.id);
    if (row && row.last_message_id <= shown) return;
    try {
      const r = await request<Thread>('GET', `/api/conversations/${th.id}?limit=${PAGE}`);
      if (thread !== th || !r.data) return;
      const fresh = r.data.messages.filter((m) => m.id > shown);
      // More new ones than a page: start again from the newest page rather than leave a gap.
      if (fresh.length === r.data.messages.length && r.data.next_before !== null) {
        th.messages = r.data.messages;
        th.next_before = r.data.next_before;
      } else th.messages = [...th.messages, ...fresh];
      for (const m of fresh) {
        if (m.author.id !== meId()) ctx.announce(t('msgIncoming', { name: fullName(m.author), body: m.body.slice(0, 140) }));
      }
      await markRead(th);
    } catch (e) {
      if (isUnauthenticated(e)) ctx.expired();
    }
  }

  async function send(): Promise<void> {
    if (busy) return;
    const creating = view === 'new';
    notice = null;
    formError = creating && !to.length ? () => t('msgErrNoRecipient')
      : creating && !subject.trim() ? () => t('msgErrSubject')
      : !body.trim() ? () => t('msgErrBody') : null;
    if (formError) return paint('msg-error');
    busy = true;
    paint();
    const th = thread;
    const g = gen;
    try {
      const attachment_ids = await uploadAll(files, { render: () => paint() });
      if (creating) {
        const r = await request<Thread>('POST', '/api/conversations', { subject: subject.trim(), participant_ids: to.map((c) => c.id), body, attachment_ids });
        if (g !== gen) return;
        ++gen;
        reset();
        thread = r.data;
        view = 'thread';
      } else if (th) {
        const r = await request<Message>('POST', `/api/conversations/${th.id}/messages`, { body, attachment_ids });
        if (thread !== th || !r.data) return;
        th.messages = [...th.messages, r.data];
        th.last_read_message_id = r.data.id; // writing marks it read
        body = '';
        files = emptyPicked();
      }
      busy = false;
      notice = () => t('msgSent');
      ctx.announce(t('msgSent'));
      await loadList();
      paint(creating ? 'msg-thread-title' : 'msg-body');
    } catch (e) {
      busy = false;
      if (g !== gen) return;
      formError = fail(e);
      paint('msg-error');
    }
  }

  function search(q: string): void {
    query = q;
    window.clearTimeout(searchTimer);
    // A request per pause in typing, not per key.
    searchTimer = window.setTimeout(async () => {
      try {
        const r = await request<{ contacts: Contact[]; truncated: boolean }>('GET', `/api/contacts?q=${encodeURIComponent(q.trim())}`);
        if (query !== q || view !== 'new') return;
        found = { list: r.data?.contacts ?? [], truncated: !!r.data?.truncated };
      } catch (e) {
        formError = fail(e);
      }
      paint();
    }, q ? 250 : 0);
  }

  function startNew(): void {
    ++gen;
    reset();
    view = 'new';
    thread = null;
    paint('msg-new-title');
    search('');
  }

  function back(): void {
    const id = thread?.id;
    ++gen;
    reset();
    view = 'none';
    thread = null;
    paint(id ? `conv-${id}` : 'msg-new');
  }

  // --- Views

  function convList(): HTMLElement {
    return h('section', { class: 'card conv-pane', 'aria-labelledby': 'msg-list-title' },
      h('h2', { id: 'msg-list-title' }, t('msgConversations')),
      errorBox(listError),
      list === null ? !listError && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'))
        : !list.length ? h('p', { class: 'empty' }, t('msgNone'))
        : h('ul', { class: 'conv-list' }, list.map((c) => {
            const current = thread?.id === c.id && view === 'thread';
            return h('li', { 'data-conversation-id': String(c.id), class: c.unread ? 'unread' : undefined },
              h('button', { type: 'button', id: `conv-${c.id}`, class: 'conv', 'aria-current': current ? 'true' : undefined, onClick: () => void openThread(c.id) },
                h('span', { class: 'conv-subject' }, c.subject, countBadge(c.unread ?? 0)),
                h('span', { class: 'meta' }, t('msgMeta', { names: withWhom(c), when: when(c.last_message_at) }))));
          })));
  }

  const backButton = () => h('button', { type: 'button', id: 'msg-back', class: 'small back', onClick: back }, h('span', { 'aria-hidden': 'true' }, '← '), t('msgBack'));

  const ops: PickOps = {
    add(list) {
      formError = addPicked(files, list) ? null : () => t('errTooManyFiles');
      paint('msg-files');
    },
    remove(kind, i) {
      (kind === 'keep' ? files.keep : files.pending).splice(i, 1);
      paint('msg-files');
    },
  };

  function composer(creating: boolean): HTMLElement {
    const text = (ev: Event) => (ev.target as HTMLInputElement).value;
    return h('form', { id: 'msg-form', class: 'form composer', novalidate: true, 'aria-labelledby': creating ? 'msg-new-title' : 'msg-reply-label',
        onSubmit: (ev: Event) => (ev.preventDefault(), void send()) },
      errorBox(formError, 'msg-error'),
      creating && recipients(),
      creating && h('div', { class: 'field' },
        h('label', { for: 'msg-subject' }, t('msgSubject')),
        h('input', { id: 'msg-subject', type: 'text', maxlength: '200', autocomplete: 'off', value: subject, onInput: (ev: Event) => (subject = text(ev)) })),
      h('div', { class: 'field' },
        h('label', { for: 'msg-body', id: 'msg-reply-label' }, t(creating ? 'msgBody' : 'msgReply')),
        h('textarea', { id: 'msg-body', rows: '4', maxlength: '10000', value: body, onInput: (ev: Event) => (body = text(ev)) })),
      picker(ops, 'msg-files', files, busy, t('msgAttach')),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'msg-send', class: 'primary', 'aria-disabled': busy ? 'true' : undefined }, busy ? t('sending') : t('send')),
        notice && h('p', { class: 'status-line' }, notice())));
  }

  function recipients(): HTMLElement {
    const shown = (found?.list ?? []).filter((c) => !to.some((x) => x.id === c.id));
    const person = (c: Contact) => [fullName(c), h('span', { class: 'meta' }, ` · ${t(roleKey[c.role] ?? 'rolePupil')}`)];
    return h('fieldset', { class: 'recipients' },
      h('legend', null, t('msgTo')),
      to.length
        ? h('ul', { class: 'chosen', id: 'msg-to' }, to.map((c, i) => h('li', { 'data-person-id': String(c.id) }, person(c),
            h('button', { type: 'button', class: 'small', id: `msg-to-remove-${c.id}`, onClick: () => (to.splice(i, 1), paint('msg-search')) },
              t('removeFile'), h('span', { class: 'sr-only' }, ` ${fullName(c)}`)))))
        : h('p', { class: 'empty', id: 'msg-to' }, t('msgToNone')),
      h('div', { class: 'field' },
        h('label', { for: 'msg-search' }, t('msgSearch')),
        h('input', { id: 'msg-search', type: 'search', maxlength: '100', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'msg-search-hint', value: query,
          onInput: (ev: Event) => search((ev.target as HTMLInputElement).value) }),
        h('p', { class: 'hint', id: 'msg-search-hint' }, t('msgSearchHint'))),
      found === null ? h('p', { class: 'loading' }, t('loading'))
        : !shown.length ? h('p', { class: 'empty' }, t('msgNoContact'))
        : h('ul', { class: 'contacts', 'aria-label': t('msgSearch') }, shown.slice(0, SHOWN_CONTACTS).map((c) =>
            h('li', null, h('button', { type: 'button', class: 'small', id: `contact-${c.id}`, 'data-person-id': String(c.id),
              onClick: () => {
                if (to.length >= MAX_TO) formError = () => t('msgErrTooManyTo');
                else to.push(c);
                paint('msg-search');
              } }, h('span', { class: 'sr-only' }, `${t('msgAdd')} `), person(c))))),
      found && (found.truncated || shown.length > SHOWN_CONTACTS) && h('p', { class: 'hint' }, t('msgMoreContacts')));
  }

  function threadView(): HTMLElement {
    const th = thread;
    const others = th?.participants.filter((p) => p.id !== meId()) ?? [];
    return h('section', { class: 'card thread', 'aria-labelledby': 'msg-thread-title' },
      backButton(),
      h('h2', { id: 'msg-thread-title', tabindex: '-1' }, th ? th.subject : t('loading')),
      errorBox(threadError),
      th && h('p', { class: 'meta' }, t('msgWith', { names: others.map(fullName).join(', ') })),
      th && th.next_before !== null &&
        h('button', { type: 'button', id: 'msg-older', class: 'small', 'aria-disabled': olderBusy ? 'true' : undefined, onClick: () => void older() }, olderBusy ? t('loading') : t('msgOlder')),
      th && h('ol', { class: 'msg-list', id: 'msg-list' }, th.messages.map((m) => {
        const mine = m.author.id === meId();
        return h('li', { class: mine ? 'msg mine' : 'msg', id: `msg-${m.id}`, tabindex: '-1', 'data-message-id': String(m.id) },
          h('p', { class: 'msg-head' }, h('span', { class: 'msg-author' }, mine ? t('msgYou') : fullName(m.author)), ' · ',
            h('time', { datetime: m.created_at }, when(m.created_at))),
          h('p', { class: 'msg-body' }, m.body),
          fileLinks(m.attachments, t('attachments')));
      })),
      th && composer(false));
  }

  function newView(): HTMLElement {
    return h('section', { class: 'card thread', 'aria-labelledby': 'msg-new-title' },
      backButton(),
      h('h2', { id: 'msg-new-title', tabindex: '-1' }, t('msgNew')),
      composer(true));
  }

  function paint(focusId?: string): void {
    root.className = view === 'none' ? 'msgs' : 'msgs has-open';
    repaint(root, focusId,
      h('div', { class: 'actions msgs-head' }, h('button', { type: 'button', id: 'msg-new', class: 'primary', onClick: startNew }, t('msgNew'))),
      h('div', { class: 'msgs-grid' },
        convList(),
        view === 'thread' ? threadView() : view === 'new' ? newView() : h('p', { class: 'empty msgs-pick' }, t('msgPick'))));
  }

  return {
    view: loadOnFirstView(root, () => paint(), loadList),
    // The unread count moved, or the tab was opened again: the list, and the opened conversation.
    async refresh(): Promise<void> {
      await loadList();
      await catchUp();
      paint();
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
