import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
import { resolveDatabase } from "./resolve";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ maxConnections: 8 });
});
afterAll(async () => {
  await server.stop();
});

describe("embedded PostgreSQL", () => {
  it("keeps concurrent clients' extended-protocol queries and transactions apart", async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: server.url, max: 2 }));
    await pools[0]!.query("CREATE TABLE counters (id int primary key, n int not null)");
    await pools[0]!.query("INSERT INTO counters VALUES (1, 0)");
    const work = pools.flatMap((pool, p) =>
      Array.from({ length: 30 }, async (_, i) => {
        // Different parameter counts make interleaved Parse/Bind sequences fail loudly.
        const { rows } = await pool.query<{ v: number }>(
          p % 2 ? "SELECT $1::int + $2::int AS v" : "SELECT $1::int + $2::int + $3::int AS v",
          p % 2 ? [i, 1] : [i, 1, 0],
        );
        expect(rows[0]!.v).toBe(i + 1);
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const {
            rows: [row],
          } = await client.query<{ n: number }>("SELECT n FROM counters WHERE id = $1 FOR UPDATE", [1]);
          await client.query("UPDATE counters SET n = $1 WHERE id = $2", [row!.n + 1, 1]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
      }),
    );
    await Promise.all(work);
    const { rows } = await pools[0]!.query<{ n: number }>("SELECT n FROM counters WHERE id = 1");
    expect(rows[0]!.n).toBe(90);
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it("keeps serving after a client disconnects in the middle of a transaction", async () => {
    const a = new pg.Client({ connectionString: server.url });
    await a.connect();
    await a.query("BEGIN");
    await a.query("SELECT 1");
    await a.end();
    const b = new pg.Client({ connectionString: server.url });
    await b.connect();
    expect((await b.query<{ t: string }>("SELECT $1::text AS t", ["ok"])).rows[0]!.t).toBe("ok");
    await b.end();
  });

  it("rolls back a client's unfinished sequence when it disconnects, and leaves no error state behind", async () => {
    const setup = new pg.Client({ connectionString: server.url });
    await setup.connect();
    await setup.query("CREATE TABLE orphan (x int)");
    await setup.end();

    for (const text of ["INSERT INTO orphan VALUES (1)", "SELEC broken"]) {
      const client = new pg.Client({ connectionString: server.url });
      client.on("error", () => {}); // it is about to speak out of turn and vanish
      await client.connect();
      // Parse/Bind/Execute without the Sync that would end the sequence, then vanish.
      const connection = (client as unknown as { connection: RawConnection }).connection;
      connection.parse({ text, name: "", types: [] });
      connection.bind({ portal: "", statement: "", values: [] });
      connection.execute({ portal: "", rows: 0 });
      connection.flush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      connection.stream.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const next = new pg.Client({ connectionString: server.url });
    await next.connect();
    expect((await next.query("SELECT $1::int AS v", [7])).rows).toEqual([{ v: 7 }]);
    expect((await next.query("SELECT count(*)::int AS n FROM orphan")).rows).toEqual([{ n: 0 }]);
    await next.end();
  });
});

interface RawConnection {
  parse(query: { text: string; name: string; types: number[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
  flush(): void;
  stream: { destroy(): void };
}

describe("embedded PostgreSQL in production mode", () => {
  it("refuses to start unless asked for a local demo, by option or by LOCAL_DEMO", async () => {
    await expect(startEmbeddedPostgres({ production: true })).rejects.toThrow(
      /Refusing to start the embedded PostgreSQL .* NODE_ENV=production.*DATABASE_URL.*LOCAL_DEMO=on/,
    );
    const saved = { NODE_ENV: process.env.NODE_ENV, LOCAL_DEMO: process.env.LOCAL_DEMO };
    try {
      process.env.NODE_ENV = "production";
      delete process.env.LOCAL_DEMO;
      await expect(startEmbeddedPostgres()).rejects.toThrow(/Refusing to start the embedded PostgreSQL/);
      await expect(resolveDatabase({ dataDir: "/nonexistent/never-created", port: 0 })).rejects.toThrow(
        /Refusing to start the embedded PostgreSQL/,
      );
    } finally {
      Object.assign(process.env, saved);
      if (saved.LOCAL_DEMO === undefined) delete process.env.LOCAL_DEMO;
    }
    // Asked for explicitly, a demo starts.
    const demo = await startEmbeddedPostgres({ production: true, localDemo: true });
    await demo.stop();
  });
});
