// Telling "the app never got the request" apart from "the app failed it". Inngest counts both
// as attempts; here a call that never reached the app (it was down or restarting) is retried
// with backoff until the app answers, without spending the step's attempts, and while an app
// is down the executor probes it instead of sending it every due job.

/** Connection failures before any response: the request cannot have run user code to the end. */
const unreachedCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The error `fetch` threw, when it means the app was not reached; `undefined` otherwise. */
export function unreachedReason(err: unknown): string | undefined {
  const e = err as {
    name?: string;
    code?: string;
    cause?: { code?: string; message?: string; cause?: { code?: string } };
  };
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return undefined;
  const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code;
  return code !== undefined && unreachedCodes.has(code) ? code : undefined;
}

/** Gateway answers while the app restarts behind a proxy; the SDK itself never sends these. */
export function isUnreachedStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** Backoff between probes of an app that did not answer: 250 ms doubling to 10 s, with jitter. */
export function unreachedDelayMs(consecutive: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 250 * 2 ** Math.max(0, consecutive - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Per-app memory of outages, keyed by the serve URL without its query. */
export class AppHealth {
  private readonly down = new Map<string, { failures: number; until: number }>();

  static key(stepUrl: string): string {
    const u = new URL(stepUrl);
    return `${u.origin}${u.pathname}`;
  }

  /** Records a failed call; returns how long to wait before the next try, and whether it is news. */
  unreached(app: string, now = Date.now()): { delayMs: number; first: boolean } {
    const failures = (this.down.get(app)?.failures ?? 0) + 1;
    const delayMs = unreachedDelayMs(failures);
    this.down.set(app, { failures, until: now + delayMs });
    return { delayMs, first: failures === 1 };
  }

  reached(app: string): void {
    this.down.delete(app);
  }

  /** Milliseconds until the app may be tried again, or 0 when it is not known to be down. */
  waitMs(app: string, now = Date.now()): number {
    const state = this.down.get(app);
    return state ? Math.max(0, state.until - now) : 0;
  }
}
