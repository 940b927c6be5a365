// The shape of a case snapshot, whole: one description (`SNAPSHOT`) from which both the zod schema
// (docs, JSON Schema, the differential test) and the fast validator the engine runs on every
// snapshot it did not produce itself are made. The fast validator allocates nothing for a valid
// snapshot; only a bad one is walked again to collect every issue with its path.
import * as z from "zod";
import { IssueCode, JicengError, fail, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import { buildFactIndex, isCleanCase, isPlainObject, validateCaseFacts, type FactIndex } from "../conditions/facts.js";
import { parseIsoDate, parseIsoDateTime } from "../conditions/time.js";
import { didYouMean, show } from "../conditions/text.js";
import type { RulePack } from "../pack/schema.js";
import { CASE_EVENT_TYPES } from "./events.js";
import { hasLoadedMark } from "../vocabulary/loaded.js";
import { ANCHOR, PARAM_ORDER, SNAPSHOT_FORMAT, compactHistory, lastOf, migrateEntry, recordedState, storedInstantMs, type HistoryEntry, type HistoryParams, type StoredHistoryEntry, type StoredInstant } from "./history.js";

/** A value set that comes from the pack: an enum when the pack is known, any non-empty string otherwise. */
type PackEnum = "level" | "timeLimit" | "reportBody" | "rating" | "reviewStage" | "checklist" | "role";

/** One node of the snapshot description. */
type Node =
  | { t: "string"; min: number; max?: number }
  | { t: "instant" }
  | { t: "date" }
  | { t: "boolean" }
  | { t: "true" }
  | { t: "false" }
  | { t: "stored-instant" }
  | { t: "tagged"; key: string; variants: Readonly<Record<string, Node>> }
  | { t: "int"; min?: number; max?: number }
  | { t: "number" }
  | { t: "enum"; values: readonly string[] }
  | { t: "pack"; of: PackEnum }
  | { t: "array"; item: Node }
  | { t: "object"; fields: Readonly<Record<string, Node>>; optional: ReadonlySet<string> }
  | { t: "record" }
  | { t: "json" };

const str = (min = 0, max?: number): Node => (max === undefined ? { t: "string", min } : { t: "string", min, max });
const instant: Node = { t: "instant" };
const date: Node = { t: "date" };
const bool: Node = { t: "boolean" };
const yes: Node = { t: "true" };
const int = (min?: number, max?: number): Node => ({ t: "int", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const num: Node = { t: "number" };
const oneOf = (...values: string[]): Node => ({ t: "enum", values });
const fromPack = (of: PackEnum): Node => ({ t: "pack", of });
const list = (item: Node): Node => ({ t: "array", item });
const json: Node = { t: "json" };
const OPT = Symbol("optional");
type Field = Node | { [OPT]: Node };
const opt = (n: Node): Field => ({ [OPT]: n });
function obj(fields: Record<string, Field>): Node {
  const out: Record<string, Node> = {};
  const optional = new Set<string>();
  for (const [k, f] of Object.entries(fields)) {
    if (OPT in f) {
      out[k] = f[OPT];
      optional.add(k);
    } else out[k] = f;
  }
  return { t: "object", fields: out, optional };
}

/** The states of a case (CaseState). */
export const CASE_STATES = ["graded", "assigned", "resolving", "escalation-pending", "resolved", "closed"] as const;
/** What a history entry records: an event, or what a tick did. */
export const HISTORY_TYPES = [...CASE_EVENT_TYPES, "overdue", "warned", "reported", "ackOverdue"] as const;

const text = obj({ zh: str(), en: str() });
// What events bring in keeps the events' limits (events.ts): names of units and people (`by`,
// the assignment's) ≤ 200 characters, free text (notes, reasons, measures) ≤ 5000.
const by = str(1, 200);
const name = str(1, 200);
const free = (min: number) => str(min, 5000);
/** A reason of a grade or a route: which rule, its clause, the conditions seen (kept as recorded). */
const reason = obj({ ruleId: str(1), level: opt(str()), label: opt(text), cite: opt(json), local: opt(yes), note: opt(text), conditions: opt(json), kind: opt(oneOf("points", "threshold")), points: opt(num), score: opt(num), min: opt(num) });

/** The whole snapshot (CaseSnapshot and CaseContext in lifecycle.ts and machine.ts). */
const SNAPSHOT: Node = obj({
  kind: oneOf("jiceng.case"),
  pack: obj({ id: str(1), version: str(1) }),
  state: oneOf(...CASE_STATES),
  context: obj({
    id: opt(str(1)),
    number: opt(str(1)),
    facts: { t: "record" },
    level: fromPack("level"),
    rank: num,
    receivedAt: instant,
    clockStart: instant,
    dueAt: instant,
    warnAt: opt(instant),
    warned: bool,
    overdue: bool,
    assignment: opt(
      obj({
        at: instant,
        by: opt(by),
        leadUnit: opt(name),
        responsibleLeader: opt(name),
        responsibleUnit: opt(name),
        cooperatingUnits: opt(list(name)),
        responsiblePerson: opt(name),
        deadline: opt(date),
        measures: opt(free(1)),
        beyondLimit: opt(obj({ limit: instant })),
      }),
    ),
    acknowledgedAt: opt(instant),
    escalation: opt(obj({ phase: oneOf("awaiting-request", "awaiting-decision"), requestedAt: opt(instant), reason: opt(free(0)) })),
    escalations: list(obj({ at: instant, decision: oneOf("upgrade", "extend", "reject", "regrade"), by, from: fromPack("level"), to: fromPack("level"), reason: opt(free(0)), days: opt(int(1)) })),
    reportedTo: list(obj({ body: fromPack("reportBody"), label: text, at: instant, by: opt(by) })),
    reportPending: opt(int(1)),
    resolvedAt: opt(instant),
    followUps: list(obj({ at: instant, by: opt(by), agreementKept: opt(bool), note: opt(free(0)) })),
    closedAt: opt(instant),
    lastAt: instant,
    history: list(
      obj({
        seq: int(1),
        type: oneOf(...HISTORY_TYPES),
        at: instant,
        by: opt(by),
        state: oneOf(...CASE_STATES),
        level: fromPack("level"),
        summary: text,
        decision: opt(str()),
        note: opt(free(0)),
        reasons: opt(list(reason)),
      }),
    ),
    ackDueAt: opt(instant),
    ackOverdue: opt(bool),
    firstReceiver: opt(by),
    route: opt(
      obj({
        platform: opt(str(1)),
        platformLabel: opt(text),
        platforms: list(str(1)),
        lead: str(1),
        leadLabel: opt(text),
        cooperating: list(str(1)),
        coordinated: bool,
        oversight: opt(obj({ body: str(1), label: text, role: text })),
        usedDefault: bool,
        reasons: list(reason),
      }),
    ),
    timeLimit: opt(fromPack("timeLimit")),
    returns: opt(list(obj({ at: instant, by: opt(by), from: opt(str(1)), reason: free(1) }))),
    rectifications: opt(
      list(
        obj({
          n: int(1),
          at: instant,
          by: opt(by),
          reason: opt(free(1)),
          difficulty: opt(free(1)),
          needsCoordination: opt(bool),
          measures: opt(free(1)),
          struckOffAt: opt(instant),
          struckOffBy: opt(by),
          note: opt(free(0)),
        }),
      ),
    ),
    verifications: opt(list(obj({ at: instant, by: opt(by), passed: bool, note: opt(free(0)) }))),
    verifiedAt: opt(instant),
    evaluation: opt(obj({ at: instant, by: opt(by), rating: fromPack("rating"), note: opt(free(0)) })),
    confirmed: opt(list(obj({ checklist: fromPack("checklist"), before: oneOf("resolve", "close"), at: instant, by: opt(by), items: list(str(1)) }))),
    reviews: opt(list(obj({ stage: fromPack("reviewStage"), at: instant, by: opt(by), reason: free(1), previousResolvedAt: opt(instant) }))),
    selfClosed: opt(obj({ role: fromPack("role"), by: opt(by) })),
    supervisions: opt(list(obj({ at: instant, by: opt(by), note: opt(free(0)) }))),
    schedules: opt(list(obj({ year: int(1, 9999), notice: opt(str(1)), provisional: opt(yes) }))),
    provisional: opt(obj({ fields: list(oneOf("dueAt", "warnAt", "ackDueAt")), years: list(int(1, 9999)) })),
  }),
});

/** A stored instant (formats 2 and 3): whole seconds after `receivedAt`, or an ISO string. */
const sinstant: Node = { t: "stored-instant" };
/** Each parameter of a format 2 or 3 history entry. */
const PARAM_NODE: Record<keyof HistoryParams, Node> = {
  due: sinstant,
  from: fromPack("level"),
  days: int(1),
  unit: str(),
  deadline: date,
  end: sinstant,
  body: fromPack("reportBody"),
  decider: fromPack("reportBody"),
  n: int(1),
  coordinate: yes,
  items: list(int(1)),
  agreementKept: { t: "false" },
  role: fromPack("role"),
  returnedBy: str(1),
  stage: fromPack("reviewStage"),
  years: list(int(1, 9999)),
  was: obj({ dueAt: opt(sinstant), warnAt: opt(sinstant), ackDueAt: opt(sinstant) }),
  now: obj({ dueAt: opt(sinstant), warnAt: opt(sinstant), ackDueAt: opt(sinstant) }),
  missing: list(int(1, 9999)),
  overdue: yes,
};
/** The parameters an entry of each type must carry (unless it keeps its recorded sentence). */
export const REQUIRED_PARAMS: Readonly<Partial<Record<string, readonly (keyof HistoryParams)[]>>> = {
  intake: ["due"], ackOverdue: ["due"], warned: ["due"], overdue: ["due"], reported: ["body"], rectify: ["n"], strikeOff: ["items"], supervise: ["n"],
  assign: ["unit"], decideReport: ["body", "decider"], selfClose: ["role"], requestReview: ["stage", "due"], recalendar: ["years"],
};
const STATE: Node = oneOf(...CASE_STATES);
const LEVEL: Node = fromPack("level");
const entryOf = (type: string, stateLevel: (n: Node) => Field): Node =>
  obj({
    type: oneOf(type),
    at: sinstant,
    state: stateLevel(STATE),
    level: stateLevel(LEVEL),
    by: opt(by),
    note: opt(free(0)),
    decision: opt(str()),
    ...Object.fromEntries((PARAM_ORDER[type as keyof typeof PARAM_ORDER] ?? []).map((k) => [k, opt(PARAM_NODE[k])])),
    ...(type === "intake" || type === "update" ? { reasons: opt(reasons), recordedReasons: opt(reasons) } : {}),
    summary: opt(text),
  });
const reasons = list(reason);
const V1 = SNAPSHOT as Extract<Node, { t: "object" }>;
const V1_CONTEXT = V1.fields["context"] as Extract<Node, { t: "object" }>;
/** The whole snapshot of a format from 2 on: `format: n`, history entries as codes and parameters (`state` and `level` required on each, or optional). */
const snapshotOf = (format: number, stateLevel: (n: Node) => Field): Node => ({
  t: "object",
  fields: {
    kind: V1.fields["kind"]!,
    format: { t: "int", min: format, max: format },
    pack: V1.fields["pack"]!,
    state: V1.fields["state"]!,
    context: { t: "object", fields: { ...V1_CONTEXT.fields, history: list({ t: "tagged", key: "type", variants: Object.fromEntries(HISTORY_TYPES.filter((x) => x !== "tick").map((x) => [x, entryOf(x, stateLevel)])) }) }, optional: V1_CONTEXT.optional },
  },
  optional: new Set(),
});
/** Format 2: `format: 2`, and history entries as codes and parameters, each with the case's state and level. */
const SNAPSHOT_V2: Node = snapshotOf(2, (n) => n);
/** Format 3 (written by this engine): as format 2, with `state` and `level` only where they change and at every ANCHOR-th entry (a relation the shape cannot state). */
const SNAPSHOT_V3: Node = snapshotOf(SNAPSHOT_FORMAT, opt);

// ── The pack's value sets ─────────────────────────────────────────────────

function packValues(pack: RulePack, of: PackEnum): readonly string[] {
  const lc = pack.lifecycle;
  switch (of) {
    case "level": return pack.levels.map((l) => l.id);
    case "timeLimit": return (lc.timeLimits ?? []).map((x) => x.id);
    case "reportBody": return (pack.escalation?.report?.chain ?? []).map((x) => x.id);
    case "rating": return (lc.evaluation?.ratings ?? []).map((x) => x.value);
    case "reviewStage": return (lc.reviews?.stages ?? []).map((x) => x.id);
    case "checklist": return (lc.checklists ?? []).map((x) => x.id);
    case "role": return lc.selfClose?.roles ?? [];
  }
}

/** The description with the pack's value sets filled in (or any non-empty string without a pack); a node met twice is resolved once (the JSON Schema states it once). */
function resolve(node: Node, pack: RulePack | undefined, seen = new Map<Node, Node>()): Node {
  let out = seen.get(node);
  if (out === undefined) seen.set(node, (out = resolveOnce(node, pack, seen)));
  return out;
}
function resolveOnce(node: Node, pack: RulePack | undefined, seen: Map<Node, Node>): Node {
  const resolve_ = (n: Node) => resolve(n, pack, seen);
  switch (node.t) {
    case "pack": return pack ? { t: "enum", values: packValues(pack, node.of) } : str(1);
    case "array": return { t: "array", item: resolve_(node.item) };
    case "object": return { t: "object", fields: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, resolve_(v)])), optional: node.optional };
    case "tagged": return { t: "tagged", key: node.key, variants: Object.fromEntries(Object.entries(node.variants).map(([k, v]) => [k, resolve_(v)])) };
    default: return node;
  }
}

