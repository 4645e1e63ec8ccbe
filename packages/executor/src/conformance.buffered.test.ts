import { defineConformanceSuite } from "./conformance";

// The app's setting (packages/jobs): finished steps checkpoint in batches, and a run whose steps all
// finish in one request returns them with its result.
defineConformanceSuite({ checkpointing: true, bufferedSteps: 10 });
