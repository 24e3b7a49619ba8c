import { CourtLinkError } from '../../signaling/index.js';

/**
 * Runs async tasks one at a time, in order. Join, admit, leave and room
 * creation for one session go through one queue, so racing requests cannot
 * create two rooms or admit a seat that was just removed. A task that takes
 * longer than the timeout is answered UNAVAILABLE and the queue moves on, so
 * one stuck task cannot freeze a session for everyone.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs = 15_000) {}

  run<T>(task: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    const start = () => withTimeout(task, timeoutMs);
    const result = this.tail.then(start, start);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function withTimeout<T>(task: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CourtLinkError('UNAVAILABLE', 'The session is busy; please try again.')), ms);
    timer.unref();
    task().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