// ── The zod schema: docs and the JSON Schema ──────────────────────────────

const isInstant = (s: string) => !Number.isNaN(parseIsoDateTime(s));
const isDate = (s: string) => !Number.isNaN(parseIsoDate(s));

const zodOf = new WeakMap<Node, z.ZodType>();
/** The zod schema of a node, one per node (shared nodes are stated once in the JSON Schema). */
function toZod(node: Node): z.ZodType {
  let out = zodOf.get(node);
  if (out === undefined) zodOf.set(node, (out = toZodOnce(node)));
  return out;
}
function toZodOnce(node: Node): z.ZodType {
  switch (node.t) {
    case "string": {
      let s = z.string().min(node.min);
      if (node.max !== undefined) s = s.max(node.max);
      return s;
    }
    case "instant": return z.string().refine(isInstant, { message: "ISO 8601 with an offset and a real date" }).meta({ format: "date-time" });
    case "date": return z.string().refine(isDate, { message: "YYYY-MM-DD, a real date" }).meta({ format: "date" });
    case "boolean": return z.boolean();
    case "true": return z.literal(true);
    case "false": return z.literal(false);
    case "stored-instant": return z.union([z.number().int().describe("seconds after context.receivedAt"), z.string().refine(isInstant, { message: "ISO 8601 with an offset and a real date" }).meta({ format: "date-time" })]);
    case "tagged": return z.discriminatedUnion(node.key, Object.values(node.variants).map(toZod) as unknown as [z.ZodObject, ...z.ZodObject[]]);
    case "int": {
      let n = z.number().int();
      if (node.min !== undefined) n = n.min(node.min);
      if (node.max !== undefined) n = n.max(node.max);
      return n;
    }
    case "number": return z.number();
    case "enum": return node.values.length === 0 ? z.never() : node.values.length === 1 ? z.literal(node.values[0]!) : z.enum(node.values as [string, ...string[]]);
    case "pack": return z.string().min(1);
    case "array": return z.array(toZod(node.item));
    case "object": return z.strictObject(Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, node.optional.has(k) ? toZod(v).optional() : toZod(v)])));
    case "record": return z.record(z.string(), z.unknown());
    case "json": return z.json();
  }
}

