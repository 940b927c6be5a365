// The case history in the snapshot (format 3; format 2 the same with `state` and `level` on every
// entry): each entry holds codes and parameters, not zh / en sentences, and the case's state and
// level only where they change (and on every ANCHOR-th entry, so a writer finds them nearby). What a user reads is rendered on read from the entry, the case and the pack
// (readHistory), and is what format 1 stored. Instants are whole seconds after `receivedAt` when
// that writes them back exactly, else the string as given; grading reasons leave out what the pack
// says of the rule (label, cite, local, note) when the pack gives it back exactly.
import type { Text } from "../errors/index.js";
import type { GradeReason } from "../grading/grade.js";
import type { RulePack } from "../pack/schema.js";
import { parseIsoDateTime } from "../conditions/time.js";
import type { CaseState, HistoryEntry, HistoryParams, HistoryType, StoredHistoryEntry, StoredInstant } from "./context.js";

export type { HistoryEntry, HistoryParams, HistoryType, StoredHistoryEntry, StoredInstant };

/** The snapshot format this engine writes. Formats 2 and 1 (no `format` key) are read and migrated. */
export const SNAPSHOT_FORMAT = 3;

/**
 * Format 3: entry `i` stores `state` (and `level`) when it differs from the entry before's, and
 * always when `i` is a multiple of ANCHOR (the intake is entry 0), so the entry before's value is
 * never more than ANCHOR - 1 entries back (the snapshot check holds every snapshot to it).
 */
export const ANCHOR = 32;

/** The state and the level in force after the last entry of `prev` (format 2 or 3), read in one pass back to the nearest anchor. */
export function lastOf(prev: ReadonlyArray<{ state?: string | undefined; level?: string | undefined }>): { state: string | undefined; level: string | undefined } {
  let state: string | undefined;
  let level: string | undefined;
  for (let i = prev.length - 1; i >= 0 && (state === undefined || level === undefined); i--) {
    const e = prev[i]!;
    state ??= e.state;
    level ??= e.level;
  }
  return { state, level };
}

// ── Instants ──────────────────────────────────────────────────────────────

interface Base {
  text: string;
  ms: number;
  offsetMs: number;
  suffix: string;
}
const OFFSET = /([+-])(\d\d):(\d\d)$/;
let lastBase: Base | undefined;
function baseOf(receivedAt: string): Base | undefined {
  if (lastBase !== undefined && lastBase.text === receivedAt) return lastBase;
  const ms = parseIsoDateTime(receivedAt);
  if (Number.isNaN(ms)) return undefined;
  let offsetMs = 0;
  let suffix = "Z";
  if (!receivedAt.endsWith("Z")) {
    const m = OFFSET.exec(receivedAt);
    if (!m) return undefined;
    offsetMs = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    suffix = m[0];
  }
  return (lastBase = { text: receivedAt, ms, offsetMs, suffix });
}
const p2 = (n: number) => (n < 10 ? "0" + n : "" + n);
function writeAt(b: Base, ms: number): string {
  const d = new Date(ms + b.offsetMs);
  const y = d.getUTCFullYear();
  const ys = y >= 1000 && y <= 9999 ? "" + y : String(y).padStart(4, "0");
  return `${ys}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${b.suffix}`;
}

/** `at` as stored: seconds after `receivedAt` when that writes back to exactly `at`, else `at`. */
export function storeInstant(receivedAt: string, at: string): StoredInstant {
  const b = baseOf(receivedAt);
  // Only the one written form: YYYY-MM-DDTHH:mm:ss and receivedAt's own offset text. The strict
  // parser accepts it only with a real date, hours ≤ 23 and seconds ≤ 59, so writeAt gives it back
  // exactly (the property tests hold render ≡ stored on random histories).
  if (b === undefined || at.length !== 19 + b.suffix.length || at.charCodeAt(16) !== 58 || !at.endsWith(b.suffix)) return at;
  const ms = parseIsoDateTime(at);
  if (Number.isNaN(ms)) return at;
  const s = (ms - b.ms) / 1000;
  return Number.isSafeInteger(s) && Math.abs(s) <= 0x3fffffff ? s : at;
}

