export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createConsoleLogger(level: LogLevel = "info"): Logger {
  const min = order[level];
  const emit = (lvl: Exclude<LogLevel, "silent">) => (message: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < min) return;
    const line = `[executor] ${lvl.toUpperCase()} ${message}`;
    const out = lvl === "error" ? console.error : lvl === "warn" ? console.warn : console.log;
    if (fields && Object.keys(fields).length > 0) out(line, fields);
    else out(line);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