// ── The fast validator ───────────────────────────────────────────────────

type Path = Array<string | number>;
interface Check {
  /** True when valid; allocates nothing. */
  test(v: unknown): boolean;
  /** Every issue of an invalid value, at its path. */
  explain(v: unknown, path: Path, out: JicengIssue[]): void;
}

const MAX_ISSUES = 100;
const hasOwn = Object.prototype.hasOwnProperty;
const bad = (out: JicengIssue[], path: Path, zh: string, en: string) => {
  if (out.length < MAX_ISSUES) out.push(issue(IssueCode.INVALID_SNAPSHOT, path, zh, en));
};
const field = (path: Path) => String(path[path.length - 1] ?? "snapshot");

/** A JSON value (null, boolean, finite number, string, array, plain object), walked without recursion. */
function isJson(v: unknown): boolean {
  const stack: unknown[] = [v];
  let seen = 0;
  while (stack.length) {
    const x = stack.pop();
    if (++seen > 1_000_000) return false;
    if (x === null || typeof x === "string" || typeof x === "boolean") continue;
    if (typeof x === "number") {
      if (!Number.isFinite(x)) return false;
      continue;
    }
    if (Array.isArray(x)) {
      if (stack.length + x.length > 1_000_000) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i]);
      continue;
    }
    if (!isPlainObject(x)) return false;
    for (const k in x) {
      if (!hasOwn.call(x, k)) return false;
      stack.push(x[k]);
    }
  }
  return true;
}

