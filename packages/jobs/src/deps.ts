import type { Agent } from "node:https";
import { Resend } from "resend";
import type { Database } from "@acme/db";
import type { JobsConfig } from "./config";

/** Everything the delivery functions touch; tests pass their own. */
export interface JobDeps {
  db: Database;
  config: JobsConfig;
  resend: Resend;
  /** For push services with a private CA (tests); production uses the system trust store. */
  pushAgent?: Agent;
}

export function createJobDeps(db: Database, config: JobsConfig, pushAgent?: Agent): JobDeps {
  const resend = new Resend(config.email.apiKey, config.email.baseUrl ? { baseUrl: config.email.baseUrl } : undefined);
  return { db, config, resend, ...(pushAgent && { pushAgent }) };
}
