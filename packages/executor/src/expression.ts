// A small CEL subset for trigger `if`/`expression` filters and idempotency keys:
// paths (event.data.x, event.data["x"]), literals, == != < <= > >=, && || !, +, ().
import type { JsonObject, JsonValue } from "./json";

type Token = { t: "num"; v: number } | { t: "str"; v: string } | { t: "id"; v: string } | { t: "op"; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let out = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) {
          out += src[j + 1];
          j += 2;
        } else {
          out += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new Error("Unterminated string literal");
      tokens.push({ t: "str", v: out });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      tokens.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[<>!().[\]+])/.exec(src.slice(i));
    if (op) {
      tokens.push({ t: "op", v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new Error(`Unexpected character "${c}"`);
  }
  return tokens;
}

type Node =
  | { k: "lit"; v: JsonValue | undefined }
  | { k: "path"; root: string; keys: string[] }
  | { k: "not"; e: Node }
  | { k: "bin"; op: string; l: Node; r: Node };

function parse(tokens: Token[]): Node {
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.t === "op" && t.v === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new Error(`Expected "${v}"`);
    pos++;
  };
  const binary = (next: () => Node, ops: string[]) => (): Node => {
    let left = next();
    for (;;) {
      const t = peek();
      if (t?.t === "op" && ops.includes(t.v)) {
        pos++;
        left = { k: "bin", op: t.v, l: left, r: next() };
      } else return left;
    }
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) throw new Error("Unexpected end of expression");
    pos++;
    if (t.t === "num" || t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "op" && t.v === "(") {
      const e = or();
      expectOp(")");
      return e;
    }
    if (t.t === "op" && t.v === "!") return { k: "not", e: primary() };
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
      if (t.v === "null") return { k: "lit", v: null };
      const keys: string[] = [];
      for (;;) {
        if (isOp(".")) {
          pos++;
          const k = peek();
          if (k?.t !== "id") throw new Error("Expected a field name after '.'");
          pos++;
          keys.push(k.v);
        } else if (isOp("[")) {
          pos++;
          const k = peek();
          if (k?.t !== "str" && k?.t !== "num") throw new Error("Expected a literal index");
          pos++;
          keys.push(String(k.v));
          expectOp("]");
        } else break;
      }
      return { k: "path", root: t.v, keys };
    }
    throw new Error(`Unexpected token "${String(t.v)}"`);
  };
  const add = binary(primary, ["+"]);
  const cmp = binary(add, ["==", "!=", "<", "<=", ">", ">="]);
  const and = binary(cmp, ["&&"]);
  const or: () => Node = binary(and, ["||"]);
  const node = or();
  if (pos !== tokens.length) throw new Error(`Unexpected token "${String(tokens[pos]?.v)}"`);
  return node;
}

function evaluate(node: Node, vars: Record<string, unknown>): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "path": {
      let cur: unknown = vars[node.root];
      for (const key of node.keys) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[key];
      }
      return cur;
    }
    case "not":
      return !evaluate(node.e, vars);
    case "bin": {
      if (node.op === "&&") return Boolean(evaluate(node.l, vars)) && Boolean(evaluate(node.r, vars));
      if (node.op === "||") return Boolean(evaluate(node.l, vars)) || Boolean(evaluate(node.r, vars));
      const l = evaluate(node.l, vars);
      const r = evaluate(node.r, vars);
      switch (node.op) {
        case "==":
          return jsonEqual(l ?? null, r ?? null);
        case "!=":
          return !jsonEqual(l ?? null, r ?? null);
        case "+":
          if (typeof l === "number" && typeof r === "number") return l + r;
          return `${stringifyScalar(l)}${stringifyScalar(r)}`;
        default: {
          if (!((typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string")))
            return false;
          if (node.op === "<") return l < r;
          if (node.op === "<=") return l <= r;
          if (node.op === ">") return l > r;
          return l >= r;
        }
      }
    }
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stringifyScalar(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export interface CompiledExpression {
  source: string;
  evaluate(vars: Record<string, unknown>): unknown;
}

/** Throws with a readable message when the expression uses unsupported syntax. */
export function compileExpression(source: string): CompiledExpression {
  const ast = parse(tokenize(source));
  return { source, evaluate: (vars) => evaluate(ast, vars) };
}

/** Trigger event names may end in `*` wildcards (e.g. `app/user.*`). */
export function eventNameMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(name);
}

/** Evaluates an idempotency expression into a key; `undefined` when it yields nothing usable. */
export function idempotencyKey(expression: CompiledExpression, event: JsonObject): string | undefined {
  const value = expression.evaluate({ event });
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
