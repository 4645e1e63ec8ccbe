// Cron triggers: Inngest's syntax (standard 5 fields, or 6 with seconds, macros like @daily,
// an optional "TZ=Zone " prefix) parsed by cron-parser.
import { CronExpressionParser } from "cron-parser";

const tzPrefix = /^(?:CRON_)?TZ=(\S+)\s+(.+)$/;

function split(expression: string): { tz: string; spec: string } {
  const m = tzPrefix.exec(expression.trim());
  return m ? { tz: m[1] as string, spec: (m[2] as string).trim() } : { tz: "UTC", spec: expression.trim() };
}

/** Throws with cron-parser's message when the expression is invalid. */
export function validateCron(expression: string): void {
  const { tz, spec } = split(expression);
  CronExpressionParser.parse(spec, { tz, currentDate: new Date(0) });
}

/** The first fire time strictly after `after`. */
export function nextCronTime(expression: string, after: Date): Date {
  const { tz, spec } = split(expression);
  return CronExpressionParser.parse(spec, { tz, currentDate: after }).next().toDate();
}