/** The ISO string of a stored instant. */
export function readInstant(receivedAt: string, v: StoredInstant): string {
  if (typeof v === "string") return v;
  const b = baseOf(receivedAt);
  return b === undefined ? String(v) : writeAt(b, b.ms + v * 1000);
}

/** A stored instant in epoch milliseconds (NaN when it is not one). */
export function storedInstantMs(receivedAt: string, v: StoredInstant): number {
  if (typeof v === "string") return parseIsoDateTime(v);
  const b = baseOf(receivedAt);
  return b === undefined ? Number.NaN : b.ms + v * 1000;
}

/** The time of a history entry of a case (format 1 or 2) as an ISO string. */
export function entryAt(context: { receivedAt: string }, entry: { at: StoredInstant }): string {
  return readInstant(context.receivedAt, entry.at);
}

// ── Grading reasons ───────────────────────────────────────────────────────

type Provenance = { label?: Text | undefined; cite?: unknown; local?: true | undefined; note?: Text | undefined };
function reasonSource(pack: RulePack, r: GradeReason): { src: Provenance; label: boolean } | undefined {
  const g = pack.grading;
  if (r.kind === "points") {
    const p = g.score?.points.find((x) => x.id === r.ruleId);
    return p ? { src: p, label: true } : undefined;
  }
  if (r.kind === "threshold") {
    const t = g.score?.thresholds.find((x) => `threshold-${x.level}` === r.ruleId);
    return t ? { src: t as Provenance, label: false } : undefined;
  }
  if (r.kind === undefined && r.ruleId === "default") return { src: g.default as Provenance, label: false };
  const rule = g.rules.find((x) => x.id === r.ruleId);
  return rule ? { src: rule, label: true } : undefined;
}
const PROV = ["cite", "local", "note"] as const;

function fullReason(pack: RulePack, lean: GradeReason): GradeReason {
  const found = reasonSource(pack, lean);
  if (found === undefined) return lean;
  const { src, label } = found;
  const out: Record<string, unknown> = {};
  const prov = () => {
    if (src.cite) out["cite"] = src.cite;
    if (src.local) out["local"] = true;
    if (src.note) out["note"] = src.note;
  };
  let placed = false;
  for (const k in lean) {
    if (k === "conditions" && !placed) {
      prov();
      placed = true;
    }
    out[k] = (lean as unknown as Record<string, unknown>)[k];
    if (k === "level" && label && src.label) out["label"] = src.label;
  }
  if (!placed) prov();
  return out as unknown as GradeReason;
}
function leanReason(pack: RulePack, r: GradeReason): GradeReason {
  const found = reasonSource(pack, r);
  if (found === undefined) return r;
  const out: Record<string, unknown> = {};
  for (const k in r) {
    if ((PROV as readonly string[]).includes(k) || (k === "label" && found.label)) continue;
    out[k] = (r as unknown as Record<string, unknown>)[k];
  }
  return out as unknown as GradeReason;
}
/** JSON text with every object's keys sorted: equal for equal values whatever their key order (a row read back from PostgreSQL jsonb has its keys reordered). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(sortedJson).join(",") + "]";
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return "{" + Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => JSON.stringify(k) + ":" + sortedJson(o[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}
const same = (a: unknown, b: unknown) => sortedJson(a) === sortedJson(b);

/** Sets the reasons of `entry`: without what the pack gives back exactly, else as recorded. */
export function putReasons(pack: RulePack, entry: StoredHistoryEntry, reasons: GradeReason[]): void {
  const lean = reasons.map((r) => leanReason(pack, r));
  if (lean.every((r, i) => sameShallow(fullReason(pack, r), reasons[i]!)) || same(lean.map((r) => fullReason(pack, r)), reasons)) entry.reasons = lean;
  else entry.recordedReasons = reasons;
}
/** The same keys in the same order, each the same value (the grader's reasons hold the pack's own objects). */
function sameShallow(a: GradeReason, b: GradeReason): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i] || x[kx[i]!] !== y[kx[i]!]) return false;
  return true;
}

