// Child processes of a benchmark: output to a log file, readiness by a line they print.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface StartedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Resolves once a line of output matches. */
  ready: RegExp;
  timeoutMs?: number;
}

export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: "pipe" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  let isReady = false;
  const readyListeners: (() => void)[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`${options.name} not ready after ${(options.timeoutMs ?? 180_000) / 1000}s; see ${logFile}`)),
      options.timeoutMs ?? 180_000,
    );
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (isReady) return;
      output = (output + chunk.toString("utf8")).slice(-4096);
      if (options.ready.test(output)) {
        isReady = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with code ${code} before it was ready; see ${logFile}`));
    };
    child.once("exit", onEarlyExit);
    readyListeners.push(() => child.off("exit", onEarlyExit));
  });
  for (const remove of readyListeners) remove();
  return {
    name: options.name,
    pid: child.pid!,
    child,
    logFile,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

/** `node --import tsx <script>` from the package directory that has tsx installed. */
export function tsxArgs(script: string, nodeArgs: string[] = []): string[] {
  return [...nodeArgs, "--import", "tsx", script];
}

/** Runs a command to completion, its output to a log file; rejects on a non-zero exit. */
export async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string },
): Promise<void> {
  const logFile = path.join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${name} failed (exit ${code}); see ${logFile}`);
}
