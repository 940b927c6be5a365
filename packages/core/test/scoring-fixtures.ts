// Deterministic Guyuan case stories for the scoring tests and the sample report.
import type { CreateEngineInput } from "@jiceng/core";
import { readFileSync } from "node:fs";
import { createEngine, type CaseEvent, type CaseSnapshot, type Engine } from "../src/index.js";

export const guyuanPack = JSON.parse(readFileSync(new URL("../../rules-guyuan/pack.json", import.meta.url), "utf8")) as Record<string, unknown>;

/** A small seeded generator (mulberry32): the same seed, the same cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** `2022-07-05T10:00:00+08:00` for an epoch ms. */
export function iso(ms: number): string {
  const d = new Date(ms + 8 * HOUR);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00+08:00`;
}

export const UNITS = ["司法所", "派出所", "人民法庭", "综合执法办公室", "妇联"] as const;

export interface StoryOptions {
  from: string;
  to: string;
  count: number;
  seed: number;
  /** Per-unit skill 0–1: higher resolves more, sooner. */
  skill?: Readonly<Record<string, number>>;
}

/** One case story: intake, assignment, then (maybe) ticks, applications, decisions, resolution, visits, closing. */
export function guyuanStories(engine: Engine, o: StoryOptions): CaseSnapshot[] {
  const r = rng(o.seed);
  const lo = Date.parse(o.from);
  const hi = Date.parse(o.to);
  const out: CaseSnapshot[] = [];
  const seqs = new Map<string, number>();
  for (let n = 0; n < o.count; n++) {
    const at = lo + Math.floor(r() * ((hi - lo) / HOUR)) * HOUR;
    const unit = UNITS[Math.floor(r() * UNITS.length)]!;
    const skill = o.skill?.[unit] ?? 0.8;
    const roll = r();
    const risks = roll < 0.08 ? { homicide: true } : roll < 0.25 ? { petitionTo: "city" } : {};
    const type = r() < 0.2 ? "petition" : r() < 0.6 ? "dispute" : "hazard";
    const day = iso(at).slice(5, 10).replace("-", "");
    const unitCode = String(1 + Math.floor(r() * 3)).padStart(2, "0");
    const key = `${day}${unitCode}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    let snap = engine.start({ type: "intake", at: iso(at), by: "综治中心", seq, facts: { receivedAt: iso(at), unitCode, subunitCode: "01", type, source: type === "petition" ? "petition-referral" : "grid-worker", risks } });
    const ev = (e: CaseEvent) => {
      snap = engine.transition(snap, e);
    };
    let t = at + 2 * HOUR;
    ev({ type: "assign", at: iso(t), by: "功能型党支部", leadUnit: unit, responsibleUnit: unit, responsiblePerson: "责任人", deadline: iso(Date.parse(snap.context.dueAt) - DAY).slice(0, 10), measures: "调解" });
    const due = Date.parse(snap.context.dueAt);
    const span = due - at;
    const outcome = r();
    if (outcome < skill) {
      // Resolved in time.
      t = at + Math.floor(span * (0.2 + 0.7 * r()));
      ev({ type: "resolve", at: iso(t), by: unit });
    } else if (outcome < skill + (1 - skill) * 0.6) {
      // Overdue: application, then upgrade or extension, then resolved.
      t = due + 8 * HOUR;
      ev({ type: "tick", at: iso(t) });
      if (snap.state === "escalation-pending") {
        t += HOUR;
        ev({ type: "requestEscalation", at: iso(t), by: unit, reason: "一时难以化解" });
        t += DAY;
        const up = r() < 0.5;
        ev(up ? { type: "decideEscalation", at: iso(t), by: "功能型党支部", decision: "upgrade" } : { type: "decideEscalation", at: iso(t), by: "功能型党支部", decision: "extend", days: 7 });
        t += Math.floor((Date.parse(snap.context.dueAt) - t) * (r() < 0.7 ? 0.5 : 1.3));
        if (Date.parse(snap.context.dueAt) <= t) ev({ type: "tick", at: iso(Date.parse(snap.context.dueAt) + HOUR) });
        if (snap.state === "escalation-pending") {
          ev({ type: "resolve", at: iso(Math.max(t, Date.parse(snap.context.lastAt) + HOUR)), by: unit });
        } else ev({ type: "resolve", at: iso(Math.max(t, Date.parse(snap.context.lastAt) + HOUR)), by: unit });
      } else {
        // A red item: reported up at the tick.
        t += 30 * DAY;
        ev({ type: "resolve", at: iso(t), by: unit });
      }
    } else {
      // Still open (maybe overdue, never ticked).
      if (r() < 0.5) ev({ type: "tick", at: iso(Math.min(hi, due + DAY)) });
      out.push(snap);
      continue;
    }
    if (r() < 0.85) {
      t = Date.parse(snap.context.lastAt) + (1 + Math.floor(r() * 10)) * DAY;
      ev({ type: "followUp", at: iso(t), by: unit, agreementKept: r() > 0.06 });
      if (r() < 0.7) ev({ type: "close", at: iso(t + DAY), by: "功能型党支部" });
    }
    out.push(snap);
  }
  return out;
}

let cached: Engine | undefined;
export const guyuanEngine = () => (cached ??= createEngine(guyuanPack as CreateEngineInput));
