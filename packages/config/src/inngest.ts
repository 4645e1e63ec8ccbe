/** How the admin pages read Inngest runs and where a person opens one, for every deployment. */
export interface InngestAccess {
  /** Base URL of Inngest's REST API (`/v1/runs/:id`); null when the app has none to read. */
  apiUrl: string | null;
  /** Sent as `Authorization: Bearer …` (Inngest Cloud and self-hosted Inngest ask for the signing key). */
  signingKey: string | null;
  /** Inngest's branch environment (`x-inngest-env`); null for the default one. */
  env: string | null;
  /** A person's page for a run with `{runId}` in it; null when the server has no UI (the embedded executor). */
  runPageUrl: string | null;
}

export interface InngestEnv {
  INNGEST_DEV?: string | undefined;
  INNGEST_BASE_URL?: string | undefined;
  INNGEST_SIGNING_KEY?: string | undefined;
  INNGEST_ENV?: string | undefined;
  INNGEST_RUN_PAGE_URL?: string | undefined;
}

export const INNGEST_CLOUD_API = "https://api.inngest.com";
export const INNGEST_CLOUD_DASHBOARD = "https://app.inngest.com";
/** Where the SDK looks for a Dev Server when INNGEST_DEV is only a flag. */
const DEFAULT_DEV_SERVER = "http://localhost:8288";

const isUrl = (value: string | undefined): value is string => Boolean(value && /^https?:\/\//.test(value));
const isOn = (value: string | undefined) => Boolean(value && !["0", "false", "off", "no"].includes(value));

/**
 * The SDK's own reading of the environment (INNGEST_DEV: a Dev Server URL or a flag; else
 * INNGEST_BASE_URL; else Inngest Cloud), turned into where runs can be read and opened.
 */
export function inngestAccess(env: InngestEnv): InngestAccess {
  const devServer = isUrl(env.INNGEST_DEV) ? env.INNGEST_DEV : isOn(env.INNGEST_DEV) ? DEFAULT_DEV_SERVER : null;
  const server = devServer ?? env.INNGEST_BASE_URL ?? null;
  const signingKey = env.INNGEST_SIGNING_KEY ?? null;
  const cloud = !server && signingKey !== null;
  const apiUrl = server ? server.replace(/\/+$/, "") : cloud ? INNGEST_CLOUD_API : null;
  const inngestEnv = env.INNGEST_ENV ?? null;
  const defaultPage = cloud
    ? `${INNGEST_CLOUD_DASHBOARD}/env/${encodeURIComponent(inngestEnv ?? "production")}/runs/{runId}`
    : apiUrl
      ? `${apiUrl}/run?runID={runId}`
      : null;
  const runPageUrl = env.INNGEST_RUN_PAGE_URL === "off" ? null : (env.INNGEST_RUN_PAGE_URL ?? defaultPage);
  return { apiUrl, signingKey, env: inngestEnv, runPageUrl };
}

/** The page for one run, or null. */
export function runPageFor(access: Pick<InngestAccess, "runPageUrl">, runId: string): string | null {
  return access.runPageUrl ? access.runPageUrl.replace("{runId}", encodeURIComponent(runId)) : null;
}