// ── The sentences ─────────────────────────────────────────────────────────

const t = (zh: string, en: string): Text => ({ zh, en });
const EMPTY = t("", "");
const idLabel = (list: ReadonlyArray<{ id: string; label: Text }> | undefined, id: string | undefined): Text => list?.find((x) => x.id === id)?.label ?? t(String(id), String(id));

/** The zh / en sentence of a stored entry (formats 2 and 3) of a case of `pack`, at `level` (the level in force at the entry). */
export function renderSummary(pack: RulePack, context: { receivedAt: string; firstReceiver?: string }, e: StoredHistoryEntry, level: string): Text {
  if (e.summary !== undefined) return e.summary;
  const lc = pack.lifecycle;
  const at = (v: StoredInstant | undefined) => (v === undefined ? "undefined" : readInstant(context.receivedAt, v));
  const due = at(e.due);
  switch (e.type) {
    case "intake": {
      const lv = pack.levels.find((l) => l.id === level);
      return t(`受理并定级：${lv?.label.zh}，时限 ${due}`, `Taken in and graded ${lv?.label.en}, due ${due}`);
    }
    case "ackOverdue": {
      const label = lc.acknowledge?.label ?? t("签收", "sign-for");
      return t(`逾期未${label.zh}：时限 ${due}`, `Not signed for in time (${label.en}): the limit was ${due}`);
    }
    case "warned": return t(`临近时限：${due} 到期`, `Deadline approaching: due ${due}`);
    case "overdue": return t(`已逾期：时限 ${due}`, `Overdue: the time limit was ${due}`);
    case "reported": {
      const label = idLabel(pack.escalation?.report?.chain, e.body);
      return t(`最高等级逾期未化解，报${label.zh}研究`, `Top level overdue: reported to ${label.en}`);
    }
    case "rectify": {
      const label = lc.rectification?.label ?? t("整改清单", "rectification list");
      const coord = e.coordinate ? t("；需上级部门协调", "; a higher level must coordinate") : EMPTY;
      return t(`列入${label.zh}（第 ${e.n} 项）${coord.zh}`, `Put on the ${label.en} (no. ${e.n})${coord.en}`);
    }
    case "strikeOff": {
      const items = e.items ?? [];
      return t(`销号：第 ${items.join("、")} 项`, `Struck off: no. ${items.join(", ")}`);
    }
    case "supervise": {
      const sv = lc.supervision;
      const label = sv?.label ?? t("督办", "supervision");
      const body = sv?.by ? t(`（${sv.by.label.zh}）`, ` (${sv.by.label.en})`) : EMPTY;
      return t(`${label.zh}${body.zh}：第 ${e.n} 次`, `${label.en}${body.en}: no. ${e.n}`);
    }
    case "assign": {
      const id = e.unit ?? "";
      const r = pack.routing;
      const named = r ? [...r.departments, r.coordinator, ...(r.coordinators ?? [])].find((x) => x.id === id) : undefined;
      const who = named ? t(`${named.label.zh}（${id}）`, `${named.label.en} (${id})`) : t(id, id);
      const auto = e.by === "auto-dispatch" ? t("自动派单", "Dispatched automatically") : t("交办", "Assigned");
      const s = t(`${auto.zh}：${who.zh}`, `${auto.en}: ${who.en}`);
      if (e.deadline === undefined) return s;
      const end = at(e.end);
      return t(`${s.zh}；化解时限 ${e.deadline}（至 ${end}）`, `${s.en}; time limit ${e.deadline} (until ${end})`);
    }
    case "acknowledge": {
      const label = lc.acknowledge?.label;
      return label ? t(`已${label.zh}`, `Done: ${label.en}`) : t("已签收", "Signed for");
    }
    case "update":
      return e.from !== undefined ? t(`依新事实重新定级：${e.from} → ${level}`, `Regraded on new facts: ${e.from} → ${level}`) : t("补充事实", "Facts updated");
    case "requestEscalation": return t(`申请升级或延期：${e.note}`, `Applied for upgrade or extension: ${e.note}`);
    case "decideEscalation": {
      const esc = pack.escalation;
      const body = (e.decision === "extend" ? esc?.extend?.decidedBy?.label : undefined) ?? esc?.decidedBy.label ?? t("决定机构", "the deciding body");
      if (e.decision === "upgrade") return t(`${body.zh}决定升级：${e.from} → ${level}，新时限 ${due}`, `${body.en} decided to upgrade: ${e.from} → ${level}, new time limit ${due}`);
      if (e.decision === "extend") return t(`${body.zh}决定延期 ${e.days} 天，新时限 ${due}`, `${body.en} extended the time limit by ${e.days} days to ${due}`);
      return t(`${body.zh}不同意升级或延期`, `${body.en} rejected the application`);
    }
    case "decideReport": {
      const chain = pack.escalation?.report?.chain;
      const d = idLabel(chain, e.decider);
      const g = idLabel(chain, e.body);
      return e.decision === "report" ? t(`${d.zh}决定报送${g.zh}`, `${d.en} decided to report to ${g.en}`) : t(`${d.zh}决定不报送${g.zh}`, `${d.en} decided not to report to ${g.en}`);
    }
    case "progress": return t("办理进展", "Progress");
    case "resolve": return t("已化解", "Resolved");
    case "followUp": return e.agreementKept === false ? t("回访：协议未履行", "Return visit: the agreement is not kept") : t("回访", "Return visit");
    case "close": return t("结案", "Closed");
    case "selfClose": {
      const label = lc.selfClose?.label ?? t("自行办结", "closed on the spot");
      return t(`${label.zh}（${e.role}）`, `${label.en} (${e.role})`);
    }
    case "return": {
      const from = e.returnedBy;
      const back = context.firstReceiver ?? pack.routing?.coordinator.label.zh;
      const backEn = context.firstReceiver ?? pack.routing?.coordinator.label.en;
      return t(`退回${from ? "（" + from + "）" : ""}：${e.note}${back ? "；由" + back + "重新分流" : ""}`, `Returned${from ? " by " + from : ""}: ${e.note}${backEn ? "; to be dispatched again by " + backEn : ""}`);
    }
    case "verify": {
      const label = lc.verification?.label ?? t("核实", "verification");
      return e.decision === "passed" ? t(`${label.zh}：通过`, `${label.en}: passed`) : t(`${label.zh}未通过，退回办理`, `${label.en} failed: back to be handled again`);
    }
    case "evaluate": {
      const ev = lc.evaluation;
      const rating = ev?.ratings.find((r) => r.value === e.decision)?.label ?? t(String(e.decision), String(e.decision));
      return t(`${ev?.label.zh ?? "评价"}：${rating.zh}`, `${ev?.label.en ?? "evaluation"}: ${rating.en}`);
    }
    case "requestReview": {
      const stage = idLabel(lc.reviews?.stages, e.stage);
      return t(`请求${stage.zh}，时限 ${due}`, `${stage.en} requested, due ${due}`);
    }
    case "recalendar": return recalendarSummary(e, at);
    case "tick": return t("", "");
  }
}

