/**
 * Progress observers for long jobs. The engine calls `start/tick/log/done`; the CLI picks the
 * implementation: a redrawn bar with ETA on a TTY (at most ~5 redraws a second), plain lines
 * otherwise (logs and a line every 10 % or 5 s), and a silent one for --quiet and tests.
 * Everything goes to stderr so stdout stays clean for --json and pipes.
 */
import type { ProgressObserver } from "../core/progress.js";
import type { TextSink } from "./io.js";

export type { ProgressObserver };

export interface ProgressOptions {
  /** Clock in ms (injectable for tests). */
  readonly now: () => number;
  /** Minimum ms between TTY redraws (200 = 5 a second). */
  readonly redrawMs: number;
  /** Bar width in characters. */
  readonly width: number;
  /** Terminal width: longer lines are cut. */
  readonly columns: number;
  /** Plain mode: print at most one progress line per this many ms (besides every 10 %). */
  readonly plainEveryMs: number;
}

const DEFAULTS: ProgressOptions = {
  now: () => performance.now(),
  redrawMs: 200,
  width: 24,
  columns: 100,
  plainEveryMs: 5000,
};

/** "1:05", "1:02:03"; "--:--" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Remaining seconds from the average pace so far (NaN until one step is done). */
export function estimateEta(done: number, total: number, elapsedSec: number): number {
  if (done <= 0 || total <= 0) return Number.NaN;
  return (elapsedSec / done) * Math.max(0, total - done);
}

/** Does nothing (for --quiet and tests). */
export class SilentProgress implements ProgressObserver {
  start(): void {}
  tick(): void {}
  log(): void {}
  done(): void {}
}

abstract class CountingProgress implements ProgressObserver {
  protected total = 0;
  protected count = 0;
  protected label = "";
  protected detail = "";
  protected startedAt = 0;
  protected active = false;
  protected readonly opts: ProgressOptions;

  constructor(
    protected readonly sink: TextSink,
    options: Partial<ProgressOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
  }

  start(total: number, label: string): void {
    this.total = Math.max(0, total);
    this.count = 0;
    this.label = label;
    this.detail = "";
    this.startedAt = this.opts.now();
    this.active = true;
  }

  tick(n = 1, detail?: string): void {
    this.count += n;
    if (detail !== undefined) this.detail = detail;
  }

  abstract log(line: string): void;
  abstract done(): void;

  protected status(): string {
    const elapsed = (this.opts.now() - this.startedAt) / 1000;
    if (this.total === 0) return `${this.label} ${this.count} (${formatDuration(elapsed)})`;
    const pct = Math.min(100, Math.floor((100 * this.count) / this.total));
    const eta = estimateEta(this.count, this.total, elapsed);
    return `${this.label} ${this.count}/${this.total} ${pct}% ETA ${formatDuration(eta)}`;
  }
}

/** Plain lines, for logs and pipes: no control characters, no more than a line per 10 % or 5 s. */
export class PlainProgress extends CountingProgress {
  private lastLineAt = 0;
  private lastDecile = 0;

  override start(total: number, label: string): void {
    super.start(total, label);
    this.lastLineAt = this.startedAt;
    this.lastDecile = 0;
    this.sink.write(`${label}: ${total > 0 ? `${total} to do` : "started"}\n`);
  }

  override tick(n = 1, detail?: string): void {
    super.tick(n, detail);
    const now = this.opts.now();
    const decile = this.total > 0 ? Math.floor((10 * this.count) / this.total) : 0;
    if (decile > this.lastDecile || now - this.lastLineAt >= this.opts.plainEveryMs) {
      this.lastDecile = decile;
      this.lastLineAt = now;
      if (this.count < this.total || this.total === 0) this.sink.write(`${this.status()}\n`);
    }
  }

  log(line: string): void {
    this.sink.write(`${line}\n`);
  }

  done(): void {
    if (!this.active) return;
    this.active = false;
    const elapsed = (this.opts.now() - this.startedAt) / 1000;
    this.sink.write(`${this.label}: ${this.count} done in ${formatDuration(elapsed)}\n`);
  }
}

/** A single redrawn line with a bar and ETA, for terminals. */
export class TtyProgress extends CountingProgress {
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawn = false;

  override start(total: number, label: string): void {
    super.start(total, label);
    this.lastDrawAt = Number.NEGATIVE_INFINITY;
    this.draw();
  }

  override tick(n = 1, detail?: string): void {
    super.tick(n, detail);
    if (this.opts.now() - this.lastDrawAt >= this.opts.redrawMs || this.count >= this.total) this.draw();
  }

  log(line: string): void {
    this.clear();
    this.sink.write(`${line}\n`);
    if (this.active) this.draw(true);
  }

  done(): void {
    if (!this.active) return;
    this.draw(true);
    this.active = false;
    this.sink.write("\n");
    this.drawn = false;
  }

  private clear(): void {
    if (this.drawn) this.sink.write("\r\x1b[2K");
    this.drawn = false;
  }

  private draw(force = false): void {
    if (!this.active) return;
    const now = this.opts.now();
    if (!force && now - this.lastDrawAt < this.opts.redrawMs && this.count < this.total) return;
    this.lastDrawAt = now;
    const { width, columns } = this.opts;
    const filled = this.total > 0 ? Math.round((width * Math.min(this.count, this.total)) / this.total) : 0;
    const bar = this.total > 0 ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : "";
    let line = `${bar}${this.status()}${this.detail ? ` ${this.detail}` : ""}`;
    if (line.length > columns - 1) line = `${line.slice(0, columns - 2)}…`;
    this.sink.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
}

/** The right observer for the console: silent with --quiet, a bar on a TTY, plain lines otherwise. */
export function createProgress(
  sink: TextSink,
  mode: { readonly quiet: boolean; readonly isTTY: boolean; readonly columns?: number | undefined },
  options: Partial<ProgressOptions> = {},
): ProgressObserver {
  if (mode.quiet) return new SilentProgress();
  const columns = mode.columns ?? DEFAULTS.columns;
  return mode.isTTY ? new TtyProgress(sink, { columns, ...options }) : new PlainProgress(sink, options);
}
