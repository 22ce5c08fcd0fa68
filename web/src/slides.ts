// The live lesson's slides (docs/live.md): the PDF the teacher shows, rendered here by PDF.js, the
// page everyone is on, and the teacher's laser pointer. PDF.js and its worker (a hashed asset, so
// the CSP's script-src 'self' covers it) are loaded only when a deck is first shown: a lesson
// without slides does not pay for them. Page coordinates run from 0 to 10000 on both axes, like the
// whiteboard's, whatever the screen.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { upload } from './api';
import { h } from './dom';
import { isUnauthenticated, uploadErrorMsg } from './errors';
import { t } from './i18n';
import { type Msg } from './state';

export interface DeckFile {
  id: number;
  name: string;
}
export interface Deck {
  file: DeckFile;
  page: number;
}

export interface SlidesOut {
  send(msg: object): void; // paced with the other messages
  laser(msg: object): void; // sent at once: the laser has its own allowance on the server
  announce(text: string): void;
  expired(): void;
}

const SIZE = 10000;
const LASER_MS = 50; // at most 20 positions a second go out, within the server's 30

type PdfJs = typeof import('pdfjs-dist');
let library: Promise<PdfJs> | null = null;
function pdfjs(): Promise<PdfJs> {
  library ??= import('pdfjs-dist').then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  return library;
}

const isPdf = (file: File) => file.type === 'application/pdf' || /\.pdf$/i.test(file.name);

export class Slides {
  readonly root = h('section', { class: 'card slides-card', 'aria-labelledby': 'slides-heading' });
  private readonly canvas = h('canvas', { id: 'slides-canvas', class: 'slides-page', role: 'img' });
  private readonly pointer = h('canvas', { class: 'slides-laser', id: 'slides-laser', 'aria-hidden': 'true' });
  private readonly stage = h('div', { class: 'slides-stage', id: 'slides-stage' }, this.canvas, this.pointer);
  private deck: Deck | null = null;
  private shown: DeckFile[] = []; // decks shown in this lesson, to show one again
  private lead = false;
  private loading: PDFDocumentLoadingTask | null = null;
  private doc: PDFDocumentProxy | null = null;
  private status: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  private renderTask: RenderTask | null = null;
  private renders = 0; // bumped per render: an older one that finishes late is dropped
  private wanted = 0; // the page asked for and not yet confirmed by the room (0: none)
  private laserAt: { x: number; y: number } | null = null;
  private outgoing: object | null = null; // the newest laser message not yet sent
  private laserTimer: number | undefined;
  private pointing = false;
  private error: Msg | null = null;
  private uploading = '';

  constructor(private readonly out: SlidesOut) {
    let width = 0;
    new ResizeObserver(() => {
      if (this.stage.clientWidth && this.stage.clientWidth !== width) {
        width = this.stage.clientWidth;
        void this.render();
      }
    }).observe(this.stage);
    const s = this.stage;
    s.addEventListener('pointerdown', (ev) => this.point(ev));
    s.addEventListener('pointermove', (ev) => this.point(ev));
    s.addEventListener('pointerup', (ev) => ev.pointerType !== 'mouse' && this.pointOff());
    s.addEventListener('pointerleave', () => this.pointOff());
    s.addEventListener('pointercancel', () => this.pointOff());
    s.addEventListener('keydown', (ev) => this.key(ev));
  }

  // --- From the room

  // `slides` and `welcome`: a deck (from its page) or none.
  set(deck: Deck | null): void {
    const before = this.deck?.file.id ?? 0;
    this.deck = deck;
    this.wanted = 0;
    this.laserAt = null;
    if (deck && !this.shown.some((f) => f.id === deck.file.id)) this.shown.push(deck.file);
    if (!deck) this.unload();
    else if (deck.file.id !== before || this.status === 'failed') void this.load(deck.file.id);
    else void this.render();
    this.paint();
  }

  turn(page: number): void {
    if (!this.deck) return;
    this.deck.page = page;
    if (this.wanted === page) this.wanted = 0;
    this.laserAt = null;
    this.drawLaser();
    void this.render();
    this.paint();
    this.out.announce(this.pageText());
  }

  laser(m: { x?: number; y?: number; off?: boolean }): void {
    this.laserAt = m.off || m.x === undefined || m.y === undefined ? null : { x: m.x, y: m.y };
    this.drawLaser();
  }

  // A new lesson, or none.
  reset(): void {
    this.set(null);
    this.shown = [];
    this.error = null;
    this.uploading = '';
  }

  // The card, repainted for `lead` (the teacher gets the controls).
  view(lead: boolean): HTMLElement {
    this.lead = lead;
    this.paint();
    return this.root;
  }

  // --- The document

