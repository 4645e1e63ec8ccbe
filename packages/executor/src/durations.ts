// Durations as the SDK sends them for `step.sleep` ("1h30m5s") or `step.sleepUntil` (a timestamp).

const durationRe = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A Sleep op's `name` is either a duration like "1h30m5s" or an ISO timestamp (sleepUntil). */
export function parseSleepUntil(name: string, now = Date.now()): Date | undefined {
  const m = durationRe.exec(name.trim());
  if (m && name.trim() !== "") {
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
