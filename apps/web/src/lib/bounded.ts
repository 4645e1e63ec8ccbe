/** The longest a push step (permission prompt, subscribe, unsubscribe, the server call) may take. */
export const PUSH_STEP_TIMEOUT_MS = 15_000;

/** A step that did not finish in time; its message says what to do. */
export class StepTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepTimeoutError";
  }
}

/**
 * `promise`, or a StepTimeoutError with `message` once `ms` have passed. The step itself cannot be
 * cancelled (browsers give no way to), so a late answer is simply ignored.
 */
export function withinTime<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
