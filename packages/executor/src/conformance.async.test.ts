import { defineConformanceSuite } from "./conformance";

// Without `ctx.fn_id` the SDK runs at most one step per request (classic async protocol).
defineConformanceSuite({ checkpointing: false });
