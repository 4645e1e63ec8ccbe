// Durations as the SDK sends them for `step.sleep` ("1h30m5s") or `step.sleepUntil` (a timestamp).

const durationRe = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A duration like "1h30m5s" in ms; `undefined` when it is not one. The empty string is zero. */
export function parseDurationMs(text: string): number | undefined {
  const m = durationRe.exec(text.trim());
  if (!m) return undefined;
  const [, w, d, h, min, s, ms] = m.map((x) => Number(x ?? 0));
  return (
    (w ?? 0) * 604_800_000 +
    (d ?? 0) * 86_400_000 +
    (h ?? 0) * 3_600_000 +
    (min ?? 0) * 60_000 +
    (s ?? 0) * 1000 +
    (ms ?? 0)
  );
}

/**
 * A Sleep op's `name` is either a duration like "1h30m5s" or an ISO timestamp (sleepUntil).
 * `step.sleep(0)` arrives as an empty duration and sleeps zero, as with Inngest.
 */
export function parseSleepUntil(name: string, now = Date.now()): Date | undefined {
  const m = durationRe.exec(name.trim());
  if (m) {
    const [, w, d, h, min, s, ms] = m.map((x) => Number(x ?? 0));
    const total =
      (w ?? 0) * 604_800_000 +
      (d ?? 0) * 86_400_000 +
      (h ?? 0) * 3_600_000 +
      (min ?? 0) * 60_000 +
      (s ?? 0) * 1000 +
      (ms ?? 0);
    return new Date(now + total);
  }
  const at = Date.parse(name);
  return Number.isNaN(at) ? undefined : new Date(at);
}