const RECAL: ReadonlyArray<["dueAt" | "warnAt" | "ackDueAt", (a: string, b: string) => Text]> = [
  ["dueAt", (a, b) => t(`原 ${a}，现 ${b}`, `was ${a}, now ${b}`)],
  ["warnAt", (a, b) => t(`预警 原 ${a}，现 ${b}`, `warning was ${a}, now ${b}`)],
  ["ackDueAt", (a, b) => t(`签收时限 原 ${a}，现 ${b}`, `sign-for limit was ${a}, now ${b}`)],
];
function recalendarSummary(e: StoredHistoryEntry, at: (v: StoredInstant | undefined) => string): Text {
  const years = e.years ?? [];
  const zhYears = years.map((y) => `${y}年`).join("、");
  const enYears = years.join(", ");
  const changes: Text[] = [];
  for (const [k, f] of RECAL) if (e.was?.[k] !== undefined) changes.push(f(at(e.was[k]), at(e.now?.[k])));
  const still = e.missing !== undefined ? t(`；${e.missing.map((y) => `${y}年`).join("、")}放假安排仍未加载，仍为暂行时限`, `; the ${e.missing.join(", ")} schedule is still not loaded, so it stays provisional`) : EMPTY;
  const overdue = e.overdue ? t("；此前已按暂行时限认定逾期，该认定不变", "; the case was already found overdue on the provisional deadline, and that stands") : EMPTY;
  return changes.length
    ? t(`按${zhYears}放假安排重新计算时限：${changes.map((x) => x.zh).join("；")}${still.zh}${overdue.zh}`, `Deadline recomputed on the ${enYears} holiday schedule: ${changes.map((x) => x.en).join("; ")}${still.en}${overdue.en}`)
    : t(`按${zhYears}放假安排核对时限：不变，仍为 ${at(e.due)}${still.zh ? still.zh : "，不再是暂行时限"}`, `Deadline checked against the ${enYears} holiday schedule: unchanged, ${at(e.due)}${still.en ? still.en : ", no longer provisional"}`);
}

