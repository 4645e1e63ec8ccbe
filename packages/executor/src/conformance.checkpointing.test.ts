import { defineConformanceSuite } from "./conformance";

defineConformanceSuite({ checkpointing: true });
