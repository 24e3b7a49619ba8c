/**
 * Runs async tasks one at a time, in order. Join, admit, leave and room
 * creation for one session go through one queue, so racing requests cannot
 * create two rooms or admit a seat that was just removed.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
