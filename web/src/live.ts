// The live lesson (docs/live.md): loaded on demand with import() so that the day view does not pay
// for it. It keeps its own state and repaints its own part of the page: a message from the room
// must not rebuild the whole app (nor the whiteboard's canvas while someone is drawing on it).
import { ApiError, type Me, type Person, request, type Role } from './api';
import { h } from './dom';
import { errorText, isUnauthenticated } from './errors';
import { formatClock, t, type Key } from './i18n';
import { type Msg } from './state';
import { fullName } from './views/shell';
import { Board, type Stroke } from './board';
import { Slides } from './slides';

export interface LiveCtx {
  me(): Me | null;
  render(): void; // the whole app (after joining/leaving: headings and tabs may change)
  announce(text: string): void;
  expired(): void;
}

interface Member {
  person: Person;
  role: Role;
  leads: boolean;
}
interface ChatLine {
  seq: number;
  from: Person;
  text: string;
}
interface Poll {
  id: number;
  question: string;
  choices: string[];
  closed: boolean;
  you: number | null;
  results: { counts: number[]; answers: number } | null;
}
interface Room {
  id: number;
  class: { id: number; name: string };
  teacher: Person;
}
// Waiting for the teacher (docs/live.md, "The lobby"): the class, the teacher's word, when it is due.
interface LobbyState {
  class: { id: number; name: string };
  message: string;
  starts_at: number | null;
}
type Phase = 'idle' | 'joining' | 'lobby' | 'open' | 'reconnecting' | 'ended';

// Client side of the server's limit (5 messages a second, bursts of 20): queue rather than be refused.
const RATE = 5;
const BURST = 20;

