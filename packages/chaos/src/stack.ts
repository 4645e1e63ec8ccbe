import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

export interface StackOptions {
  repoRoot: string;
  env: NodeJS.ProcessEnv;
  /** Where the stack's output goes (a log file), so kills and restarts can be read afterwards. */
  onOutput: (chunk: string) => void;
}

/**
 * The app and its embedded executor (`pnpm start`'s devstack --prod) as one process group, so a
 * kill takes both down at once, the way a machine or container dies.
 */
export class Stack {
  private child: ChildProcess | null = null;
  kills = 0;
  starts = 0;

  constructor(private readonly options: StackOptions) {}

  start(): void {
    const require = createRequire(import.meta.url);
    const tsx = require.resolve("tsx/cli");
    const devstack = path.join(this.options.repoRoot, "packages/devstack/src/start.ts");
    this.child = spawn(process.execPath, [tsx, devstack, "--prod"], {
      cwd: path.join(this.options.repoRoot, "packages/devstack"),
      env: this.options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.starts += 1;
    this.child.stdout?.on("data", (chunk: Buffer) => this.options.onOutput(chunk.toString()));
    this.child.stderr?.on("data", (chunk: Buffer) => this.options.onOutput(chunk.toString()));
  }

  /** SIGKILL to the whole group: no shutdown handlers, no graceful anything. */
  kill(): void {
    if (!this.child?.pid) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
      this.kills += 1;
    } catch {
      // already gone
    }
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    process.kill(-child.pid, "SIGTERM");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve();
      }, 15_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.child = null;
  }
}

/** Resolves once `url` answers below 500, or rejects at the deadline. */
export async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
