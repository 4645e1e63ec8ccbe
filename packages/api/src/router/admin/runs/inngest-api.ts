import { z } from "zod";
import type { InngestAccess } from "@acme/config";

// Inngest's REST API v1 as documented (docs/openapi/v3/api/v1/spec.yaml in inngest/inngest): the
// same read works against the embedded executor, a Dev Server, self-hosted Inngest and Inngest
// Cloud. Every answer is parsed here and nowhere else.

const TIMEOUT_MS = 5_000;

const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** `GET /v1/runs/:runId` → `data`. Only what the admin pages show; unknown fields are ignored. */
export const functionRunSchema = z.object({
  run_id: z.string(),
  /** Running, Completed, Failed or Cancelled (servers may add their own, e.g. Queued). */
  status: z.string(),
  run_started_at: isoDate.nullish(),
  ended_at: isoDate.nullish(),
  function_id: z.string().nullish(),
  function_version: z.number().nullish(),
  event_id: z.string().nullish(),
  output: z.unknown().optional(),
});

/** `GET /v1/runs/:runId/jobs` → `data`: the run's queued work, earliest first. */
export const runJobSchema = z.object({
  at: isoDate,
  position: z.number().optional(),
  attempt: z.number().optional(),
});

const runResponseSchema = z.object({ data: functionRunSchema });
const jobsResponseSchema = z.object({ data: z.array(runJobSchema).nullable() });
const errorBodySchema = z.object({ error: z.string() });

/** A failed run's output carries the error: `{ error: { message } }`, `{ message }` or a string. */
const runErrorSchema = z.union([
  z.object({ error: z.object({ message: z.string() }) }).transform((o) => o.error.message),
  z.object({ error: z.string() }).transform((o) => o.error),
  z.object({ message: z.string() }).transform((o) => o.message),
  z.string(),
]);

export interface RunFacts {
  runId: string;
  status: string;
  startedAt: Date | null;
  endedAt: Date | null;
  functionId: string | null;
  eventId: string | null;
  /** A failed run's error message. */
  error: string | null;
  /** The run's next queued job (its next try, or a step), while it is running. */
  nextJob: { at: Date; attempt: number | null } | null;
}

export type RunLookup = { run: RunFacts; problem: null } | { run: null; problem: string };

/** The run as the Inngest server the app uses knows it, or why it could not be read. */
export async function lookUpRun(access: InngestAccess, runId: string): Promise<RunLookup> {
  if (!access.apiUrl) return { run: null, problem: "No Inngest server is configured to read runs from" };
  const path = `/v1/runs/${encodeURIComponent(runId)}`;
  const answer = await getJson(access, path);
  if (!answer.ok) return { run: null, problem: answer.problem };
  const parsed = runResponseSchema.safeParse(answer.body);
  if (!parsed.success) {
    return { run: null, problem: `${describeServer(access)} answered ${path} with an unexpected shape` };
  }
  const run = parsed.data.data;
  const ended = Boolean(run.ended_at) || ["Completed", "Failed", "Cancelled"].includes(run.status);
  return {
    problem: null,
    run: {
      runId: run.run_id,
      status: run.status,
      startedAt: run.run_started_at ?? null,
      endedAt: run.ended_at ?? null,
      functionId: run.function_id ?? null,
      eventId: run.event_id ?? null,
      error: run.status === "Failed" ? (runErrorSchema.safeParse(run.output).data ?? null) : null,
      nextJob: ended ? null : await nextJob(access, runId),
    },
  };
}

/** The earliest queued job; null when there is none or the server does not list jobs. */
async function nextJob(access: InngestAccess, runId: string): Promise<RunFacts["nextJob"]> {
  const answer = await getJson(access, `/v1/runs/${encodeURIComponent(runId)}/jobs`);
  if (!answer.ok) return null;
  const jobs = jobsResponseSchema.safeParse(answer.body).data?.data ?? [];
  const first = [...jobs].sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  return first ? { at: first.at, attempt: first.attempt ?? null } : null;
}

type Answer = { ok: true; body: unknown } | { ok: false; problem: string };

async function getJson(access: InngestAccess, path: string): Promise<Answer> {
  const server = describeServer(access);
  let response: Response;
  try {
    response = await fetch(`${access.apiUrl}${path}`, {
      headers: {
        accept: "application/json",
        ...(access.signingKey && { authorization: `Bearer ${access.signingKey}` }),
        ...(access.env && { "x-inngest-env": access.env }),
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError")
      return { ok: false, problem: `${server} did not answer within ${TIMEOUT_MS / 1000} s` };
    return { ok: false, problem: `${server} is unreachable (${networkCode(error)})` };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.ok) return { ok: true, body };
  const message = errorBodySchema.safeParse(body).data?.error;
  if (response.status === 404) return { ok: false, problem: `${server} has no such run` };
  if (response.status === 401 || response.status === 403)
    return { ok: false, problem: `${server} refused the signing key (${response.status}); check INNGEST_SIGNING_KEY` };
  return { ok: false, problem: `${server} answered ${response.status}${message ? `: ${message}` : ""}` };
}

function describeServer(access: InngestAccess): string {
  return `Inngest at ${access.apiUrl}`;
}

function networkCode(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return cause instanceof Error ? cause.message : String(cause);
}