// ── Building, reading and migrating entries ──────────────────────────────

/**
 * The entry to append to `prev` (the history before it), keys in one order (the engine and the
 * migration build them alike, so their JSON is equal): `state` and `level` only where they change
 * or at an anchor.
 */
export function storedEntry(prev: readonly StoredHistoryEntry[], receivedAt: string, type: HistoryType, at: string, state: CaseState, level: string, by: string | undefined, note?: string, decision?: string, params?: HistoryParams): StoredHistoryEntry {
  const h: StoredHistoryEntry = { type, at: storeInstant(receivedAt, at) };
  if (prev.length % ANCHOR === 0) {
    h.state = state;
    h.level = level;
  } else {
    const last = lastOf(prev);
    if (last.state !== state) h.state = state;
    if (last.level !== level) h.level = level;
  }
  if (by !== undefined) h.by = by;
  if (note !== undefined) h.note = note;
  if (decision !== undefined) h.decision = decision;
  if (params !== undefined) Object.assign(h, params);
  return h;
}

/** The stored entry as a user reads it (the sentence rendered, instants written out, reasons whole), with the state and level in force at it. */
export function renderEntry(pack: RulePack, context: { receivedAt: string; firstReceiver?: string }, e: StoredHistoryEntry, i: number, state: CaseState, level: string): HistoryEntry {
  const out: HistoryEntry = { seq: i + 1, type: e.type, at: readInstant(context.receivedAt, e.at), state, level, summary: renderSummary(pack, context, e, level) };
  if (e.by !== undefined) out.by = e.by;
  if (e.decision !== undefined) out.decision = e.decision;
  if (e.note !== undefined) out.note = e.note;
  if (e.reasons !== undefined) out.reasons = e.reasons.map((r) => fullReason(pack, r));
  else if (e.recordedReasons !== undefined) out.reasons = e.recordedReasons;
  return out;
}

type AnyContext = { receivedAt: string; firstReceiver?: string; history: unknown[] };

/**
 * The history of a case as a user reads it: each entry numbered, its time written out, the state and
 * level in force at it, and its sentence in zh and en, rendered from the codes and parameters the
 * snapshot stores (formats 2 and 3) with the pack's labels; a format 1 snapshot's entries are
 * returned as they were stored. Every format's states are read by {@link recordedState}.
 *
 * @example
 * for (const h of readHistory(snapshot, engine.pack)) console.log(h.at, h.summary.zh, h.summary.en);
 */
