import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmailInput } from "./validation";

/** A message as the mailbox keeps it (and as `GET /__mailbox/messages` returns it). */
export interface StoredEmail extends EmailInput {
  id: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
  idempotencyKey: string | null;
}

interface Record_ {
  email: StoredEmail;
  /** SHA-256 of the request body, to tell a replay from a conflicting reuse of an idempotency key. */
  payloadHash: string | null;
  /** Arrival order, so messages created in the same millisecond still sort newest first. */
  seq: number;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class EmailStore {
  private records: Record_[] = [];
  private seq = 0;
  private readonly dir: string | null;

  constructor(dataDir: string | undefined) {
    this.dir = dataDir ? join(dataDir, "emails") : null;
  }

  async load(): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    const files = (await readdir(this.dir)).filter((f) => f.endsWith(".json"));
    const loaded = await Promise.all(
      files.map(async (f) => JSON.parse(await readFile(join(this.dir as string, f), "utf8")) as Record_),
    );
    loaded.sort((a, b) => a.seq - b.seq);
    this.records = loaded;
    this.seq = loaded.reduce((max, r) => Math.max(max, r.seq), 0);
  }

  /** Newest first. */
  list(): StoredEmail[] {
    return this.records.map((r) => r.email).reverse();
  }

  get(id: string): StoredEmail | undefined {
    return this.records.find((r) => r.email.id === id)?.email;
  }

  /** Messages stored under `key` within Resend's 24 h idempotency window, oldest first. */
  findByIdempotencyKey(key: string, now = Date.now()): { email: StoredEmail; payloadHash: string | null }[] {
    return this.records
      .filter((r) => r.email.idempotencyKey === key && now - Date.parse(r.email.createdAt) <= IDEMPOTENCY_WINDOW_MS)
      .map((r) => ({ email: r.email, payloadHash: r.payloadHash }));
  }

  /** Adds synchronously (so a concurrent replay sees it) and then persists. */
  async add(email: StoredEmail, payloadHash: string | null): Promise<void> {
    const record: Record_ = { email, payloadHash, seq: ++this.seq };
    this.records.push(record);
    if (!this.dir) return;
    const file = join(this.dir, `${email.id}.json`);
    // Write-then-rename so a crash never leaves a half-written message behind.
    await writeFile(`${file}.tmp`, JSON.stringify(record, null, 2));
    await rename(`${file}.tmp`, file);
  }

  async clear(): Promise<void> {
    this.records = [];
    if (!this.dir) return;
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }
}
