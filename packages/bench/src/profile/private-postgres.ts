// A private PostgreSQL (the machine's own binaries) with pg_stat_statements preloaded, for
// --profile: the shared server does not preload it, and restarting that server would break
// everyone else's tests.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export interface PrivatePostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, "bin")).find((dir) => existsSync(path.join(dir, "initdb")));
  if (!found) throw new Error("--profile needs PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin)");
  return found;
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "bench-pg-"));
  // initdb refuses to run as root: run the server as the postgres user then.
  const asRoot = userInfo().uid === 0;
  const run = (tool: string, args: string[]) => {
    const command = path.join(bin, tool);
    execFileSync(asRoot ? "runuser" : command, asRoot ? ["-u", "postgres", "--", command, ...args] : args, {
      stdio: "pipe",
    });
  };
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  // Settings of the machine's server (see /etc/postgresql/*/main/conf.d), plus the extension.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c shared_preload_libraries=pg_stat_statements",
    // Statements clients send (not the ones run inside them, such as foreign-key checks).
    "-c pg_stat_statements.track=top",
    "-c autovacuum=off",
    "-c fsync=on",
  ].join(" ");
  run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const line = execFileSync("getent", ["passwd", "postgres"], { encoding: "utf8" }).trim().split(":");
  return { uid: Number(line[2]), gid: Number(line[3]) };
}