export function readHistory(snapshot: { format?: number; context: AnyContext }, pack: RulePack): HistoryEntry[] {
  const c = snapshot.context;
  let state: CaseState | undefined;
  if (snapshot.format === undefined) {
    return (c.history as HistoryEntry[]).map((h) => {
      const was = state;
      state = recordedState(was, h) as CaseState;
      return state === h.state ? h : { ...h, state };
    });
  }
  let level: string | undefined;
  return (c.history as StoredHistoryEntry[]).map((e, i) => {
    state = recordedState(state, e) as CaseState;
    level = e.level ?? level;
    // The snapshot check holds entry 0 to both (an anchor), so neither is undefined here.
    return renderEntry(pack, c, e, i, state, level!);
  });
}

/**
 * The state `e` records, given the state recorded before it (`prev`), as this engine writes it. Two
 * events leave the case where it is — a decision whether to report up (`decideReport`), and new
 * facts (`update`) except that a regrade ends a pending escalation (back to resolving) — but engines
 * before format 3 recorded a wrong state on them: "resolving" on a report decision whatever the
 * state, and on new facts "resolving" for a regraded case still graded or assigned, "graded" for a
 * case resolving without an assignment (their state while an escalation was pending was right).
 * Read them as the state they happened in, what a replay of the same events now writes. Any other
 * entry records the state it states, or `prev` where it states none (format 3).
 */
export function recordedState(prev: string | undefined, e: { type?: string; state?: unknown }): unknown {
  if (prev === undefined) return e.state;
  if (e.type === "decideReport" || (e.type === "update" && prev !== "escalation-pending")) return prev;
  return e.state ?? prev;
}

/**
 * A history of format 2 (`state` and `level` on every entry) as format 3 stores it: each left out
 * where the entry before has the same, except at an anchor. The state of new facts and of a report
 * decision is read by {@link recordedState} (older engines recorded a wrong one there). Entries
 * that lose nothing are the same objects; `list` is not changed.
 */
export function compactHistory(list: readonly StoredHistoryEntry[]): StoredHistoryEntry[] {
  let state: string | undefined;
  let level: string | undefined;
  const out = new Array<StoredHistoryEntry>(list.length);
  for (let i = 0; i < list.length; i++) {
    let e = list[i]!;
    const st = recordedState(state, e);
    if (st !== e.state) e = { ...e, state: st as CaseState };
    const anchor = i % ANCHOR === 0;
    const dropState = !anchor && e.state !== undefined && e.state === state;
    const dropLevel = !anchor && e.level !== undefined && e.level === level;
    state = e.state ?? state;
    level = e.level ?? level;
    if (!dropState && !dropLevel) {
      out[i] = e;
      continue;
    }
    const c: Record<string, unknown> = {};
    for (const k in e) if (!((k === "state" && dropState) || (k === "level" && dropLevel))) c[k] = (e as unknown as Record<string, unknown>)[k];
    out[i] = c as unknown as StoredHistoryEntry;
  }
  return out;
}

// ── Migration of format 1 entries ─────────────────────────────────────────

/** No entry before: storedEntry keeps `state` and `level` (format 2's entry, compacted afterwards). */
const NONE: readonly StoredHistoryEntry[] = [];

