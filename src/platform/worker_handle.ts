/**
 * The kernel realm's side of a worker, the same on every platform: what the worker reports
 * (types.ts WorkerReport) and how it ended become the WorkerHandle's promises.
 */
import type { ProcessExit, WorkerHandle, WorkerReport } from './types.js';
import { errorOf } from './worker_errors.js';

/** A WorkerHandle fed by a platform's worker events. */
export class WorkerEvents {
  readonly handle: WorkerHandle;
  private phase: 'booting' | 'booted' | 'started' | 'ended' = 'booting';
  private error: Error | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (e: Error) => void;
  private resolveStarted!: () => void;
  private rejectStarted!: (e: Error) => void;
  private resolveExit!: (e: ProcessExit) => void;

  constructor(private readonly name: string, terminate: () => Promise<void>) {
    const ready = new Promise<void>((res, rej) => { this.resolveReady = res; this.rejectReady = rej; });
    const started = new Promise<void>((res, rej) => { this.resolveStarted = res; this.rejectStarted = rej; });
    const exit = new Promise<ProcessExit>((res) => { this.resolveExit = res; });
    // whoever needs them awaits these; a rejection nobody awaits is not an unhandled one
    ready.catch(() => {});
    started.catch(() => {});
    this.handle = { ready, started, exit, terminate };
  }

  /** A report from the worker, in the order it sent them ('exit' is the platform's to act on). */
  report(m: WorkerReport): void {
    if (m.type === 'ready') {
      this.phase = 'booted';
      this.resolveReady();
    } else if (m.type === 'started') {
      if (this.phase !== 'ended') this.phase = 'started';
      this.resolveStarted();
    } else if (m.type === 'error') {
      if (this.error === undefined) this.failed(errorOf(m.error));
    }
  }

  /** The worker failed in a way it could not report itself (a load error, a crash). */
  failed(e: Error): void {
    this.error ??= e;
    if (this.phase === 'booting') this.rejectReady(e);
    if (this.phase !== 'started') this.rejectStarted(e);
  }

  /** The worker's thread ended with `code`. */
  exited(code: number): void {
    if (this.phase !== 'started' && this.error === undefined) {
      this.failed(new Error(`the worker of process "${this.name}" exited with code ${code} before its module started`));
    }
    this.phase = 'ended';
    this.resolveExit(this.error === undefined ? { code } : { code, error: this.error });
  }
}