function compile(node: Node): Check {
  switch (node.t) {
    case "string": {
      const { min, max = Infinity } = node;
      return {
        test: (v) => typeof v === "string" && v.length >= min && v.length <= max,
        explain(v, path, out) {
          if (typeof v !== "string") bad(out, path, `${field(path)} 须为字符串，实际为 ${show(v)}`, `${field(path)} must be a string, got ${show(v)}`);
          else if (v.length < min) bad(out, path, `${field(path)} 不能为空`, `${field(path)} must not be empty`);
          else bad(out, path, `${field(path)} 过长（最多 ${max} 个字符）`, `${field(path)} is too long (at most ${max} characters)`);
        },
      };
    }
    case "instant":
      return {
        test: (v) => typeof v === "string" && !Number.isNaN(parseIsoDateTime(v)),
        explain: (v, path, out) => bad(out, path, `${field(path)} 须为带时区偏移、日期真实的 ISO 8601 时间，实际为 ${show(v)}`, `${field(path)} must be ISO 8601 with an offset and a real date, got ${show(v)}`),
      };
    case "date":
      return {
        test: (v) => typeof v === "string" && !Number.isNaN(parseIsoDate(v)),
        explain: (v, path, out) => bad(out, path, `${field(path)} 须为真实日期 YYYY-MM-DD，实际为 ${show(v)}`, `${field(path)} must be a real date YYYY-MM-DD, got ${show(v)}`),
      };
    case "boolean":
      return { test: (v) => typeof v === "boolean", explain: (v, path, out) => bad(out, path, `${field(path)} 须为 true 或 false，实际为 ${show(v)}`, `${field(path)} must be true or false, got ${show(v)}`) };
    case "false":
      return { test: (v) => v === false, explain: (v, path, out) => bad(out, path, `${field(path)} 只能为 false，实际为 ${show(v)}`, `${field(path)} can only be false, got ${show(v)}`) };
    case "stored-instant":
      return {
        test: (v) => (typeof v === "number" ? Number.isSafeInteger(v) : typeof v === "string" && !Number.isNaN(parseIsoDateTime(v))),
        explain: (v, path, out) => bad(out, path, `${field(path)} 须为整数秒（自 receivedAt 起）或带时区偏移、日期真实的 ISO 8601 时间，实际为 ${show(v)}`, `${field(path)} must be whole seconds after receivedAt or ISO 8601 with an offset and a real date, got ${show(v)}`),
      };
    case "tagged": {
      const variants = new Map(Object.entries(node.variants).map(([k, v]) => [k, compile(v)] as const));
      const names = [...variants.keys()];
      const key = node.key;
      const of = (v: unknown) => (isPlainObject(v) && typeof v[key] === "string" && hasOwn.call(v, key) ? variants.get(v[key] as string) : undefined);
      return {
        test: (v) => of(v)?.test(v) === true,
        explain(v, path, out) {
          if (!isPlainObject(v)) return bad(out, path, `${field(path)} 须为对象，实际为 ${show(v)}`, `${field(path)} must be an object, got ${show(v)}`);
          const c = of(v);
          if (c) return c.explain(v, path, out);
          const x = v[key];
          const hint = typeof x === "string" ? didYouMean(x, names) : { zh: "", en: "" };
          bad(out, [...path, key], `${key} 的值 ${show(x)} 无效；可选：${names.join(", ")}${hint.zh}`, `${key}: invalid value ${show(x)}; allowed: ${names.join(", ")}${hint.en}`);
        },
      };
    }
    case "true":
      return { test: (v) => v === true, explain: (v, path, out) => bad(out, path, `${field(path)} 只能为 true，实际为 ${show(v)}`, `${field(path)} can only be true, got ${show(v)}`) };
    case "int": {
      const { min = -Infinity, max = Infinity } = node;
      return {
        test: (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max,
        explain: (v, path, out) => bad(out, path, `${field(path)} 须为${min > -Infinity ? ` ${min}` : ""}${max < Infinity ? ` 至 ${max}` : min > -Infinity ? " 及以上" : ""}的整数，实际为 ${show(v)}`, `${field(path)} must be an integer${min > -Infinity ? ` ≥ ${min}` : ""}${max < Infinity ? ` and ≤ ${max}` : ""}, got ${show(v)}`),
      };
    }
    case "number":
      return { test: (v) => typeof v === "number" && Number.isFinite(v), explain: (v, path, out) => bad(out, path, `${field(path)} 须为有限数值，实际为 ${show(v)}`, `${field(path)} must be a finite number, got ${show(v)}`) };
    case "enum": {
      const values = new Set(node.values);
      const shown = node.values.length ? node.values.join(", ") : "—";
      return {
        test: (v) => typeof v === "string" && values.has(v),
        explain(v, path, out) {
          const hint = typeof v === "string" ? didYouMean(v, node.values) : { zh: "", en: "" };
          bad(out, path, `${field(path)} 的值 ${show(v)} 无效；可选：${shown}${hint.zh}`, `${field(path)}: invalid value ${show(v)}; allowed: ${shown}${hint.en}`);
        },
      };
    }
    case "pack":
      return compile(str(1));
    case "array": {
      const item = compile(node.item);
      return {
        test(v) {
          if (!Array.isArray(v)) return false;
          for (let i = 0; i < v.length; i++) if (!item.test(v[i])) return false;
          return true;
        },
        explain(v, path, out) {
          if (!Array.isArray(v)) return bad(out, path, `${field(path)} 须为数组，实际为 ${show(v)}`, `${field(path)} must be an array, got ${show(v)}`);
          for (let i = 0; i < v.length && out.length < MAX_ISSUES; i++) if (!item.test(v[i])) item.explain(v[i], [...path, i], out);
        },
      };
    }
    case "object": {
      const keys = Object.keys(node.fields);
      const checks = keys.map((k) => compile(node.fields[k]!));
      const optional = keys.map((k) => node.optional.has(k));
      const n = keys.length;
      const known = new Set(keys);
      return {
        test(v) {
          if (!isPlainObject(v)) return false;
          let seen = 0;
          for (let i = 0; i < n; i++) {
            const x = v[keys[i]!];
            if (x === undefined) {
              if (!optional[i]) return false;
              if (hasOwn.call(v, keys[i]!)) seen++;
              continue;
            }
            if (!hasOwn.call(v, keys[i]!) || !checks[i]!.test(x)) return false;
            seen++;
          }
          // As many own enumerable keys as known ones present: no unknown key, none inherited.
          let count = 0;
          for (const k in v) {
            if (!hasOwn.call(v, k)) return false;
            count++;
          }
          return count === seen;
        },
        explain(v, path, out) {
          if (!isPlainObject(v)) return bad(out, path, `${field(path)} 须为对象，实际为 ${show(v)}`, `${field(path)} must be an object, got ${show(v)}`);
          for (let i = 0; i < n && out.length < MAX_ISSUES; i++) {
            const k = keys[i]!;
            const x = hasOwn.call(v, k) ? v[k] : undefined;
            if (x === undefined) {
              if (!optional[i]) bad(out, [...path, k], `缺少 ${k}`, `${k} is missing`);
              continue;
            }
            if (!checks[i]!.test(x)) checks[i]!.explain(x, [...path, k], out);
          }
          for (const k in v) {
            if (known.has(k) && hasOwn.call(v, k)) continue;
            const hint = didYouMean(k, keys);
            bad(out, [...path, k], `未知字段“${k}”${hint.zh}`, `Unknown field "${k}"${hint.en}`);
          }
        },
      };
    }
    case "record":
      return { test: (v) => isPlainObject(v), explain: (v, path, out) => bad(out, path, `${field(path)} 须为对象，实际为 ${show(v)}`, `${field(path)} must be an object, got ${show(v)}`) };
    case "json":
      return { test: isJson, explain: (_v, path, out) => bad(out, path, `${field(path)} 须为 JSON 值`, `${field(path)} must be a JSON value`) };
  }
}

// ── What the shape cannot say ────────────────────────────────────────────

/** Options for the snapshot check. */
export interface SnapshotCheckOptions {
  /**
   * Snapshots of other versions of the pack: refused (`"same"`, the default: a snapshot made under
   * other rules is a typed error), accepted (`"any"`), or accepted for the versions listed.
   */
  versions?: "same" | "any" | readonly string[];
}

/**
 * Where a history stops running forward in time: the index of the first entry earlier than the one
 * before it, `"lastAt"` when the last entry is later than `lastAt`, or -1. The engine refuses an
 * event earlier than the case's last change, so no snapshot it made runs backwards.
 */
function timeBreak(c: { receivedAt: string; lastAt: string; history: ReadonlyArray<{ at?: unknown }> }): number | "lastAt" {
  let prev = -Infinity;
  const h = c.history;
  for (let i = 0; i < h.length; i++) {
    const ms = storedInstantMs(c.receivedAt, h[i]!.at as StoredInstant);
    if (ms < prev) return i;
    prev = ms;
  }
  return prev > parseIsoDateTime(c.lastAt) ? "lastAt" : -1;
}

/**
 * Where the history and the snapshot disagree on what the case is now: `"state"` when the state the
 * history ends in (each entry's read by recordedState, as readHistory and migration read it) is not
 * the snapshot's `state`, `"level"` when the last level it states is not `context.level`, or undefined. Every change of state
 * or level the engine makes writes a history entry, so only an edit (a closed case set back to
 * resolving, a level raised by hand) makes them differ.
 */
function endMismatch(s: { state: unknown; context: { level: unknown; history: ReadonlyArray<{ type?: string; state?: string; level?: string }> } }): "state" | "level" | undefined {
  const h = s.context.history;
  const state = historyState(h);
  if (state !== undefined && state !== s.state) return "state";
  const level = lastOf(h).level;
  if (level !== undefined && level !== s.context.level) return "level";
  return undefined;
}

/** A sign-for field (签收) of a snapshot whose pack has no sign-for stage: the engine never writes one there. */
function ackField(pack: RulePack, c: { ackDueAt?: unknown; ackOverdue?: unknown }): "ackDueAt" | "ackOverdue" | undefined {
  if (pack.lifecycle.acknowledge !== undefined) return undefined;
  return c.ackDueAt !== undefined ? "ackDueAt" : c.ackOverdue !== undefined ? "ackOverdue" : undefined;
}

/**
 * Checks that need the pack and more than one field: the snapshot is of this pack (and version),
 * its rank is its level's, its history is numbered 1…n and ends in its state and level, a pending report is inside the chain, and
 * its facts are the pack's facts with valid values. `s` already has the right shape.
 */
function relations(pack: RulePack | undefined, facts: FactIndex | undefined, options: SnapshotCheckOptions, ranks: ReadonlyMap<string, number> | undefined) {
  const versions = options.versions ?? "same";
  const chain = pack?.escalation?.report?.chain.length ?? 0;
  const versionOk = (v: string) => pack === undefined || versions === "any" || v === pack.version || (Array.isArray(versions) && versions.includes(v));
  return {
    test(s: SnapshotShape): boolean {
      if (pack !== undefined && (s.pack.id !== pack.id || !versionOk(s.pack.version))) return false;
      const c = s.context;
      if (ranks !== undefined && ranks.get(c.level) !== c.rank) return false;
      const h = c.history;
      if (s.format === undefined) {
        for (let i = 0; i < h.length; i++) if (h[i]!.seq !== i + 1) return false;
      } else {
        if (h.length === 0 || h[0]!.type !== "intake") return false;
        for (let i = 0; i < h.length; i++) if (missingParam(h[i]!) !== undefined || (i > 0 && h[i]!.type === "intake") || missingAnchor(h[i]!, i) !== undefined) return false;
      }
      if (timeBreak(c) !== -1) return false;
      if (endMismatch(s) !== undefined) return false;
      if (pack !== undefined && ackField(pack, c) !== undefined) return false;
      if (pack !== undefined && c.reportPending !== undefined && c.reportPending >= chain) return false;
      if (facts !== undefined && !isCleanCase(facts, c.facts) && validateCaseFacts(facts, c.facts).some((i) => i.severity === "error")) return false;
      return true;
    },
    explain(s: SnapshotShape, path: Path, out: JicengIssue[]): void {
      if (pack !== undefined && s.pack.id !== pack.id) bad(out, [...path, "pack", "id"], `快照属于规则包 "${s.pack.id}"，而非 "${pack.id}"`, `The snapshot belongs to pack "${s.pack.id}", not "${pack.id}"`);
      else if (pack !== undefined && !versionOk(s.pack.version)) {
        bad(out, [...path, "pack", "version"], `快照由规则包 ${pack.id} 的版本 ${s.pack.version} 生成，而非本引擎的 ${pack.version}；确认其规则可沿用后，可用选项 snapshotVersions 接受`, `The snapshot was made by version ${s.pack.version} of pack ${pack.id}, not this engine's ${pack.version}; once its rules are known to carry over, accept it with the snapshotVersions option`);
      }
      const c = s.context;
      const ctx = [...path, "context"];
      if (ranks !== undefined && ranks.get(c.level) !== c.rank) bad(out, [...ctx, "rank"], `rank ${show(c.rank)} 与等级 ${c.level} 的 rank ${ranks.get(c.level)} 不符`, `rank ${show(c.rank)} does not match the rank ${ranks.get(c.level)} of level ${c.level}`);
      const h = c.history;
      if (s.format !== undefined) {
        // Entries carry no number from format 2 on: a history that lost its first entries must still be refused.
        if (h.length === 0 || h[0]!.type !== "intake") bad(out, [...ctx, "history", 0], `历史记录须以受理（intake）开始，实际为 ${show(h[0]?.type)}`, `The history must start with intake, got ${show(h[0]?.type)}`);
        for (let i = 1; i < h.length; i++) if (h[i]!.type === "intake") bad(out, [...ctx, "history", i, "type"], `历史记录第 ${i} 项：受理（intake）只能是第一项`, `History item ${i}: intake can only be the first`);
        for (let i = 0; i < h.length; i++) {
          const k = missingParam(h[i]!);
          if (k !== undefined) bad(out, [...ctx, "history", i, k], `历史记录第 ${i} 项（${h[i]!.type}）缺少参数 ${k}`, `History item ${i} (${h[i]!.type}) lacks its parameter ${k}`);
          const a = missingAnchor(h[i]!, i);
          if (a !== undefined) bad(out, [...ctx, "history", i, a], `历史记录第 ${i} 项缺少 ${a}：格式 ${SNAPSHOT_FORMAT} 的第 0、${ANCHOR}、${2 * ANCHOR}… 项须写明 state 与 level`, `History item ${i} lacks ${a}: in format ${SNAPSHOT_FORMAT}, items 0, ${ANCHOR}, ${2 * ANCHOR}… must state both state and level`);
        }
      }
      for (let i = 0; s.format === undefined && i < h.length; i++) {
        if (h[i]!.seq !== i + 1) {
          bad(out, [...ctx, "history", i, "seq"], `历史记录第 ${i} 项的序号应为 ${i + 1}，实际为 ${h[i]!.seq}`, `History item ${i} must have seq ${i + 1}, got ${h[i]!.seq}`);
          break;
        }
      }
      const end = endMismatch(s);
      if (end !== undefined) {
        const [have, want] = end === "state" ? [s.state, historyState(h)] : [c.level, lastOf(h).level];
        const where = end === "state" ? [...path, "state"] : [...ctx, "level"];
        bad(out, where, `${end} ${show(have)} 与历史记录不符：历史记录止于 ${show(want)}。引擎每次改变状态或等级都会写入历史记录，只有改动过的快照才会这样`, `${end} ${show(have)} does not match the history, which ends in ${show(want)}. The engine writes a history entry for every change of state or level, so only an edited snapshot does this`);
      }
      const ack = pack === undefined ? undefined : ackField(pack, c);
      if (ack !== undefined) {
        bad(out, [...ctx, ack], `规则包 ${pack!.id} 没有签收环节，快照却有 ${ack}：只有改动过的快照才会这样`, `Pack ${pack!.id} has no sign-for stage, yet the snapshot has ${ack}: only an edited snapshot does`);
      }
      const t = timeBreak(c);
      if (t === "lastAt") {
        bad(out, [...ctx, "lastAt"], `lastAt ${show(c.lastAt)} 早于历史记录最后一项的时间：案件的最后一次变化不能早于其记录`, `lastAt ${show(c.lastAt)} is earlier than the last history entry: a case's last change cannot precede its record`);
      } else if (t !== -1) {
        bad(out, [...ctx, "history", t, "at"], `历史记录第 ${t} 项的时间早于前一项：时间不能倒流`, `History item ${t} is earlier than the one before it: time cannot go backwards`);
      }
      if (pack !== undefined && c.reportPending !== undefined && c.reportPending >= chain) {
        bad(out, [...ctx, "reportPending"], `reportPending ${c.reportPending} 超出上报链（共 ${chain} 级）`, `reportPending ${c.reportPending} is beyond the report chain (${chain} bodies)`);
      }
      if (facts !== undefined) for (const i of validateCaseFacts(facts, c.facts, [...ctx, "facts"])) if (i.severity === "error" && out.length < MAX_ISSUES) out.push({ ...i, code: IssueCode.INVALID_SNAPSHOT });
    },
  };
}

interface SnapshotShape {
  format?: number;
  state: string;
  pack: { id: string; version: string };
  context: { level: string; rank: number; receivedAt: string; lastAt: string; ackDueAt?: string; ackOverdue?: boolean; history: Array<{ seq?: number; type?: string; summary?: unknown; at?: unknown; state?: string; level?: string }>; reportPending?: number; facts: Record<string, unknown> };
}

/** The state the history ends in, each entry's read by {@link recordedState} (as migration reads it). */
function historyState(h: ReadonlyArray<{ type?: string; state?: unknown }>): unknown {
  let state: unknown;
  for (let i = 0; i < h.length; i++) state = recordedState(state as string | undefined, h[i]!);
  return state;
}

/** `state` or `level` missing on an anchor entry (every ANCHOR-th, the first included; format 2 has both everywhere). */
function missingAnchor(h: { state?: unknown; level?: unknown }, i: number): "state" | "level" | undefined {
  if (i % ANCHOR !== 0) return undefined;
  return h.state === undefined ? "state" : h.level === undefined ? "level" : undefined;
}

/** The first parameter a format 2 or 3 entry's type requires that it lacks (an entry that keeps its recorded sentence needs none). */
function missingParam(h: { type?: string; summary?: unknown }): string | undefined {
  if (h.summary !== undefined) return undefined;
  for (const k of REQUIRED_PARAMS[h.type ?? ""] ?? []) if ((h as Record<string, unknown>)[k] === undefined) return k;
  return undefined;
}

/** Checks a whole snapshot; the issues carry `path` + the field's path. */
export interface SnapshotValidator {
  /** Every issue of `snapshot` (empty when valid), each at `path` followed by the field's path. */
  check(snapshot: unknown, path: IssuePath): JicengIssue[];
  /** True when valid: allocates nothing. */
  isValid(snapshot: unknown): boolean;
}

/**
 * The validator of the snapshots of `pack` (or, without a pack, of any pack: levels and other
 * pack values are then any non-empty string, and facts any object).
 */
export function snapshotValidator(pack?: RulePack, options: SnapshotCheckOptions = {}, facts?: FactIndex): SnapshotValidator {
  const shapeV1 = compile(resolve(SNAPSHOT, pack));
  const shapeV2 = compile(resolve(SNAPSHOT_V2, pack));
  const shapeV3 = compile(resolve(SNAPSHOT_V3, pack));
  const shapeOf = (s: object): Check | undefined => {
    const f = (s as { format?: unknown }).format;
    return f === undefined ? (hasOwn.call(s, "format") ? undefined : shapeV1) : f === SNAPSHOT_FORMAT ? shapeV3 : f === 2 ? shapeV2 : undefined;
  };
  const index = pack ? (facts ?? buildFactIndex(pack.facts)) : undefined;
  const ranks = pack ? new Map(pack.levels.map((l) => [l.id, l.rank] as const)) : undefined;
  const rel = relations(pack, index, options, ranks);
  // A snapshot this pack's engine made is trusted as it is (it must not be mutated afterwards), and
  // so is one this validator has accepted before: branded by its own validator (DESIGN.md decision
  // 9), so an app sweeping the same in-memory snapshots again does not pay for the whole check each
  // time. The same rule as for the engine's own snapshots: a checked snapshot is not edited in place.
  // The pack's default check (same version, its own facts) accepts exactly what the engine makes:
  // its brand is the engine's own mark (one lookup on the next call); a check of other versions keeps its own.
  const standard = pack !== undefined && (options.versions === undefined || options.versions === "same");
  const checked = new WeakSet<object>();
  const isValid = (s: unknown) => {
    if (pack !== undefined && isProducedBy(s, pack)) return true;
    if (typeof s !== "object" || s === null) return false;
    if (!standard && checked.has(s)) return true;
    const shape = shapeOf(s);
    if (shape === undefined || !shape.test(s) || !rel.test(s as SnapshotShape)) return false;
    if (standard) markProduced(s, pack!);
    else checked.add(s);
    return true;
  };
  return {
    isValid,
    check(s, path) {
      if (isValid(s)) return [];
      const out: JicengIssue[] = [];
      // Not a snapshot at all: one issue for the value, not one per missing field.
      if (!isPlainObject(s) || s["kind"] !== "jiceng.case") bad(out, [...path], `不是 jiceng 案件快照：${show(s)}`, `Not a jiceng case snapshot: ${show(s)}`);
      else if (shapeOf(s) === undefined) {
        const f = s["format"];
        bad(out, [...path, "format"], `无法读取格式版本为 ${show(f)} 的快照：本引擎读取格式 ${SNAPSHOT_FORMAT}，以及格式 2 和无 format 字段的格式 1（读取时迁移）`, `Cannot read a snapshot of format ${show(f)}: this engine reads format ${SNAPSHOT_FORMAT}, and format 2 and format 1 (no format field), migrated on read`);
      } else if (!hasOwn.call(s, "format") && !shapeV1.test(s) && (shapeV3.test({ ...s, format: SNAPSHOT_FORMAT }) || shapeV2.test({ ...s, format: 2 }))) {
        // Format 2 or 3 in all but its mark: say so, rather than list every entry against format 1.
        const f = shapeV3.test({ ...s, format: SNAPSHOT_FORMAT }) ? SNAPSHOT_FORMAT : 2;
        bad(out, [...path, "format"], `缺少 format：此快照的历史记录为格式 ${f}（代码与参数），须写明 format: ${f}`, `format is missing: this snapshot's history is format ${f} (codes and parameters), so it must say format: ${f}`);
      } else if (!shapeOf(s)!.test(s)) shapeOf(s)!.explain(s, [...path], out);
      else rel.explain(s as unknown as SnapshotShape, [...path], out);
      if (out.length === 0) bad(out, [...path], "不是有效的 jiceng 案件快照", "Not a valid jiceng case snapshot");
      return out;
    },
  };
}

/** True for a pack `loadPack` returned (the mark lives in vocabulary/loaded.ts, below every capability). */
export function isLoadedPack(value: unknown): value is RulePack {
  return hasLoadedMark(value);
}

/** The snapshots an engine made, with the pack that made them: trusted by that pack's validators. */
const produced = new WeakMap<object, RulePack>();
/** Records a snapshot the engine of `pack` just made (the mark survives neither JSON nor structuredClone). */
export function markProduced<T extends object>(snapshot: T, pack: RulePack): T {
  produced.set(snapshot, pack);
  return snapshot;
}
/** True for a snapshot the engine of `pack` made (not one read back from a store). */
export function isProducedBy(snapshot: unknown, pack: RulePack): boolean {
  return typeof snapshot === "object" && snapshot !== null && produced.get(snapshot) === pack;
}

const cache = new WeakMap<RulePack, SnapshotValidator>();
let anyPack: SnapshotValidator | undefined;
/** The default validator of a pack's snapshots (same version), made once per pack. */
export function validatorFor(pack: RulePack | undefined): SnapshotValidator {
  if (pack === undefined) return (anyPack ??= snapshotValidator());
  let v = cache.get(pack);
  if (!v) cache.set(pack, (v = snapshotValidator(pack)));
  return v;
}

/** The key under which the engine hands its snapshot validator to `scoreCases` (not public). */
export const SNAPSHOT_CHECK: unique symbol = Symbol("jiceng.snapshotCheck");

/**
 * A list of snapshots handed to a view (sweep, agenda, score): an array (INVALID_ARGUMENT), each
 * item valid (INVALID_SNAPSHOT at the item and field, every bad item reported up to a bound).
 */
export function checkSnapshotList(snapshots: unknown, validator: SnapshotValidator, path: IssuePath = ["snapshots"]): asserts snapshots is readonly unknown[] {
  if (!Array.isArray(snapshots)) fail(IssueCode.INVALID_ARGUMENT, path, `snapshots 须为案件快照数组，实际为 ${show(snapshots)}`, `snapshots must be an array of case snapshots, got ${show(snapshots)}`);
  let out: JicengIssue[] | undefined;
  for (let i = 0; i < snapshots.length; i++) {
    if (validator.isValid(snapshots[i])) continue;
    out ??= [];
    for (const x of validator.check(snapshots[i], [...path, i])) if (out.length < MAX_ISSUES) out.push(x);
  }
  if (out) throw new JicengError(out);
}

/**
 * The zod schema of a case snapshot of `pack` (enums of its levels, time limits, report bodies,
 * ratings, review stages, checklists and roles; the relations between fields as refinements), or
 * of any pack. The engine runs a validator made from the same description; a differential test
 * holds the two equal.
 *
 * @example
 * caseSnapshotSchema(engine.pack).safeParse(JSON.parse(row.snapshot)).success;
 * @see DESIGN.md decision 9
 */
export function caseSnapshotSchema(pack?: RulePack, options: SnapshotCheckOptions = {}): z.ZodType {
  const base = z.union([toZod(resolve(SNAPSHOT_V3, pack)), toZod(resolve(SNAPSHOT_V2, pack)), toZod(resolve(SNAPSHOT, pack))]);
  if (!pack) return base;
  const index = buildFactIndex(pack.facts);
  const rel = relations(pack, index, options, new Map(pack.levels.map((l) => [l.id, l.rank] as const)));
  return base.superRefine((s, ctx) => {
    const out: JicengIssue[] = [];
    if (!rel.test(s as SnapshotShape)) rel.explain(s as SnapshotShape, [], out);
    for (const i of out) ctx.addIssue({ code: "custom", path: i.path.map((x) => (typeof x === "number" ? x : String(x))), message: i.message.en });
  });
}

/**
 * Every issue of a stored snapshot (empty when valid): its whole shape and context against `pack`
 * (levels, time limits, facts…), or against any pack without one. Each issue is INVALID_SNAPSHOT
 * at the field, zh + en. The engine runs the same check on every snapshot handed to it; this is
 * for an app that wants to check a row before it keeps it.
 *
 * @example
 * checkSnapshot(JSON.parse(row.snapshot), engine.pack); // [] when valid
 * @see DESIGN.md decision 9 (nothing from outside is trusted)
 */
export function checkSnapshot(snapshot: unknown, pack?: RulePack, options: SnapshotCheckOptions = {}): JicengIssue[] {
  const validator = Object.keys(options).length === 0 ? validatorFor(pack) : snapshotValidator(pack, options);
  return validator.check(snapshot, []);
}

/**
 * The JSON Schema (draft-07) of a case snapshot (of any pack, or with `pack`'s value sets), generated
 * from the same description as the snapshot check: what a database column or an API holding snapshots can state.
 */
export function caseSnapshotJsonSchema(pack?: RulePack): Record<string, unknown> {
  const v3 = toZod(resolve(SNAPSHOT_V3, pack)).meta({ title: "format 3 / 格式 3", description: `Written by this engine: history entries as codes and parameters, rendered on read (engine.history); an entry states the case's state and level only where they change, and on every ${ANCHOR}th entry (the first included). 本引擎写出的格式：历史记录以代码和参数保存，读取时生成文字；state 与 level 仅在变化处写明，第 0、${ANCHOR}、${2 * ANCHOR}… 项必写。` });
  const v2 = toZod(resolve(SNAPSHOT_V2, pack)).meta({ title: "format 2 / 格式 2", description: "Read and migrated to format 3 (every history entry with the case's state and level). 读取时迁移为格式 3。" });
  const v1 = toZod(resolve(SNAPSHOT, pack)).meta({ title: "format 1 / 格式 1", description: "Read and migrated to format 3 (history entries with their zh / en sentences). 读取时迁移为格式 3。" });
  const schema = z.toJSONSchema(z.union([v3, v2, v1]), { io: "input", target: "draft-07", unrepresentable: "any", reused: "ref" }) as Record<string, unknown>;
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: `urn:jiceng:schema:case-snapshot:${SNAPSHOT_FORMAT}`, title: "jiceng case snapshot / 案件快照", ...schema };
}

export type { Text };

/**
 * A valid snapshot of an older format as format 3 (the same snapshot replaying its events would
 * give): a format 1 history entry as codes and parameters when they render back to exactly what
 * was stored, else with its recorded sentence; then (format 2 too) `state` and `level` left out
 * where the entry before has the same. A format 3 snapshot is returned as it is; the input is
 * never changed.
 */
export function migrateSnapshot<T extends { format?: number; context: { receivedAt: string; firstReceiver?: string; history: unknown[] } }>(snapshot: T, pack: RulePack): T {
  if (snapshot.format === SNAPSHOT_FORMAT) return snapshot;
  const s = snapshot as unknown as { kind: string; pack: { id: string; version: string }; state: string; context: { receivedAt: string; firstReceiver?: string; history: unknown[] } };
  const c = s.context;
  const full = snapshot.format === undefined ? (c.history as HistoryEntry[]).map((h, i) => migrateEntry(pack, c, h, i)) : (c.history as StoredHistoryEntry[]);
  const history = compactHistory(full);
  return { kind: s.kind, format: SNAPSHOT_FORMAT, pack: { id: s.pack.id, version: s.pack.version }, state: s.state, context: { ...c, history } } as unknown as T;
}
