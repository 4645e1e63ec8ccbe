import { describe, expect, it } from "vitest";
import { callerFor, createUser, useTestDatabase } from "../../../test-utils";
import { createChange, createDelivery } from "../test-helpers";

const database = useTestDatabase();

const at = (iso: string) => new Date(iso);

async function adminCaller() {
  const admin = await createUser(database.db, { role: "admin" });
  return callerFor(database.db, admin).caller;
}

type Caller = Awaited<ReturnType<typeof adminCaller>>;
type ListInput = Parameters<Caller["admin"]["deliveries"]["list"]>[0];

/** Follows nextCursor to the end, returning every page's ids. */
async function allPages(caller: Caller, input: ListInput) {
  const pages: string[][] = [];
  let cursor: { createdAt: Date; id: string } | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await caller.admin.deliveries.list({ ...input, cursor });
    pages.push(page.items.map((item) => item.id));
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

describe("admin.deliveries.list", () => {
  it("lists newest first, breaking createdAt ties by id (desc), with user, change and masked target", async () => {
    const user = await createUser(database.db, { username: "Alice_1" });
    const parent = await createChange(database.db, user);
    const older = await createDelivery(database.db, parent, {
      createdAt: at("2026-01-01T10:00:00Z"),
      target: "alice@example.com",
    });
    const tieA = await createDelivery(database.db, parent, {
      channel: "push",
      createdAt: at("2026-01-01T11:00:00Z"),
      target: "https://fcm.googleapis.com/fcm/send/abcdef123456",
    });
    const tieB = await createDelivery(database.db, parent, { createdAt: at("2026-01-01T11:00:00Z") });
    const caller = await adminCaller();

    const { items, nextCursor } = await caller.admin.deliveries.list({});
    const tied = [tieA.id, tieB.id].sort().reverse();
    expect(items.map((i) => i.id)).toEqual([...tied, older.id]);
    expect(nextCursor).toBeNull();

    const email = items.find((i) => i.id === older.id)!;
    expect(email).toMatchObject({
      channel: "email",
      status: "sent",
      target: "a***@example.com",
      // Lists mask the user's email like the target: the detail page shows it in full.
      user: { id: user.id, email: "a***@example.test", username: "Alice_1" },
      change: { id: parent.change.id, changedFields: ["username"] },
      eventId: parent.eventId,
      retryable: false,
      retryRequestedAt: null,
    });
    expect(items.find((i) => i.id === tieA.id)!.target).toBe("fcm.googleapis.com/…123456");
  });

  it("pages by keyset without duplicates or gaps, also across many rows with the same createdAt", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const same = at("2026-02-01T12:00:00Z");
    for (let i = 0; i < 17; i++) await createDelivery(database.db, parent, { createdAt: same });
    for (let i = 0; i < 6; i++)
      await createDelivery(database.db, parent, { createdAt: new Date(same.getTime() + (i - 3) * 1000) });
    const expected = (
      await database.db.delivery.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } })
    ).map((d) => d.id);
    const caller = await adminCaller();

    for (const limit of [1, 4, 7, 23, 50]) {
      const pages = await allPages(caller, { limit });
      expect(pages.flat()).toEqual(expected);
      expect(pages.every((page) => page.length <= limit)).toBe(true);
      // No trailing empty page when the total is a multiple of the page size.
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
    }
  });

  it("keeps pages stable when newer rows arrive between page loads", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    for (let i = 0; i < 6; i++)
      await createDelivery(database.db, parent, { createdAt: new Date(Date.UTC(2026, 2, 1, 0, i)) });
    const caller = await adminCaller();
    const first = await caller.admin.deliveries.list({ limit: 3 });
    await createDelivery(database.db, parent, { createdAt: new Date(Date.UTC(2026, 2, 2)) });
    const second = await caller.admin.deliveries.list({ limit: 3, cursor: first.nextCursor });
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(6);
  });

  it("filters by status, channel and time range, and combines them", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const failedEmail = await createDelivery(database.db, parent, {
      status: "failed",
      createdAt: at("2026-03-01T09:00:00Z"),
    });
    const failedPush = await createDelivery(database.db, parent, {
      status: "failed",
      channel: "push",
      createdAt: at("2026-03-01T10:00:00Z"),
    });
    const sentPush = await createDelivery(database.db, parent, {
      status: "sent",
      channel: "push",
      createdAt: at("2026-03-01T11:00:00Z"),
    });
    const queued = await createDelivery(database.db, parent, {
      status: "queued",
      createdAt: at("2026-03-01T12:00:00Z"),
    });
    const caller = await adminCaller();
    const ids = async (input: ListInput) => (await caller.admin.deliveries.list(input)).items.map((i) => i.id);

    expect(await ids({ status: "failed" })).toEqual([failedPush.id, failedEmail.id]);
    expect(await ids({ channel: "push" })).toEqual([sentPush.id, failedPush.id]);
    expect(await ids({ status: "failed", channel: "push" })).toEqual([failedPush.id]);
    expect(await ids({ status: "expired" })).toEqual([]);
    // `from` is inclusive, `to` exclusive.
    expect(await ids({ from: at("2026-03-01T10:00:00Z"), to: at("2026-03-01T12:00:00Z") })).toEqual([
      sentPush.id,
      failedPush.id,
    ]);
    expect(await ids({ from: at("2026-03-01T11:30:00Z") })).toEqual([queued.id]);
    expect(await ids({ to: at("2026-03-01T09:30:00Z") })).toEqual([failedEmail.id]);
  });

  it("searches by user email or username (part, any case), change id, event id and delivery id", async () => {
    const carol = await createUser(database.db, { username: "Carol_Smith" });
    const dave = await createUser(database.db, { username: "dave_jones" });
    const carolChange = await createChange(database.db, carol);
    const daveChange = await createChange(database.db, dave);
    const carolDelivery = await createDelivery(database.db, carolChange);
    const daveDeliveries = [
      await createDelivery(database.db, daveChange),
      await createDelivery(database.db, daveChange, { channel: "push" }),
    ];
    const caller = await adminCaller();
    const ids = async (search: string) =>
      (await caller.admin.deliveries.list({ search })).items.map((i) => i.id).sort();
    const daveIds = daveDeliveries.map((d) => d.id).sort();

    expect(await ids(carol.email.toUpperCase())).toEqual([carolDelivery.id]);
    expect(await ids("carol_s")).toEqual([carolDelivery.id]);
    expect(await ids("DAVE_JONES")).toEqual(daveIds);
    expect(await ids(`  ${daveChange.change.id} `)).toEqual(daveIds);
    expect(await ids(daveChange.eventId)).toEqual(daveIds);
    expect(await ids(carolDelivery.id)).toEqual([carolDelivery.id]);
    expect(await ids("nobody-matches-this")).toEqual([]);
    // A search combines with the other filters.
    expect(
      (await caller.admin.deliveries.list({ search: "dave_jones", channel: "push" })).items.map((i) => i.id),
    ).toEqual([daveDeliveries[1]!.id]);
  });

  it("accepts the direction key tRPC's useInfiniteQuery sends", async () => {
    const caller = await adminCaller();
    await expect(caller.admin.deliveries.list({ cursor: null, direction: "forward" })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("treats LIKE wildcards in a search as plain characters", async () => {
    const user = await createUser(database.db, { username: "wild_card" });
    const other = await createUser(database.db, { username: "wildxcard" });
    await createDelivery(database.db, await createChange(database.db, user));
    await createDelivery(database.db, await createChange(database.db, other));
    const caller = await adminCaller();
    expect((await caller.admin.deliveries.list({ search: "wild_card" })).items.map((i) => i.user.username)).toEqual([
      "wild_card",
    ]);
    expect((await caller.admin.deliveries.list({ search: "%" })).items).toEqual([]);
  });
});

describe("admin.deliveries.updates (live view poll)", () => {
  it("returns rows newer than the newest shown (same filters) and watched rows changed since the last poll", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const shown = await createDelivery(database.db, parent, {
      status: "queued",
      createdAt: at("2026-04-01T10:00:00Z"),
    });
    const untouched = await createDelivery(database.db, parent, {
      status: "queued",
      createdAt: at("2026-04-01T09:00:00Z"),
    });
    const caller = await adminCaller();

    const first = await caller.admin.deliveries.updates({
      newerThan: { createdAt: shown.createdAt, id: shown.id },
      watch: [shown.id, untouched.id],
      updatedSince: null,
    });
    expect(first.fresh).toEqual([]);
    expect(first.updated.map((r) => r.id).sort()).toEqual([shown.id, untouched.id].sort());

    const newEmail = await createDelivery(database.db, parent, { createdAt: at("2026-04-01T11:00:00Z") });
    await createDelivery(database.db, parent, { channel: "push", createdAt: at("2026-04-01T11:00:00Z") });
    await database.db.delivery.update({
      where: { id: shown.id },
      data: { status: "sent", updatedAt: new Date(Date.now() + 60_000) },
    });
    await database.db.delivery.update({
      where: { id: untouched.id },
      data: { updatedAt: new Date(Date.now() - 60 * 60_000) },
    });

    const next = await caller.admin.deliveries.updates({
      channel: "email",
      newerThan: { createdAt: shown.createdAt, id: shown.id },
      watch: [shown.id, untouched.id],
      updatedSince: first.pollAt,
    });
    expect(next.fresh.map((r) => r.id)).toEqual([newEmail.id]);
    expect(next.freshOverflow).toBe(false);
    expect(next.updated.map((r) => [r.id, r.status])).toEqual([[shown.id, "sent"]]);
  });

  it("says when more new rows arrived than one poll carries", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    for (let i = 0; i < 51; i++) await createDelivery(database.db, parent);
    const caller = await adminCaller();
    const poll = await caller.admin.deliveries.updates({
      newerThan: { createdAt: new Date(0), id: "0" },
      watch: [],
      updatedSince: null,
    });
    expect(poll.fresh).toHaveLength(50);
    expect(poll.freshOverflow).toBe(true);
  });
});
