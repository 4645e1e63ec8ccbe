import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as SchemaEngineWasm from "@prisma/schema-engine-wasm";

type EngineModule = typeof SchemaEngineWasm;

// The package is built for bundlers (`import * as wasm from "x.wasm"`), which Node cannot load,
// so instantiate the wasm ourselves and hand it to the generated bindings.
export async function loadSchemaEngine(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindingsPath = path.join(dir, "schema_engine_bg.js");
  const bindings = (await import(pathToFileURL(bindingsPath).href)) as EngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const { instance } = await WebAssembly.instantiate(readFileSync(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}