/** Candidate parameters of a format 1 entry, read back from its sentence (each is checked by rendering it again). */
function candidates(pack: RulePack, context: { firstReceiver?: string }, h: HistoryEntry): HistoryParams[] {
  const en = h.summary.en;
  const zh = h.summary.zh;
  const tail = (re: RegExp) => re.exec(en)?.[1];
  const chain = pack.escalation?.report?.chain ?? [];
  switch (h.type) {
    case "intake": return [{ due: tail(/, due (.*)$/s) ?? "" }];
    case "ackOverdue": return [{ due: tail(/the limit was (.*)$/s) ?? "" }];
    case "warned": return [{ due: tail(/^Deadline approaching: due (.*)$/s) ?? "" }];
    case "overdue": return [{ due: tail(/^Overdue: the time limit was (.*)$/s) ?? "" }];
    case "reported": return chain.map((b) => ({ body: b.id }));
    case "rectify": {
      const n = Number(/（第 (\d+) 项）/.exec(zh)?.[1]);
      return [zh.endsWith("；需上级部门协调") ? { n, coordinate: true } : { n }];
    }
    case "strikeOff": {
      const list = tail(/^Struck off: no\. (.*)$/s) ?? "";
      return [{ items: list === "" ? [] : list.split(", ").map(Number) }];
    }
    case "supervise": return [{ n: Number(tail(/: no\. (\d+)$/)) }];
    case "assign": {
      const m = /^(?:Assigned|Dispatched automatically): (.*?)(?:; time limit (\d{4}-\d\d-\d\d) \(until (.*)\))?$/s.exec(en);
      if (!m) return [];
      const who = m[1]!;
      const ids = [who];
      const paren = /\(([^()]*)\)$/.exec(who);
      if (paren) ids.unshift(paren[1]!);
      return ids.map((unit) => (m[2] !== undefined ? { unit, deadline: m[2], end: m[3]! } : { unit }));
    }
    case "update": {
      const m = /^依新事实重新定级：(.*) → /s.exec(zh);
      return [m ? { from: m[1]! } : {}];
    }
    case "decideEscalation": {
      if (h.decision === "upgrade") {
        const m = /decided to upgrade: (.*) → .*, new time limit (.*)$/s.exec(en);
        return m ? [{ from: m[1]!, due: m[2]! }] : [];
      }
      if (h.decision === "extend") {
        const m = /extended the time limit by (\d+) days to (.*)$/s.exec(en);
        return m ? [{ days: Number(m[1]), due: m[2]! }] : [];
      }
      return [{}];
    }
    case "decideReport": return chain.slice(1).map((b, i) => ({ body: b.id, decider: chain[i]!.id }));
    case "followUp": return [zh === "回访：协议未履行" ? { agreementKept: false } : {}];
    case "selfClose": {
      const label = pack.lifecycle.selfClose?.label ?? t("自行办结", "closed on the spot");
      return [{ role: en.startsWith(`${label.en} (`) ? en.slice(label.en.length + 2, -1) : "" }];
    }
    case "return": {
      const backEn = context.firstReceiver ?? pack.routing?.coordinator.label.en;
      const suffix = `: ${h.note}${backEn ? "; to be dispatched again by " + backEn : ""}`;
      if (!en.startsWith("Returned") || !en.endsWith(suffix)) return [];
      const mid = en.slice("Returned".length, en.length - suffix.length);
      return [mid.startsWith(" by ") ? { returnedBy: mid.slice(4) } : {}];
    }
    case "requestReview": {
      const dueAt = tail(/ requested, due (.*)$/s) ?? "";
      return (pack.lifecycle.reviews?.stages ?? []).map((s) => ({ stage: s.id, due: dueAt }));
    }
    case "recalendar": return recalendarCandidates(en);
    default: return [{}];
  }
}

