// `node --cpu-prof` for processes we cannot pass flags to (Node 20 refuses --cpu-prof in
// NODE_OPTIONS, and the devstack starts Next.js itself): loaded with NODE_OPTIONS=--require,
// it starts V8's sampling profiler at once and writes <BENCH_CPU_PROF_DIR>/<pid>.cpuprofile
// (plus <pid>.json naming the process) when the process exits.
"use strict";
const { Session } = require("node:inspector");
const { writeFileSync } = require("node:fs");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // An in-process session answers synchronously, so this works inside an exit handler.
    session.post("Profiler.stop", (error, result) => {
      if (error || !result) return;
      writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ pid: process.pid, argv: process.argv }));
    });
  };
  process.on("exit", write);
  // A process without its own handler dies on SIGTERM/SIGINT without an "exit" event (Next.js
  // behind our server.ts does): write the profile, then exit as the signal would have.
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ]) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      write();
      process.exit(code);
    });
  }
}
