/** Progress reporting seen from the pipeline: the CLI supplies a console implementation. */
export interface ProgressObserver {
  /** A new job of `total` steps (0 = unknown). */
  start(total: number, label: string): void;
  /** `n` more steps done (default 1); `detail` is e.g. the current file. */
  tick(n?: number, detail?: string): void;
  /** A line that must be seen (it is printed above the bar). */
  log(line: string): void;
  /** The job ended (also fine to call twice). */
  done(): void;
}
