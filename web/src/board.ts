// The whiteboard canvas. The protocol's board is 0..10000 on both axes whatever the screen; the
// canvas keeps a 4:3 box (CSS) and scales to it, so every member sees the same drawing.
export interface Stroke {
  tool: 'pen' | 'eraser';
  color?: string;
  width: number; // board units, 1..200
  points: [number, number][];
}

const SIZE = 10000;
const FLUSH_MS = 50; // a long line goes out in pieces, 20 a second (the server allows 30)

export class Board {
  readonly canvas = document.createElement('canvas');
  readonly pen: { tool: 'pen' | 'eraser'; color: string; width: number } = { tool: 'pen', color: '#1a1a1a', width: 40 };
  enabled = false;
  private strokes: Stroke[] = [];
  private current: Stroke | null = null;
  private flushTimer: number | undefined;
  private sent = false; // a piece of the current stroke went out

  constructor(private readonly out: (s: Stroke) => void) {
    const c = this.canvas;
    c.id = 'board';
    c.className = 'board';
    c.setAttribute('role', 'img');
    c.dataset.strokes = '0';
    new ResizeObserver(() => this.resize()).observe(c);
    c.addEventListener('pointerdown', (ev) => this.down(ev));
    c.addEventListener('pointermove', (ev) => this.move(ev));
    c.addEventListener('pointerup', () => this.up());
    c.addEventListener('pointercancel', () => this.up());
  }

  get count(): number {
    return this.strokes.length;
  }

  load(strokes: Stroke[]): void {
    this.strokes = [...strokes];
    this.redraw();
  }

  // A stroke from the room (ours included: the server echoes it, which is what counts it).
  add(s: Stroke): void {
    this.strokes.push(s);
    this.draw(s);
    this.canvas.dataset.strokes = String(this.strokes.length);
    this.canvas.setAttribute('aria-label', this.canvas.getAttribute('aria-label')?.replace(/\d+/, String(this.strokes.length)) ?? '');
  }

  private resize(): void {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(c.clientWidth * dpr);
    const hgt = Math.round(c.clientHeight * dpr);
    if (w && hgt && (w !== c.width || hgt !== c.height)) {
      c.width = w;
      c.height = hgt;
      this.redraw();
    }
  }

  private redraw(): void {
    const g = this.canvas.getContext('2d');
    g?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const s of this.strokes) this.draw(s);
    this.canvas.dataset.strokes = String(this.strokes.length);
  }

  private draw(s: Stroke): void {
    const g = this.canvas.getContext('2d');
    if (!g || !s.points.length) return;
    const sx = this.canvas.width / SIZE;
    const sy = this.canvas.height / SIZE;
    // The eraser removes ink: what is under it shows the canvas's white background again.
    g.globalCompositeOperation = s.tool === 'eraser' ? 'destination-out' : 'source-over';
    g.strokeStyle = s.color ?? '#1a1a1a';
    g.lineWidth = Math.max(1, s.width * sx);
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(s.points[0][0] * sx, s.points[0][1] * sy);
    for (const [x, y] of s.points.length > 1 ? s.points.slice(1) : s.points) g.lineTo(x * sx, y * sy);
    g.stroke();
  }

  private at(ev: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    const clamp = (v: number) => Math.max(0, Math.min(SIZE, Math.round(v * SIZE)));
    return [clamp((ev.clientX - r.left) / r.width), clamp((ev.clientY - r.top) / r.height)];
  }

  private down(ev: PointerEvent): void {
    if (!this.enabled || ev.button !== 0) return;
    ev.preventDefault();
    this.canvas.setPointerCapture(ev.pointerId);
    const p = this.pen;
    this.current = { tool: p.tool, color: p.tool === 'pen' ? p.color : undefined, width: p.tool === 'eraser' ? p.width * 3 : p.width, points: [this.at(ev)] };
    this.sent = false;
    this.flushTimer = window.setInterval(() => this.flush(false), FLUSH_MS);
  }

  private move(ev: PointerEvent): void {
    const s = this.current;
    if (!s) return;
    const p = this.at(ev);
    const last = s.points[s.points.length - 1];
    if (last[0] === p[0] && last[1] === p[1]) return;
    s.points.push(p);
    // Drawn at once, for the hand; the server's echo adds it to the board for good.
    this.draw({ ...s, points: [last, p] });
    if (s.points.length >= 1000) this.flush(false);
  }

  private up(): void {
    if (!this.current) return;
    window.clearInterval(this.flushTimer);
    this.flush(true);
    this.current = null;
  }

  // Sends what was drawn since the last piece; the next piece starts where this one ended. A tap
  // (one point, nothing sent yet) is a dot.
  private flush(last: boolean): void {
    const s = this.current;
    if (!s) return;
    if (s.points.length >= 2 || (last && !this.sent)) {
      this.out({ tool: s.tool, color: s.color, width: s.width, points: s.points });
      this.sent = true;
    }
    s.points = [s.points[s.points.length - 1]];
  }
}
