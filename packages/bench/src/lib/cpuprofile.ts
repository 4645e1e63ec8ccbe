// Summaries of V8 .cpuprofile files (node --cpu-prof): self time per function and per package,
// limited to the benchmark's measured windows, with minified bundles mapped back to their sources.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FlattenMap, originalPositionFor, type TraceMap } from "@jridgewell/trace-mapping";

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** [start, end] in microseconds of the monotonic clock the profile's timestamps use. */
export type Window = readonly [number, number];

export interface ResolvedFrame {
  name: string;
  /** Source file (mapped when a source map exists), relative and shortened for printing. */
  location: string;
  pkg: string;
}

export interface ProfileSummary {
  /** Sampled time inside the windows, idle excluded (ms). */
  busyMs: number;
  idleMs: number;
  byPackage: { pkg: string; ms: number }[];
  /** The same, with Node's own functions (I/O, promises, async hooks) charged to the nearest caller in a package. */
  byCaller: { pkg: string; ms: number }[];
  byFunction: { name: string; location: string; pkg: string; ms: number }[];
}

const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** The package a source path belongs to: a node_modules package, a workspace package, or Node itself. */
export function packageOf(source: string): string {
  // pnpm's store names the package and version even where a mapped path lost the package folder.
  const store = /node_modules\/\.pnpm\/(@[^+/]+\+[^@/]+|[^@/]+)@/.exec(source);
  if (store) return store[1]!.replace("+", "/");
  const modules = source.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const parts = source.slice(modules + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? "?");
  }
  if (source.startsWith("node:") || source === "") return "node";
  const workspace = /(?:^|\/)(packages|apps)\/([^/]+)\//.exec(source);
  if (workspace) return workspace[1] === "packages" ? `@acme/${workspace[2]}` : `apps/${workspace[2]}`;
  return "other";
}

/** Self time per call frame within the windows (all windows when none are given). */
export function selfTimes(
  profile: CpuProfile,
  windows: readonly Window[] = [],
): { id: number; frame: CallFrame; us: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<number, number>();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (windows.length > 0 && !windows.some(([start, end]) => time >= start && time <= end)) continue;
    const id = profile.samples[i]!;
    totals.set(id, (totals.get(id) ?? 0) + duration);
  }
  return [...totals].map(([id, us]) => ({ id, frame: byNode.get(id)!, us }));
}

/** Maps generated positions to sources through the script's source map, if it has one. */
export class FrameResolver {
  private readonly maps = new Map<string, TraceMap | null>();

  constructor(private readonly root: string) {}

  resolve(frame: CallFrame): ResolvedFrame {
    const fallbackName = frame.functionName || "(anonymous)";
    if (SPECIAL.has(frame.functionName)) return { name: frame.functionName, location: "", pkg: frame.functionName };
    const file = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
    const map = file && frame.lineNumber >= 0 ? this.mapFor(file) : null;
    if (map) {
      const original = originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber });
      if (original.source) {
        const source = cleanSource(original.source);
        return {
          name: original.name ?? fallbackName,
          location: `${shorten(source)}:${original.line}`,
          pkg: packageOf(source),
        };
      }
    }
    const relative = file.startsWith(this.root) ? path.relative(this.root, file) : file;
    return { name: fallbackName, location: `${shorten(relative)}:${frame.lineNumber + 1}`, pkg: packageOf(relative) };
  }

  private mapFor(file: string): TraceMap | null {
    if (this.maps.has(file)) return this.maps.get(file)!;
    let map: TraceMap | null = null;
    try {
      const mapFile = `${file}.map`;
      if (existsSync(mapFile)) map = new FlattenMap(JSON.parse(readFileSync(mapFile, "utf8")) as never, mapFile);
    } catch {
      map = null;
    }
    this.maps.set(file, map);
    return map;
  }
}

/** Turbopack's sources look like `turbopack:///[project]/node_modules/...`. */
function cleanSource(source: string): string {
  let clean = source
    .replace(/^turbopack:\/\/\/?/, "")
    .replace(/^\[project\]\//, "")
    .replace(/^file:\/\//, "");
  try {
    clean = decodeURIComponent(clean);
  } catch {
    // keep it encoded
  }
  return clean;
}

/** `node_modules/.pnpm/x@1/node_modules/x/dist/a.js` → `x/dist/a.js`; workspace paths from the repository root. */
function shorten(source: string): string {
  const modules = source.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = source.slice(modules + "node_modules/".length);
    const pkg = packageOf(source);
    return rest.startsWith(pkg) ? rest : `${pkg}/${rest}`;
  }
  const workspace = /(?:^|\/)((?:packages|apps)\/.*)$/.exec(source);
  return workspace ? workspace[1]! : source;
}

export function summarizeProfile(
  profile: CpuProfile,
  resolver: FrameResolver,
  windows: readonly Window[] = [],
): ProfileSummary {
  const byPackage = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const byFunction = new Map<string, { name: string; location: string; pkg: string; ms: number }>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const callerPackage = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const pkg = resolver.resolve(frames.get(at)!).pkg;
      if (pkg !== "node" && pkg !== "(root)" && pkg !== "(program)") return pkg;
    }
    return "node";
  };
  let idleMs = 0;
  for (const { id, frame, us } of selfTimes(profile, windows)) {
    const ms = us / 1000;
    if (frame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    const resolved = resolver.resolve(frame);
    byPackage.set(resolved.pkg, (byPackage.get(resolved.pkg) ?? 0) + ms);
    const caller = resolved.pkg === "node" ? callerPackage(id) : resolved.pkg;
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + ms);
    const key = `${resolved.name}@${resolved.location}`;
    const entry = byFunction.get(key) ?? { ...resolved, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const busyMs = [...byPackage.values()].reduce((a, b) => a + b, 0);
  return {
    busyMs,
    idleMs,
    byPackage: [...byPackage].map(([pkg, ms]) => ({ pkg, ms })).sort((a, b) => b.ms - a.ms),
    byCaller: [...byCaller].map(([pkg, ms]) => ({ pkg, ms })).sort((a, b) => b.ms - a.ms),
    byFunction: [...byFunction.values()].sort((a, b) => b.ms - a.ms),
  };
}

export function formatProfileSummary(
  title: string,
  summary: ProfileSummary,
  perUnit: { count: number; unit: string },
  top = 15,
): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(summary.busyMs, 1e-9)).toFixed(1).padStart(5)}%`;
  const lines = [
    `${title}: ${summary.busyMs.toFixed(0)} ms on CPU in the measured windows` +
      (perUnit.count > 0 ? ` (${(summary.busyMs / perUnit.count).toFixed(2)} ms per ${perUnit.unit})` : "") +
      `, ${summary.idleMs.toFixed(0)} ms idle`,
    `  by package: ${summary.byPackage
      .slice(0, 12)
      .map((p) => `${p.pkg} ${pct(p.ms).trim()}`)
      .join(", ")}`,
    `  Node internals charged to their caller: ${summary.byCaller
      .slice(0, 12)
      .map((p) => `${p.pkg} ${pct(p.ms).trim()}`)
      .join(", ")}`,
    `  top self time:`,
    ...summary.byFunction.slice(0, top).map((f) => `    ${pct(f.ms)}  ${f.name}  ${f.location}`),
  ];
  return lines.join("\n");
}