function recalendarCandidates(en: string): HistoryParams[] {
  const head = /^Deadline (recomputed on|checked against) the (.*?) holiday schedule: (.*)$/s.exec(en);
  if (!head) return [];
  const years = head[2] === "" ? [] : head[2]!.split(", ").map(Number);
  let rest = head[3]!;
  const out: HistoryParams = { years };
  const overdueText = "; the case was already found overdue on the provisional deadline, and that stands";
  if (rest.endsWith(overdueText)) {
    out.overdue = true;
    rest = rest.slice(0, -overdueText.length);
  }
  const still = /; the (.*) schedule is still not loaded, so it stays provisional$/s.exec(rest);
  if (still) {
    out.missing = still[1] === "" ? [] : still[1]!.split(", ").map(Number);
    rest = rest.slice(0, still.index);
  }
  if (head[1] === "checked against") {
    const m = /^unchanged, (.*?)(?:, no longer provisional)?$/s.exec(rest);
    if (!m) return [];
    out.due = m[1]!;
    return [out];
  }
  const was: Record<string, string> = {};
  const now: Record<string, string> = {};
  for (const part of rest.split("; ")) {
    const m = /^(warning |sign-for limit )?was (.*), now (.*)$/s.exec(part);
    if (!m) return [];
    const k = m[1] === "warning " ? "warnAt" : m[1] === "sign-for limit " ? "ackDueAt" : "dueAt";
    was[k] = m[2]!;
    now[k] = m[3]!;
  }
  out.was = was;
  out.now = now;
  return [out];
}

const INSTANT_PARAMS = ["due", "end"] as const;
function storeParams(receivedAt: string, p: HistoryParams): HistoryParams {
  const out: HistoryParams = { ...p };
  for (const k of INSTANT_PARAMS) if (typeof out[k] === "string") out[k] = storeInstant(receivedAt, out[k]);
  for (const k of ["was", "now"] as const) {
    const o = out[k];
    if (o) {
      const c: Record<string, StoredInstant> = {};
      for (const [f, v] of Object.entries(o)) c[f] = typeof v === "string" ? storeInstant(receivedAt, v) : v;
      out[k] = c;
    }
  }
  return out;
}

/** Params in the order the engine writes them for each type. */
function ordered(type: HistoryType, p: HistoryParams): HistoryParams {
  const order = PARAM_ORDER[type] ?? [];
  const out: Record<string, unknown> = {};
  for (const k of order) if ((p as Record<string, unknown>)[k] !== undefined) out[k] = (p as Record<string, unknown>)[k];
  return out as HistoryParams;
}
/** The parameters each entry type carries, in the order they are written (the snapshot check holds entries to these). */
export const PARAM_ORDER: Readonly<Partial<Record<HistoryType, readonly (keyof HistoryParams)[]>>> = {
  intake: ["due"],
  ackOverdue: ["due"],
  warned: ["due"],
  overdue: ["due"],
  reported: ["body"],
  rectify: ["n", "coordinate"],
  strikeOff: ["items"],
  supervise: ["n"],
  assign: ["unit", "deadline", "end"],
  update: ["from"],
  decideEscalation: ["from", "days", "due"],
  decideReport: ["body", "decider"],
  followUp: ["agreementKept"],
  selfClose: ["role"],
  return: ["returnedBy"],
  requestReview: ["stage", "due"],
  recalendar: ["years", "was", "now", "due", "missing", "overdue"],
};

/** A format 1 entry as format 2 stored it (state and level kept; `compactHistory` makes the history format 3): codes and parameters when they render back to exactly the entry, else its sentence (and reasons) as recorded. */
export function migrateEntry(pack: RulePack, context: { receivedAt: string; firstReceiver?: string }, h: HistoryEntry, i: number): StoredHistoryEntry {
  const base = (params: HistoryParams | undefined) => {
    const e = storedEntry(NONE, context.receivedAt, h.type, h.at, h.state, h.level, h.by, h.note, h.decision, params === undefined ? undefined : ordered(h.type, storeParams(context.receivedAt, params)));
    if (h.reasons !== undefined) putReasons(pack, e, h.reasons);
    return e;
  };
  const want = sortedJson(h);
  for (const p of candidates(pack, context, h)) {
    const e = base(p);
    if (sortedJson(renderEntry(pack, context, e, i, h.state, h.level)) === want) return e;
  }
  const e = base(undefined);
  e.summary = h.summary;
  if (e.reasons !== undefined) {
    delete e.reasons;
    e.recordedReasons = h.reasons!;
  }
  return e;
}