export function createLive(ctx: LiveCtx) {
  let phase: Phase = 'idle';
  let classId = 0;
  let room: Room | null = null;
  let lobby: LobbyState | null = null;
  const lobbyWords = new Map<number, string>(); // a teacher's draft message, by class
  let lobbyNotice: Msg | null = null;
  let you: Member | null = null;
  let members: Member[] = [];
  let hands: number[] = [];
  let floor = 0;
  let muted: number[] = [];
  let chat: ChatLine[] = [];
  let drawers: number[] = [];
  let polls: Poll[] = [];
  let error: Msg | null = null; // a refused join, shown until the next attempt
  let flash: Msg | null = null; // an `error` frame, shown a few seconds
  let flashTimer: number | undefined;
  let confirmEnd = false;
  let chatText = '';
  let pollQ = '';
  let pollChoices = '';
  let pollError: Msg | null = null;

  let ws: WebSocket | null = null;
  let session = 0; // bumped on every join/leave: late events of an older socket are dropped
  let attempts = 0;
  let retryTimer: number | undefined;
  let queue: string[] = [];
  let tokens = BURST;
  let lastRefill = Date.now();
  let pumpTimer: number | undefined;

  const root = h('div', { class: 'live' });
  const chatLog = h('div', { class: 'chat-log', id: 'chat-log', role: 'log', tabindex: '0', 'aria-labelledby': 'chat-heading' });
  const rendered = new Map<number, HTMLElement>(); // chat lines in chatLog, by seq
  const board = new Board((s) => send({ type: 'stroke', ...s }));
  const slides = new Slides({
    send: (msg) => send(msg),
    // Not queued behind the chat's pace: the server gives the laser its own allowance.
    laser: (msg) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg)),
    announce: (text) => ctx.announce(text),
    expired: () => ctx.expired(),
  });

  const isLead = () => !!you?.leads;
  const meId = () => you?.person.id ?? 0;
  const canDraw = () => isLead() || drawers.includes(meId());
  const nameOf = (id: number) => {
    const m = members.find((x) => x.person.id === id);
    return m ? fullName(m.person) : `#${id}`;
  };

  // --- Sending, paced by a token bucket

  function send(msg: object): void {
    queue.push(JSON.stringify(msg));
    pump();
  }
  function pump(): void {
    window.clearTimeout(pumpTimer);
    const now = Date.now();
    tokens = Math.min(BURST, tokens + ((now - lastRefill) / 1000) * RATE);
    lastRefill = now;
    while (queue.length && tokens >= 1 && ws?.readyState === WebSocket.OPEN) {
      ws.send(queue.shift()!);
      tokens -= 1;
    }
    if (queue.length && ws?.readyState === WebSocket.OPEN) pumpTimer = window.setTimeout(pump, 1000 / RATE);
  }

  // --- Joining, connecting, reconnecting

  function reset(): void {
    session += 1;
    window.clearTimeout(retryTimer);
    window.clearTimeout(pumpTimer);
    const old = ws;
    ws = null;
    old?.close(1000);
    queue = [];
    room = null;
    lobby = null;
    you = null;
    members = [];
    hands = [];
    floor = 0;
    muted = [];
    chat = [];
    drawers = [];
    polls = [];
    confirmEnd = false;
    attempts = 0;
    rendered.clear();
    chatLog.replaceChildren();
    board.load([]);
    slides.reset();
  }

  function httpError(e: unknown): Msg {
    return () => {
      if (e instanceof ApiError) {
        if (e.code === 'not_live') return t('liveNotLive');
        if (e.code === 'too_many_rooms') return t('liveTooMany');
        if (e.status === 404 || e.status === 403) return t('liveRefused');
      }
      return errorText(e);
    };
  }

  async function join(cls: number, start: boolean): Promise<void> {
    reset();
    classId = cls;
    phase = 'joining';
    error = null;
    ctx.render();
    await connect(session, start);
  }

  async function connect(s: number, start = false): Promise<void> {
    try {
      if (start) await request('POST', '/api/live/rooms', { class_id: classId });
      // Asked again on every reconnection: it says whether the lesson still runs, and where.
      const r = await request<{ room?: Room; lobby?: LobbyState; url: string; delay_ms: number }>('POST', '/api/live/join', { class_id: classId });
      if (s !== session) return;
      // Before the lesson starts the answer is its lobby: wait there, the server says when to come in.
      room = r.data!.room ?? null;
      lobby = r.data!.lobby ?? null;
      if (lobby) {
        phase = 'lobby';
        ctx.render();
      }
      await new Promise((ok) => window.setTimeout(ok, r.data!.delay_ms || 0));
      if (s !== session) return;
      open(s, r.data!.url);
    } catch (e) {
      if (s !== session) return;
      if (isUnauthenticated(e)) return ctx.expired();
      if (phase === 'reconnecting' && e instanceof ApiError && e.code === 'not_live') return ended();
      if (phase === 'reconnecting' && !(e instanceof ApiError && e.status >= 400 && e.status < 500)) return retry(s);
      phase = 'idle';
      error = httpError(e);
      ctx.render();
    }
  }

  function open(s: number, url: string): void {
    const last = chat.length ? chat[chat.length - 1].seq : 0;
    const abs = /^wss?:/.test(url) ? url : `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${url}`;
    const sock = new WebSocket(phase === 'reconnecting' && last ? `${abs}${abs.includes('?') ? '&' : '?'}after=${last}` : abs);
    ws = sock;
    sock.onopen = () => pump();
    sock.onmessage = (ev) => {
      if (s !== session) return;
      try {
        onMessage(JSON.parse(String(ev.data)));
      } catch {
        // a frame we cannot read changes nothing
      }
    };
    sock.onclose = () => {
      if (s !== session || ws !== sock) return;
      ws = null;
      if (phase === 'ended' || phase === 'idle') return;
      retry(s);
    };
  }

  // Backoff with jitter (1 s, 2 s, 4 s … 30 s), so that a class cut off at once does not come back at once.
  function retry(s: number): void {
    phase = 'reconnecting';
    paint();
    const delay = Math.min(30_000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
    attempts += 1;
    retryTimer = window.setTimeout(() => {
      if (s === session) void connect(s);
    }, delay);
  }

  function ended(): void {
    phase = 'ended';
    confirmEnd = false;
    const old = ws;
    ws = null;
    old?.close(1000);
    ctx.announce(t('liveEnded'));
    ctx.render();
  }

  // --- The room's messages

  // Frames are checked by the server; `any` keeps this switch short.
  function onMessage(m: any): void {
    switch (m.type) {
      case 'welcome': {
        const again = phase === 'reconnecting';
        room = { ...room!, ...m.room };
        you = m.you;
        members = m.members;
        hands = m.hands;
        floor = m.floor;
        muted = m.muted;
        // After ?after=SEQ the server sends only the lines we missed.
        chat = again ? [...chat, ...m.chat] : m.chat;
        drawers = m.board.drawers;
        board.load(m.board.strokes);
        slides.set(m.slides ?? null);
        polls = m.polls.map((p: Poll & { results?: Poll['results'] }) => ({ ...p, results: p.results ?? null }));
        attempts = 0;
        phase = 'open';
        ctx.announce(t('liveConnected', { class: room!.class.name }));
        ctx.render();
        return;
      }
      case 'lobby': {
        const changed = lobby?.message !== m.message && !!m.message;
        lobby = { class: m.class, message: m.message, starts_at: m.starts_at };
        attempts = 0;
        phase = 'lobby';
        if (changed) ctx.announce(t('lobbySaid', { message: m.message }));
        ctx.render();
        return;
      }
      case 'started': {
        // The lesson began: leave the lobby and come in after the delay the server gave this joiner.
        const s = session;
        room = m.room;
        lobby = null;
        phase = 'joining';
        const old = ws;
        ws = null;
        old?.close(1000);
        ctx.render();
        retryTimer = window.setTimeout(() => {
          if (s === session) open(s, m.url);
        }, m.delay_ms || 0);
        return;
      }
      case 'joined':
        members = [...members.filter((x) => x.person.id !== m.member.person.id), m.member];
        break;
      case 'left':
        members = members.filter((x) => x.person.id !== m.user_id);
        break;
      case 'chat':
        chat.push(m);
        break;
      case 'deleted':
        chat = chat.filter((x) => x.seq !== m.seq);
        break;
      case 'hands': {
        const before = hands;
        hands = m.queue;
        if (isLead()) for (const id of hands) if (!before.includes(id)) ctx.announce(t('handRaised', { name: nameOf(id) }));
        break;
      }
      case 'floor':
        floor = m.user_id;
        break;
      case 'muted':
        if (!muted.includes(m.user_id)) muted.push(m.user_id);
        break;
      case 'unmuted':
        muted = muted.filter((x) => x !== m.user_id);
        break;
      case 'stroke':
        board.add(m as Stroke);
        return; // the board draws itself; nothing else changes
      case 'clear':
        board.load([]);
        return;
      case 'slides':
        slides.set(m.file ? { file: m.file, page: m.page } : null);
        return; // the slides card repaints itself
      case 'page':
        slides.turn(m.page);
        return;
      case 'laser':
        slides.laser(m);
        return;
      case 'drawers':
        drawers = m.user_ids;
        break;
      case 'poll':
        polls.push({ id: m.id, question: m.question, choices: m.choices, closed: m.closed, you: null, results: null });
        ctx.announce(t('pollNew', { q: m.question }));
        break;
      case 'poll_results': {
        const p = polls.find((x) => x.id === m.poll);
        if (p) {
          p.results = { counts: m.counts, answers: m.answers };
          p.closed = m.closed;
        }
        break;
      }
      case 'ended':
        return ended();
      case 'error':
        showFlash(m);
        return;
      default:
        return;
    }
    paint();
  }

  function showFlash(m: { code: string; message: string }): void {
    const keys: Record<string, Key> = { muted: 'liveErrMuted', rate_limited: 'liveErrRate', forbidden: 'liveErrForbidden', room_full: 'liveErrFull' };
    flash = () => (keys[m.code] ? t(keys[m.code]) : t('liveErrInvalid', { msg: m.message || m.code }));
    window.clearTimeout(flashTimer);
    flashTimer = window.setTimeout(() => {
      flash = null;
      paint();
    }, 6000);
    paint();
  }

  // --- View

  const btn = (id: string, label: string, onClick: () => void, cls = 'small', extra: Record<string, string> = {}) =>
    h('button', { type: 'button', id, class: cls, onClick, ...extra }, label);

  function roleName(m: Member): string {
    return t(m.leads ? 'roleTeacherShort' : m.role === 'pupil' ? 'rolePupilShort' : 'roleStaffShort');
  }

  function peopleCard(): HTMLElement {
    const sorted = [...members].sort((a, b) => Number(b.leads) - Number(a.leads) || fullName(a.person).localeCompare(fullName(b.person)));
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'people-heading' },
      h('h2', { id: 'people-heading' }, t('people', { n: members.length })),
      h(
        'ul',
        { class: 'people', id: 'people' },
        sorted.map((m) => {
          const id = m.person.id;
          const tags = [
            hands.includes(id) && t('handUp'),
            floor === id && t('hasFloor'),
            muted.includes(id) && t('isMuted'),
            drawers.includes(id) && t('hasBoard'),
          ].filter(Boolean) as string[];
          const name = h('span', { class: 'sr-only' }, ` ${fullName(m.person)}`);
          return h(
            'li',
            { 'data-user-id': String(id) },
            h('span', { class: 'pname' }, fullName(m.person), id === meId() && ` ${t('you')}`),
            h('span', { class: 'meta' }, ` · ${roleName(m)}`),
            tags.map((x) => h('span', { class: 'badge' }, x)),
            isLead() &&
              !m.leads &&
              h(
                'span',
                { class: 'actions' },
                h(
                  'button',
                  { type: 'button', id: `mute-${id}`, class: 'small', onClick: () => send({ type: muted.includes(id) ? 'unmute' : 'mute', user_id: id }) },
                  t(muted.includes(id) ? 'unmute' : 'mute'),
                  name.cloneNode(true),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    id: `board-${id}`,
                    class: 'small',
                    onClick: () => send({ type: drawers.includes(id) ? 'board_revoke' : 'board_grant', user_id: id }),
                  },
                  t(drawers.includes(id) ? 'revokeBoard' : 'grantBoard'),
                  name,
                ),
              ),
          );
        }),
      ),
    );
  }

  function handsCard(): HTMLElement {
    const up = hands.includes(meId());
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'hands-heading' },
      h('h2', { id: 'hands-heading' }, t('hands')),
      floor ? h('p', { class: 'notice', id: 'floor' }, t('floorIs', { name: nameOf(floor) })) : null,
      hands.length
        ? h(
            'ol',
            { class: 'hands', id: 'hands' },
            hands.map((id) =>
              h(
                'li',
                { 'data-user-id': String(id) },
                h('span', null, nameOf(id)),
                isLead() &&
                  h('button', { type: 'button', id: `floor-${id}`, class: 'small', onClick: () => send({ type: 'floor', user_id: id }) },
                    t('giveFloor'), h('span', { class: 'sr-only' }, ` ${nameOf(id)}`)),
              ),
            ),
          )
        : h('p', { class: 'empty' }, t('noHands')),
      h(
        'div',
        { class: 'actions' },
        !isLead() && btn('hand', t(up ? 'lowerHand' : 'raiseHand'), () => send({ type: 'hand', up: !up }), up ? 'small primary' : 'small', { 'aria-pressed': String(up) }),
        isLead() && floor ? btn('floor-back', t('takeFloor'), () => send({ type: 'floor', user_id: 0 })) : null,
      ),
    );
  }

  function syncChat(full: boolean): void {
    if (full) {
      rendered.clear();
      chatLog.replaceChildren();
    }
    const keep = new Set(chat.map((l) => l.seq));
    for (const [seq, li] of rendered) if (!keep.has(seq)) (li.remove(), rendered.delete(seq));
    const atBottom = chatLog.scrollTop + chatLog.clientHeight >= chatLog.scrollHeight - 8;
    for (const l of chat) {
      if (rendered.has(l.seq)) continue;
      const li = h(
        'p',
        { 'data-seq': String(l.seq) },
        h('span', { class: 'from' }, `${fullName(l.from)} : `),
        h('span', { class: 'text' }, l.text),
        isLead() && btn(`del-${l.seq}`, t('deleteLine'), () => send({ type: 'delete', seq: l.seq }), 'small danger-ghost'),
      );
      rendered.set(l.seq, li);
      chatLog.appendChild(li);
    }
    if (atBottom) chatLog.scrollTop = chatLog.scrollHeight;
  }

  function chatCard(): HTMLElement {
    const isMuted = muted.includes(meId());
    return h(
      'section',
      { class: 'card chat', 'aria-labelledby': 'chat-heading' },
      h('h2', { id: 'chat-heading' }, t('chat')),
      chatLog,
      !chat.length && h('p', { class: 'empty' }, t('chatEmpty')),
      isMuted
        ? h('p', { class: 'notice', id: 'muted-note' }, t('youAreMuted'))
        : h(
            'form',
            {
              class: 'chat-form',
              id: 'chat-form',
              onSubmit: (ev: Event) => {
                ev.preventDefault();
                const text = chatText.replace(/\s+/g, ' ').trim().slice(0, 500);
                if (!text) return;
                send({ type: 'chat', text });
                chatText = '';
                paint();
              },
            },
            h('label', { for: 'chat-text', class: 'sr-only' }, t('chatMessage')),
            h('input', {
              id: 'chat-text',
              type: 'text',
              maxlength: '500',
              autocomplete: 'off',
              value: chatText,
              onInput: (ev: Event) => (chatText = (ev.target as HTMLInputElement).value),
            }),
            h('button', { type: 'submit', id: 'chat-send', class: 'primary' }, t('send')),
          ),
    );
  }

  const colours: [string, Key][] = [
    ['#1a1a1a', 'colBlack'],
    ['#1f5fbf', 'colBlue'],
    ['#c62828', 'colRed'],
    ['#2e7d32', 'colGreen'],
  ];
  const widths: [number, Key][] = [
    [15, 'widthThin'],
    [40, 'widthMedium'],
    [100, 'widthThick'],
  ];

  function boardCard(): HTMLElement {
    board.enabled = canDraw() && phase === 'open';
    board.canvas.setAttribute('aria-label', t('boardLabel', { n: board.count }));
    const pen = board.pen;
    return h(
      'section',
      { class: 'card board-card', 'aria-labelledby': 'board-heading' },
      h('h2', { id: 'board-heading' }, t('board')),
      canDraw()
        ? h(
            'div',
            { class: 'toolbar', role: 'toolbar', 'aria-label': t('board') },
            h('span', { class: 'group', role: 'group', 'aria-label': t('colour') },
              colours.map(([c, k]) =>
                h('button', {
                  type: 'button',
                  id: `pen-${c.slice(1)}`,
                  class: `small swatch sw-${c.slice(1)}`,
                  'aria-pressed': String(pen.tool === 'pen' && pen.color === c),
                  onClick: () => ((pen.tool = 'pen'), (pen.color = c), paint()),
                }, t(k)),
              ),
            ),
            h('span', { class: 'group' },
              h('label', { for: 'pen-width' }, t('penWidth')),
              h('select', { id: 'pen-width', value: String(pen.width), onChange: (ev: Event) => (pen.width = Number((ev.target as HTMLSelectElement).value)) },
                widths.map(([w, k]) => h('option', { value: String(w) }, t(k)))),
            ),
            h('button', { type: 'button', id: 'eraser', class: 'small', 'aria-pressed': String(pen.tool === 'eraser'), onClick: () => ((pen.tool = 'eraser'), paint()) }, t('eraser')),
            h('button', { type: 'button', id: 'board-clear', class: 'small danger-ghost', onClick: () => send({ type: 'clear' }) }, t('clearBoard')),
          )
        : h('p', { class: 'hint' }, t('boardReadOnly')),
      board.canvas,
    );
  }

  function pollCard(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'polls-heading' },
      h('h2', { id: 'polls-heading' }, t('polls')),
      isLead() &&
        h(
          'form',
          {
            class: 'form',
            id: 'poll-form',
            novalidate: true,
            onSubmit: (ev: Event) => {
              ev.preventDefault();
              const q = pollQ.trim();
              const choices = pollChoices.split('\n').map((x) => x.trim()).filter(Boolean);
              if (!q || choices.length < 2 || choices.length > 10) {
                pollError = () => t('pollInvalid');
                paint('poll-error');
                return;
              }
              send({ type: 'poll', question: q.slice(0, 300), choices: choices.map((c) => c.slice(0, 100)) });
              pollQ = pollChoices = '';
              pollError = null;
              paint();
            },
          },
          pollError && h('p', { class: 'error', role: 'alert', id: 'poll-error', tabindex: '-1' }, pollError()),
          h('div', { class: 'field' }, h('label', { for: 'poll-q' }, t('pollQuestion')),
            h('input', { id: 'poll-q', type: 'text', maxlength: '300', value: pollQ, onInput: (ev: Event) => (pollQ = (ev.target as HTMLInputElement).value) })),
          h('div', { class: 'field' }, h('label', { for: 'poll-choices' }, t('pollChoices')),
            h('textarea', { id: 'poll-choices', rows: '3', value: pollChoices, onInput: (ev: Event) => (pollChoices = (ev.target as HTMLTextAreaElement).value) })),
          h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'poll-submit', class: 'primary' }, t('pollOpen'))),
        ),
      polls.length ? h('ul', { class: 'polls' }, [...polls].reverse().map(pollItem)) : h('p', { class: 'empty' }, t('noPolls')),
    );
  }

  function pollItem(p: Poll): HTMLElement {
    const r = p.results;
    const answering = !isLead() && !p.closed;
    return h(
      'li',
      { class: 'poll', id: `poll-${p.id}`, 'data-poll-id': String(p.id) },
      answering
        ? h(
            'fieldset',
            null,
            h('legend', null, p.question),
            p.choices.map((c, i) =>
              h('div', { class: 'check' },
                h('input', {
                  type: 'radio',
                  name: `poll-${p.id}`,
                  id: `poll-${p.id}-${i}`,
                  checked: p.you === i,
                  onChange: () => {
                    p.you = i;
                    send({ type: 'answer', poll: p.id, choice: i });
                    paint();
                  },
                }),
                h('label', { for: `poll-${p.id}-${i}` }, c),
              ),
            ),
            p.you !== null && h('p', { class: 'hint' }, t('pollYourAnswer')),
          )
        : [
            h('p', { class: 'poll-q' }, p.question, p.closed && h('span', { class: 'badge' }, t('pollClosed'))),
            h('ul', { class: 'poll-results' },
              p.choices.map((c, i) => h('li', null, h('span', null, c), h('span', { class: 'count', 'data-choice': String(i) }, String(r?.counts[i] ?? 0))))),
            h('p', { class: 'hint', id: `poll-${p.id}-answers` }, t('pollAnswers', { n: r?.answers ?? 0 })),
          ],
      isLead() && !p.closed && btn(`poll-close-${p.id}`, t('pollClose'), () => send({ type: 'close_poll', poll: p.id })),
    );
  }

  async function openLobby(cls: { id: number; name: string }): Promise<void> {
    try {
      await request('PUT', `/api/live/classes/${encodeURIComponent(cls.id)}/lobby`, { message: lobbyWords.get(cls.id) ?? '' });
      lobbyNotice = () => t('lobbyOpened', { class: cls.name });
      error = null;
      ctx.announce(lobbyNotice());
    } catch (e) {
      if (isUnauthenticated(e)) return ctx.expired();
      error = httpError(e);
    }
    paint(`lobby-open-${cls.id}`);
  }

  function lobbyView(): (HTMLElement | null | false)[] {
    const l = lobby!;
    const due = l.starts_at ? formatClock(new Date(l.starts_at * 1000)) : '';
    return [
      h('div', { class: 'live-head' },
        h('p', { class: 'date' }, t('liveOf', { class: l.class.name })),
        h('div', { class: 'actions' }, btn('live-leave', t('liveLeave'), () => leave()))),
      h('section', { class: 'card lobby', 'aria-labelledby': 'lobby-heading' },
        h('h2', { id: 'lobby-heading' }, t('lobbyHeading')),
        h('p', { id: 'lobby-status', role: 'status' }, due ? t('lobbyDue', { time: due }) : t('lobbyNotYet')),
        l.message && h('figure', { class: 'lobby-message' },
          h('figcaption', null, t('lobbyFrom')),
          h('blockquote', { id: 'lobby-message' }, l.message))),
      phase === 'reconnecting' && h('p', { class: 'notice', role: 'status' }, t('liveReconnecting')),
    ];
  }

  function idleView(): (HTMLElement | null | false)[] {
    const me = ctx.me()!;
    const classes = me.user.role === 'teacher'
      ? [...new Map(me.teaching.map((x) => [x.class.id, x.class])).values()]
      : me.user.class ? [me.user.class] : [];
    return [
      h('p', { class: 'intro' }, t('liveIntro')),
      phase === 'ended' && h('p', { class: 'notice', id: 'live-ended' }, t('liveEnded')),
      error && h('p', { class: 'error', role: 'alert', id: 'live-error', tabindex: '-1' }, error()),
      lobbyNotice && h('p', { class: 'status-line', id: 'lobby-notice' }, lobbyNotice()),
      phase === 'joining' && h('p', { class: 'loading', 'aria-busy': 'true' }, t('liveJoining')),
      classes.length
        ? h('ul', { class: 'live-classes' }, classes.map((c) =>
            h('li', { class: 'card' },
              h('p', { class: 'subject' }, c.name),
              h('div', { class: 'actions' },
                me.user.role === 'teacher' && btn(`live-start-${c.id}`, t('liveStart'), () => void join(c.id, true), 'primary'),
                btn(`live-join-${c.id}`, t('liveJoin'), () => void join(c.id, false), me.user.role === 'teacher' ? '' : 'primary'),
              ),
              me.user.role === 'teacher' && h('div', { class: 'field lobby-words' },
                h('label', { for: `lobby-message-${c.id}` }, t('lobbyWordsLabel')),
                h('input', { id: `lobby-message-${c.id}`, type: 'text', maxlength: '500', value: lobbyWords.get(c.id) ?? '',
                  onInput: (ev: Event) => lobbyWords.set(c.id, (ev.target as HTMLInputElement).value) }),
                btn(`lobby-open-${c.id}`, t('lobbyOpen'), () => void openLobby(c), 'small')),
            )))
        : h('p', { class: 'empty' }, t('liveNoClass')),
    ];
  }

  function lessonView(): (HTMLElement | null | false)[] {
    const r = room!;
    return [
      h('div', { class: 'live-head' },
        h('p', { class: 'date' }, t('liveOf', { class: r.class.name }), ' ', t('liveBy', { name: fullName(r.teacher) })),
        h('div', { class: 'actions' },
          isLead() && !confirmEnd && btn('live-end', t('liveEnd'), () => ((confirmEnd = true), paint('live-end-yes')), 'small danger'),
          btn('live-leave', t('liveLeave'), () => leave()),
        ),
      ),
      confirmEnd &&
        h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'live-end-q' },
          h('p', { id: 'live-end-q' }, t('liveEndConfirm')),
          h('div', { class: 'actions' },
            btn('live-end-yes', t('liveEndYes'), () => void end(), 'danger'),
            btn('live-end-no', t('cancel'), () => ((confirmEnd = false), paint('live-end')))),
        ),
      phase === 'reconnecting' && h('p', { class: 'notice', role: 'status' }, t('liveReconnecting')),
      flash && h('p', { class: 'error', role: 'alert', id: 'live-flash' }, flash()),
      h('div', { class: 'live-grid' },
        h('div', { class: 'live-main' }, slides.view(isLead()), boardCard(), pollCard()),
        h('div', { class: 'live-side' }, handsCard(), chatCard(), peopleCard()),
      ),
    ];
  }

  // Repaints the live part only, keeping the focus (and the caret) where it was.
  function paint(focusId?: string): void {
    const active = document.activeElement as HTMLInputElement | null;
    const activeId = root.contains(active) ? active!.id : '';
    const sel = activeId && 'selectionStart' in active! ? [active!.selectionStart, active!.selectionEnd] : null;
    const inRoom = room && (phase === 'open' || phase === 'reconnecting');
    const waiting = lobby && (phase === 'lobby' || phase === 'reconnecting');
    root.replaceChildren(...(inRoom ? lessonView() : waiting ? lobbyView() : idleView()).filter((x): x is HTMLElement => !!x));
    if (inRoom) syncChat(false);
    const target = focusId ? document.getElementById(focusId) : activeId ? document.getElementById(activeId) : null;
    if (target) {
      target.focus();
      if (!focusId && sel && target instanceof HTMLInputElement && target.type === 'text') {
        try {
          target.setSelectionRange(sel[0], sel[1]);
        } catch {
          // not a text field
        }
      }
    }
  }

  async function end(): Promise<void> {
    if (!room) return;
    try {
      await request('DELETE', `/api/live/rooms/${encodeURIComponent(room.id)}`);
      ended();
    } catch (e) {
      if (isUnauthenticated(e)) return ctx.expired();
      showFlash({ code: '', message: errorText(e) });
    }
  }

  function leave(): void {
    reset();
    phase = 'idle';
    ctx.render();
  }

  return {
    // The element the app puts in its <main>; rebuilt in full (language switch, new phase).
    view(): HTMLElement {
      syncChat(true);
      paint();
      return root;
    },
    join: (cls: number, start: boolean) => void join(cls, start),
    // Sign-out: drop everything, nothing of this user may stay on screen.
    stop(): void {
      reset();
      phase = 'idle';
      error = null;
      chatText = pollQ = pollChoices = '';
    },
    get inRoom(): boolean {
      return !!room && (phase === 'open' || phase === 'reconnecting');
    },
  };
}

export type Live = ReturnType<typeof createLive>;