  private async load(id: number): Promise<void> {
    this.unload();
    this.status = 'loading';
    try {
      const lib = await pdfjs();
      if (this.deck?.file.id !== id) return;
      // No eval: the CSP has no 'unsafe-eval', and PDF.js must not need it.
      const task = lib.getDocument({ url: `/api/files/${encodeURIComponent(id)}`, isEvalSupported: false, verbosity: lib.VerbosityLevel.ERRORS });
      this.loading = task;
      const doc = await task.promise;
      if (this.loading !== task) return;
      this.loading = null;
      this.doc = doc;
      this.status = 'ready';
      await this.render();
    } catch {
      if (this.deck?.file.id === id && this.status === 'loading') this.status = 'failed';
    }
    this.paint();
  }

  private unload(): void {
    this.renders += 1;
    this.renderTask?.cancel();
    this.renderTask = null;
    void this.loading?.destroy();
    this.loading = null;
    void this.doc?.destroy();
    this.doc = null;
    this.status = 'idle';
    // No deck, nothing to point at: a position or an "off" still waiting would be refused.
    this.pointing = false;
    this.outgoing = null;
    this.canvas.width = this.canvas.height = 0;
    delete this.canvas.dataset.page;
    this.drawLaser();
  }

  // The deck's page (at most its last one), drawn off screen and then copied in: no blank flash
  // between pages.
  private async render(): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.deck) return;
    const n = Math.min(this.deck.page, doc.numPages);
    const seq = ++this.renders;
    this.renderTask?.cancel();
    try {
      const page = await doc.getPage(n);
      if (seq !== this.renders) return;
      const dpr = window.devicePixelRatio || 1;
      const width = (this.stage.clientWidth || 640) * dpr;
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
      const scratch = document.createElement('canvas');
      scratch.width = Math.ceil(viewport.width);
      scratch.height = Math.ceil(viewport.height);
      this.renderTask = page.render({ canvas: scratch, canvasContext: scratch.getContext('2d')!, viewport });
      await this.renderTask.promise;
      if (seq !== this.renders) return;
      this.canvas.width = scratch.width;
      this.canvas.height = scratch.height;
      this.canvas.getContext('2d')?.drawImage(scratch, 0, 0);
      this.canvas.dataset.page = String(n);
      this.canvas.setAttribute('aria-label', t('slidesLabel', { name: this.deck.file.name, n, total: doc.numPages }));
      this.drawLaser();
      this.paint();
    } catch {
      // cancelled by a newer render, or the document went away
    }
  }

  private drawLaser(): void {
    const c = this.pointer;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(this.canvas.clientWidth * dpr);
    const hgt = Math.round(this.canvas.clientHeight * dpr);
    if (c.width !== w || c.height !== hgt) {
      c.width = w;
      c.height = hgt;
    }
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, c.width, c.height);
    const at = this.status === 'ready' ? this.laserAt : null;
    c.dataset.laser = at ? `${at.x},${at.y}` : '';
    if (!at || !w || !hgt) return;
    const x = (at.x / SIZE) * w;
    const y = (at.y / SIZE) * hgt;
    const r = Math.max(6 * dpr, w / 90);
    const glow = g.createRadialGradient(x, y, 0, x, y, r * 2);
    glow.addColorStop(0, 'rgba(229, 25, 25, 0.95)');
    glow.addColorStop(0.45, 'rgba(229, 25, 25, 0.6)');
    glow.addColorStop(1, 'rgba(229, 25, 25, 0)');
    g.fillStyle = glow;
    g.beginPath();
    g.arc(x, y, r * 2, 0, Math.PI * 2);
    g.fill();
  }

  // --- The teacher's controls

  private pages(): number {
    return this.doc?.numPages ?? 0;
  }

  private pageText(): string {
    const n = this.deck ? (this.pages() ? Math.min(this.deck.page, this.pages()) : this.deck.page) : 0;
    return this.pages() ? t('slidesPage', { n, total: this.pages() }) : t('slidesPageOnly', { n });
  }

  private go(to: number): void {
    if (!this.deck) return;
    const page = Math.max(1, Math.min(this.pages() || SIZE, to));
    if (page === (this.wanted || this.deck.page)) return;
    this.wanted = page;
    this.out.send({ type: 'page', page });
  }

  private key(ev: KeyboardEvent): void {
    if (!this.lead || !this.deck) return;
    const at = this.wanted || this.deck.page;
    const to: Record<string, number> = {
      ArrowRight: at + 1, ArrowDown: at + 1, PageDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, PageUp: at - 1,
      Home: 1, End: this.pages() || at,
    };
    if (!(ev.key in to)) return;
    ev.preventDefault();
    this.go(to[ev.key]);
  }

  // The pointer over the page is the laser: a mouse while it hovers, a finger or a pen while it
  // touches. Positions go out at most every LASER_MS, the newest one winning.
  private point(ev: PointerEvent): void {
    if (!this.lead || this.status !== 'ready') return;
    if (ev.pointerType !== 'mouse' && ev.buttons === 0) return;
    const r = this.canvas.getBoundingClientRect();
    if (!r.width || !r.height) return;
    const x = Math.round(((ev.clientX - r.left) / r.width) * SIZE);
    const y = Math.round(((ev.clientY - r.top) / r.height) * SIZE);
    if (x < 0 || y < 0 || x > SIZE || y > SIZE) return this.pointOff();
    if (ev.pointerType !== 'mouse') ev.preventDefault();
    this.pointing = true;
    this.queueLaser({ type: 'laser', x, y });
  }

  private pointOff(): void {
    if (!this.pointing) return;
    this.pointing = false;
    this.queueLaser({ type: 'laser', off: true });
  }

  private queueLaser(msg: object): void {
    this.outgoing = msg;
    if (this.laserTimer === undefined) this.flushLaser();
  }

  private flushLaser(): void {
    if (!this.outgoing) {
      this.laserTimer = undefined;
      return;
    }
    this.out.laser(this.outgoing);
    this.outgoing = null;
    this.laserTimer = window.setTimeout(() => this.flushLaser(), LASER_MS);
  }

  private async pick(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    if (!isPdf(file)) {
      this.error = () => t('slidesNotPdf', { name: file.name });
      return this.paint('slides-error');
    }
    this.error = null;
    this.uploading = file.name;
    this.paint();
    try {
      const sent = await upload(file, () => {});
      this.out.send({ type: 'slides', file_id: sent.id });
    } catch (e) {
      if (isUnauthenticated(e)) return this.out.expired();
      this.error = uploadErrorMsg(e, file.name);
    }
    this.uploading = '';
    this.paint(this.error ? 'slides-error' : undefined);
  }

  private tools(): HTMLElement {
    const others = this.shown.filter((f) => f.id !== this.deck?.file.id);
    return h(
      'div',
      { class: 'toolbar slides-tools' },
      h('span', { class: 'group' },
        h('label', { for: 'slides-file' }, t('slidesUpload')),
        h('input', { id: 'slides-file', type: 'file', accept: 'application/pdf,.pdf', disabled: !!this.uploading, onChange: (ev: Event) => void this.pick(ev.target as HTMLInputElement) }),
      ),
      this.uploading && h('span', { class: 'hint', role: 'status' }, t('uploading', { name: this.uploading })),
      others.length > 0 &&
        h('span', { class: 'group' },
          h('label', { for: 'slides-again' }, t('slidesAgain')),
          h('select', { id: 'slides-again', onChange: (ev: Event) => {
              const id = Number((ev.target as HTMLSelectElement).value);
              if (id) this.out.send({ type: 'slides', file_id: id });
            } },
            h('option', { value: '' }, '—'),
            others.map((f) => h('option', { value: String(f.id) }, f.name)))),
      this.deck && h('button', { type: 'button', id: 'slides-hide', class: 'small', onClick: () => this.out.send({ type: 'slides', file_id: null }) }, t('slidesHide')),
    );
  }

  private pager(): HTMLElement {
    const at = this.wanted || this.deck!.page;
    return h(
      'div',
      { class: 'actions slides-pager' },
      h('button', { type: 'button', id: 'slides-prev', class: 'small', disabled: at <= 1, onClick: () => this.go(at - 1) }, t('slidesPrev')),
      h('button', { type: 'button', id: 'slides-next', class: 'small', disabled: this.pages() > 0 && at >= this.pages(), onClick: () => this.go(at + 1) }, t('slidesNext')),
    );
  }

  // Repaints the card around the stage (kept, with its drawn page), keeping the focus.
  private paint(focusId?: string): void {
    const active = document.activeElement;
    const activeId = active && this.root.contains(active) ? active.id : '';
    const d = this.deck;
    this.stage.classList.toggle('lead', this.lead);
    if (this.lead) this.stage.setAttribute('tabindex', '0');
    else this.stage.removeAttribute('tabindex');
    this.stage.setAttribute('aria-label', this.lead ? t('slidesStage') : t('slides'));
    // Built in a scratch element (h() drops what is false), then moved in.
    const parts = h(
      'div',
      null,
      h('h2', { id: 'slides-heading' }, t('slides')),
      this.error && h('p', { class: 'error', role: 'alert', id: 'slides-error', tabindex: '-1' }, this.error()),
      this.lead && this.tools(),
      d
        ? [
            h('p', { class: 'slides-title' }, h('span', { class: 'slides-name' }, d.file.name), ' · ', h('span', { id: 'slides-page-label' }, this.pageText())),
            this.status === 'loading' && h('p', { class: 'loading', 'aria-busy': 'true' }, t('slidesLoading')),
            this.status === 'failed' && h('p', { class: 'error', role: 'alert', id: 'slides-failed' }, t('slidesFailed')),
            this.stage,
            this.lead && this.pager(),
            this.lead && h('p', { class: 'hint' }, t('slidesHint')),
          ]
        : h('p', { class: 'empty', id: 'slides-none' }, t('slidesNone')),
    );
    this.root.replaceChildren(...parts.childNodes);
    const target = document.getElementById(focusId || activeId);
    if ((focusId || activeId) && target && target !== document.activeElement) target.focus();
  }
}
