import { describe, expect, it } from "vitest";
import { loadLocalServiceMode } from "@acme/config";
import { localServiceModeFor } from "./local-demo";

describe("localServiceModeFor", () => {
  it("marks a production start on embedded defaults as a local demo", () => {
    expect(localServiceModeFor(true, loadLocalServiceMode({}))).toEqual({ production: true, localDemo: true });
  });

  it("leaves `pnpm dev` to the environment, so NODE_ENV=production without LOCAL_DEMO is refused", () => {
    expect(localServiceModeFor(false, loadLocalServiceMode({ NODE_ENV: "production" }))).toEqual({
      production: true,
      localDemo: false,
    });
    expect(localServiceModeFor(false, loadLocalServiceMode({}))).toEqual({ production: false, localDemo: false });
  });
});
