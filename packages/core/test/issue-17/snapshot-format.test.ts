// Issue 17, item 5: snapshot format 2. History entries are stored as codes and parameters and
// rendered on read; format 1 snapshots are read and migrated. The oracle for "what a user reads is
// unchanged" is format 1 itself: test/fixtures/history-v1 holds random histories of every pack
// (event logs and their final snapshots) written by the format 1 engine before the change, and the
// format 1 replay pins (replay-pin.test.ts) hold every step of five example logs.
// Fifth session, format 3: an entry stores the case's state and level only where they change (and on
// every 32nd entry, the first included). Format 2 is read and migrated like format 1; its oracle is
// the format 2 replay pins, written by the engine before that change (replay-pin.test.ts).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSnapshot, createEngine, isJicengError, SNAPSHOT_FORMAT, type CaseEvent, type CaseSnapshot, type CreateEngineInput, type Engine, type HistoryEntry } from "../../src/index.js";
import { caseHistoryArbitrary, runCase } from "../../src/testing/index.js";

const PACKS = ["ankang", "guyuan", "lanxi", "three-centers", "xiji"] as const;
const root = new URL("../../../", import.meta.url);
const engines = new Map<string, Engine>(PACKS.map((p) => [p, createEngine(JSON.parse(readFileSync(new URL(`rules-${p}/pack.json`, root), "utf8")) as CreateEngineInput)]));
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const runs = Number(process.env["FUZZ_RUNS"] ?? 25);

/** The snapshot as format 1 stored it: no format, each history entry with its seq, sentence and whole reasons (rendered by core). */
function asFormat1(engine: Engine, s: CaseSnapshot): unknown {
  const { format: _format, ...rest } = plain(s);
  return { ...rest, context: { ...rest.context, history: plain(engine.history(s)) } };
}

/** The snapshot as format 2 stored it: `format: 2`, every history entry with the case's state and level (keys in format 2's order). */
function asFormat2(s: CaseSnapshot): CaseSnapshot {
  const x = plain(s) as unknown as Record<string, any>;
  let state: unknown;
  let level: unknown;
  x["format"] = 2;
  x["context"].history = (x["context"].history as Array<Record<string, unknown>>).map((e) => {
    state = e["state"] ?? state;
    level = e["level"] ?? level;
    const { type, at, state: _s, level: _l, ...rest } = e;
    return { type, at, state, level, ...rest };
  });
  return x as unknown as CaseSnapshot;
}

/** A value with every object's keys in PostgreSQL jsonb's order (by length, then bytewise). */
function jsonbOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonbOrder);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Object.fromEntries(keys.map((k) => [k, jsonbOrder(o[k])]));
}

describe("format 1 histories written by the format 1 engine (fixtures/history-v1): migration ≡ replay in format 3, rendering ≡ what was stored", () => {
  for (const p of PACKS) {
    it(p, () => {
      const engine = engines.get(p)!;
      const cases = JSON.parse(readFileSync(new URL(`../fixtures/history-v1/${p}.json`, import.meta.url), "utf8")) as Array<{ events: CaseEvent[]; v1: CaseSnapshot }>;
      expect(cases.length).toBeGreaterThan(20);
      let entries = 0;
      let corrected = 0;
      for (const { events, v1 } of cases) {
        expect(v1).not.toHaveProperty("format");
        expect(checkSnapshot(v1, engine.pack)).toEqual([]);
        const v2 = engine.replay(events);
        expect(v2.format).toBe(SNAPSHOT_FORMAT);
        // Read and migrated: byte for byte the snapshot replaying the same events makes now.
        expect(JSON.stringify(engine.restore(plain(v1)))).toBe(JSON.stringify(v2));
        // What a user reads: every entry, its sentence in zh and en, exactly as format 1 stored it —
        // but for one correction: the last entry an event writes records the state the case is in
        // after it (the machine's own state, stepped event by event), where the format 1 engine
        // recorded a wrong one on new facts (update) and report decisions (decideReport).
        const after: Array<string | undefined> = [];
        let step = engine.replay([events[0]!]);
        step.context.history.forEach((_, k, all) => after.push(k === all.length - 1 ? step.state : undefined));
        for (const ev of events.slice(1)) {
          const next = engine.transition(step, ev);
          for (let k = step.context.history.length; k < next.context.history.length; k++) after.push(k === next.context.history.length - 1 ? next.state : undefined);
          step = next;
        }
        const read = engine.history(v2);
        expect(read.length).toBe(after.length);
        read.forEach((h, i) => after[i] === undefined || expect(h.state, `${p} entry ${i}`).toBe(after[i]));
        const stored = (v1.context.history as unknown as HistoryEntry[]).map((h, i) => {
          if (after[i] === undefined || h.state === after[i]) return h;
          expect(["update", "decideReport"]).toContain(h.type);
          corrected++;
          return { ...h, state: after[i]! };
        });
        expect(read).toEqual(stored);
        read.forEach((h, i) => expect(h.summary, `${p} entry ${i}`).toEqual((v1.context.history[i] as unknown as HistoryEntry).summary));
        // No entry keeps a recorded sentence: every one is codes and parameters.
        expect(v2.context.history.filter((h) => h.summary !== undefined || h.recordedReasons !== undefined)).toEqual([]);
        entries += read.length;
      }
      expect(entries).toBeGreaterThan(cases.length * 2);
      // Guyuan's fixtures hold report decisions taken before the case was assigned (the correction above is exercised).
      if (p === "guyuan") expect(corrected).toBeGreaterThan(0);
    });
  }
});

describe("random histories of every pack (fast-check)", () => {
  for (const p of PACKS) {
    it(`${p}: format 1 → 3 and 2 → 3 migration ≡ replay; JSON round-trip exact; transition of a format 1 or 2 snapshot ≡ of the format 3 one`, () => {
      const engine = engines.get(p)!;
      fc.assert(
        fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 20 }), fc.nat(), ({ intake, events }, cut) => {
          const run = runCase(engine, intake, events);
          const v2 = run.snapshot;
          const text = JSON.stringify(v2);
          // JSON round-trip: the same snapshot, accepted, rendering the same history.
          const back = JSON.parse(text) as CaseSnapshot;
          expect(JSON.stringify(back)).toBe(text);
          expect(checkSnapshot(back, engine.pack)).toEqual([]);
          expect(engine.history(back)).toEqual(engine.history(v2));
          // The format 1 form of it (what the format 1 engine stored), read back: exactly v2.
          const v1 = asFormat1(engine, v2) as CaseSnapshot;
          expect(checkSnapshot(v1, engine.pack)).toEqual([]);
          const before = JSON.stringify(v1);
          expect(JSON.stringify(engine.restore(v1))).toBe(text);
          expect(JSON.stringify(v1)).toBe(before);
          // As PostgreSQL jsonb returns it (every object's keys reordered: shorter first): the same snapshot, keys aside.
          expect(engine.restore(jsonbOrder(v1) as CaseSnapshot)).toEqual(v2);
          // Format 3 states an entry's state and level only where they change, and at every 32nd entry.
          const hs = v2.context.history;
          hs.forEach((e, i) => {
            if (i % 32 === 0) expect([e.state, e.level].includes(undefined), `entry ${i} is an anchor`).toBe(false);
          });
          // The format 2 form of it (every entry with its state and level), read back: exactly v2, the input unchanged, rendering the same.
          const f2 = asFormat2(v2);
          expect(checkSnapshot(f2, engine.pack)).toEqual([]);
          const before2 = JSON.stringify(f2);
          expect(JSON.stringify(engine.restore(f2))).toBe(text);
          expect(JSON.stringify(f2)).toBe(before2);
          expect(engine.history(f2)).toEqual(engine.history(v2));
          expect(engine.restore(jsonbOrder(f2) as CaseSnapshot)).toEqual(v2);
          // Cut anywhere: the format 1 form of the prefix continues exactly like the format 2 one.
          const k = 1 + (cut % run.accepted.length);
          const prefix = engine.replay(run.accepted.slice(0, k));
          let a: CaseSnapshot = asFormat1(engine, prefix) as CaseSnapshot;
          let b: CaseSnapshot = plain(prefix);
          let c: CaseSnapshot = asFormat2(prefix);
          for (const e of run.accepted.slice(k)) {
            a = engine.transition(a, e);
            b = engine.transition(b, e);
            c = engine.transition(c, e);
          }
          if (k < run.accepted.length) expect(JSON.stringify(a)).toBe(text);
          if (k < run.accepted.length) expect(JSON.stringify(c)).toBe(text);
          expect(JSON.stringify(b)).toBe(text);
        }),
        { numRuns: runs, seed: 1717 },
      );
    });
  }
});

describe("hostile snapshots: a typed error at the field, zh + en, nothing changed", () => {
  const engine = engines.get("guyuan")!;
  const base = plain(
    engine.replay([
      { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 3 },
      { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2022-06-25" },
      { type: "tick", at: "2022-06-30T10:00:00+08:00" },
      { type: "requestEscalation", at: "2022-06-30T11:00:00+08:00", by: "司法所", reason: "复杂" },
      { type: "decideEscalation", at: "2022-06-30T12:00:00+08:00", by: "支部", decision: "extend", days: 5 },
    ] as CaseEvent[]),
  );
  const tick = { type: "tick", at: "2022-07-30T10:00:00+08:00" } as CaseEvent;
  const edit = (fn: (s: Record<string, any>) => void): unknown => {
    const s = plain(base) as Record<string, any>;
    fn(s);
    return s;
  };
  // A case with 70 progress notes: entries 32 and 64 are anchors (state and level stated though unchanged).
  const longBase = plain(
    engine.replay([
      { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 4 },
      { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2022-06-25" },
      ...Array.from({ length: 70 }, (_, i) => ({ type: "progress", at: `2022-06-21T1${Math.floor(i / 60)}:${String(i % 60).padStart(2, "0")}:00+08:00`, by: "司法所", note: `进展 ${i}` })),
    ] as CaseEvent[]),
  );
  const long = (fn: (s: Record<string, any>) => void): unknown => {
    const s = plain(longBase) as Record<string, any>;
    fn(s);
    return s;
  };
  const cases: Array<[string, unknown, string]> = [
    ["format 4", edit((s) => (s["format"] = 4)), "snapshot.format"],
    ["format 2.5", edit((s) => (s["format"] = 2.5)), "snapshot.format"],
    ["format \"2\"", edit((s) => (s["format"] = "2")), "snapshot.format"],
    ["format null", edit((s) => (s["format"] = null)), "snapshot.format"],
    ["format missing, history of format 3", edit((s) => delete s["format"]), "snapshot.format"],
    ["format missing, history of format 2", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      delete s["format"];
    }), "snapshot.format"],
    ["format 3: the intake without its state", edit((s) => delete s["context"].history[0].state), "snapshot.context.history.0.state"],
    ["format 3: the intake without its level", edit((s) => delete s["context"].history[0].level), "snapshot.context.history.0.level"],
    ["format 3: a state no case has", edit((s) => (s["context"].history[2].state = "lost")), "snapshot.context.history.2.state"],
    ["format 3: the 32nd entry after the intake without its state", long((s) => delete s["context"].history[32].state), "snapshot.context.history.32.state"],
    ["format 3: the 64th entry without its level", long((s) => delete s["context"].history[64].level), "snapshot.context.history.64.level"],
    ["format 2: an entry without its state", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      delete s["context"].history[3].state;
    }), "snapshot.context.history.3.state"],
    ["format 2: an entry without its level", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      delete s["context"].history[1].level;
    }), "snapshot.context.history.1.level"],
    ["format 2: a required parameter missing", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      delete s["context"].history[2].due;
    }), "snapshot.context.history.2.due"],
    ["format 2: a history that starts without the intake", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      s["context"].history.shift();
    }), "snapshot.context.history.0"],
    ["an unknown entry type", edit((s) => (s["context"].history[1].type = "teleport")), "snapshot.context.history.1.type"],
    ["a parameter of another type", edit((s) => (s["context"].history[1].role = "x")), "snapshot.context.history.1.role"],
    ["a required parameter missing", edit((s) => delete s["context"].history[0].due), "snapshot.context.history.0.due"],
    ["an instant that is neither seconds nor ISO", edit((s) => (s["context"].history[2].at = 1.5)), "snapshot.context.history.2.at"],
    ["an instant string without an offset", edit((s) => (s["context"].history[2].due = "2022-06-25T00:00:00")), "snapshot.context.history.2.due"],
    ["a level no longer in the pack", edit((s) => (s["context"].history[4].from = "purple")), "snapshot.context.history.4.from"],
    ["days of an extension of 0", edit((s) => (s["context"].history[4].days = 0)), "snapshot.context.history.4.days"],
    ["a format 1 entry in a format 2 history", edit((s) => (s["context"].history[1] = { seq: 2, type: "assign", at: "2022-06-20T11:00:00+08:00", state: "resolving", level: "yellow", summary: { zh: "交办", en: "Assigned" } })), "snapshot.context.history.1"],
    ["a truncated history (the intake gone)", edit((s) => s["context"].history.shift()), "snapshot.context.history.0"],
    ["history not an array", edit((s) => (s["context"].history = { 0: 1 })), "snapshot.context.history"],
    // Time runs forward in a case (the engine refuses an event before the last change), so a history that runs backwards was edited.
    ["two entries swapped in time", edit((s) => {
      const h = s["context"].history;
      [h[1], h[2]] = [h[2], h[1]];
    }), "snapshot.context.history.2.at"],
    ["an entry moved before the one before it (seconds)", edit((s) => (s["context"].history[3].at = 0)), "snapshot.context.history.3.at"],
    ["an entry moved before the one before it (ISO, another offset)", edit((s) => (s["context"].history[2].at = "2022-06-20T02:59:59Z")), "snapshot.context.history.2.at"],
    ["lastAt before the last entry", edit((s) => (s["context"].lastAt = "2022-06-30T11:59:59+08:00")), "snapshot.context.lastAt"],
    // Every change of state or level writes a history entry, so the history ends in the case's state and level.
    ["the state edited (a case set back to another state than its history ends in)", edit((s) => (s["state"] = s["state"] === "resolving" ? "closed" : "resolving")), "snapshot.state"],
    ["the level edited, with its rank (no entry records the change)", edit((s) => {
      const other = engine.pack.levels.find((l) => l.id !== s["context"].level)!;
      s["context"].level = other.id;
      s["context"].rank = other.rank;
    }), "snapshot.context.level"],
    ["format 3: the last entry states another state than the case's", edit((s) => {
      const h = s["context"].history;
      h[h.length - 1].state = s["state"] === "resolving" ? "closed" : "resolving";
    }), "snapshot.state"],
    ["format 3: an anchor (entry 64) states another level than the case's", long((s) => (s["context"].history[64].level = "red")), "snapshot.context.level"],
    ["format 2: the last entry states another level than the case's", edit((s) => {
      Object.assign(s, asFormat2(base as CaseSnapshot));
      const h = s["context"].history;
      h[h.length - 1].level = engine.pack.levels.find((l) => l.id !== s["context"].level)!.id;
    }), "snapshot.context.level"],
    ["format 1: the last entry states another state than the case's", edit((s) => {
      const v1 = asFormat1(engine, base as CaseSnapshot) as Record<string, any>;
      const h = v1["context"].history;
      h[h.length - 1].state = v1["state"] === "resolving" ? "closed" : "resolving";
      Object.assign(s, v1);
      delete s["format"];
    }), "snapshot.state"],
    // Guyuan has no sign-for stage (签收): the engine never writes its deadline there.
    ["a sign-for deadline in a pack without sign-for", edit((s) => (s["context"].ackDueAt = "2022-06-21T00:00:00+08:00")), "snapshot.context.ackDueAt"],
    ["a sign-for overdue mark in a pack without sign-for", edit((s) => (s["context"].ackOverdue = true)), "snapshot.context.ackOverdue"],
    // What an event brings in keeps the event's limits.
    ["a by longer than an event allows (200)", edit((s) => (s["context"].history[1].by = "支".repeat(201))), "snapshot.context.history.1.by"],
    ["a note longer than an event allows (5000)", edit((s) => (s["context"].history[4].note = "x".repeat(5001))), "snapshot.context.history.4.note"],
    ["an assignment's unit longer than an event allows (200)", edit((s) => (s["context"].assignment.leadUnit = "所".repeat(201))), "snapshot.context.assignment.leadUnit"],
    ["a format 1 snapshot with a broken seq", edit((s) => {
      const v1 = asFormat1(engine, base as CaseSnapshot) as Record<string, any>;
      v1["context"].history[2].seq = 9;
      Object.assign(s, v1);
      delete s["format"];
    }), "snapshot.context.history.2.seq"],
    ["a format 1 entry without its sentence", edit((s) => {
      const v1 = asFormat1(engine, base as CaseSnapshot) as Record<string, any>;
      delete v1["context"].history[1].summary;
      Object.assign(s, v1);
      delete s["format"];
    }), "snapshot.context.history.1.summary"],
  ];
  for (const [name, bad, at] of cases) {
    it(name, () => {
      const before = JSON.stringify(bad);
      const issues = checkSnapshot(bad, engine.pack);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.code === "INVALID_SNAPSHOT" && i.message.zh.length > 0 && i.message.en.length > 0)).toBe(true);
      expect(issues.map((i) => ["snapshot", ...i.path].join("."))).toContainEqual(expect.stringMatching(new RegExp(`^${at.replace(/\./g, "\\.")}`)));
      for (const call of [() => engine.transition(bad as CaseSnapshot, tick), () => engine.restore(bad as CaseSnapshot), () => engine.history(bad as CaseSnapshot)]) {
        let thrown: unknown;
        try {
          call();
        } catch (err) {
          thrown = err;
        }
        expect(isJicengError(thrown)).toBe(true);
        if (isJicengError(thrown)) expect(thrown.issues.map((i) => i.path.join("."))).toContainEqual(expect.stringMatching(new RegExp(`^${at.replace(/\./g, "\\.")}`)));
      }
      expect(engine.check(bad as CaseSnapshot, tick).length).toBeGreaterThan(0);
      expect(JSON.stringify(bad)).toBe(before);
    });
  }
  it("a report decision taken before the case is assigned records the state the case stays in (graded), not resolving", () => {
    const red = engine.replay([
      { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "major" }, seq: 5 },
      { type: "tick", at: "2022-08-20T10:00:00+08:00" },
      { type: "decideReport", at: "2022-08-21T10:00:00+08:00", by: "乡镇党委", report: false },
      { type: "tick", at: "2022-08-22T10:00:00+08:00" },
    ] as CaseEvent[]);
    expect(red.state).toBe("graded");
    const read = engine.history(red);
    expect(read.map((h) => `${h.type}:${h.state}`)).toEqual(["intake:graded", "overdue:graded", "reported:graded", "decideReport:graded"]);
    expect(checkSnapshot(plain(red), engine.pack)).toEqual([]);
    // As an older engine stored it, in format 2 and format 1: "resolving" on the report decision.
    const f2 = asFormat2(red as CaseSnapshot) as unknown as Record<string, any>;
    f2["context"].history[3].state = "resolving";
    const f1 = asFormat1(engine, red as CaseSnapshot) as Record<string, any>;
    f1["context"].history[3].state = "resolving";
    for (const old of [f2, f1] as unknown as CaseSnapshot[]) {
      // Accepted, read (history, restore) as the state it happened in, and migrated to what the replay writes.
      expect(checkSnapshot(old, engine.pack)).toEqual([]);
      expect(engine.history(old).map((h) => h.state)).toEqual(read.map((h) => h.state));
      expect(JSON.stringify(engine.restore(old))).toBe(JSON.stringify(red));
    }
  });
  it("a regrade by new facts while an escalation is pending goes back to resolving, and every format reads it so (a Guyuan that regrades upward)", () => {
    const pack = JSON.parse(readFileSync(new URL("rules-guyuan/pack.json", root), "utf8")) as Record<string, any>;
    const lifecycle = { ...pack["lifecycle"], regrade: "upgrade-only", fieldProvenance: { ...pack["lifecycle"].fieldProvenance, regrade: { local: true, note: { zh: "测试用：升级方向的重新定级", en: "test only: regrading upward" } } } };
    const regrading = createEngine({ ...pack, lifecycle } as CreateEngineInput);
    const s = regrading.replay([
      { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 7 },
      { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2022-06-25" },
      { type: "tick", at: "2022-07-20T10:00:00+08:00" },
      { type: "update", at: "2022-07-21T10:00:00+08:00", by: "中心", facts: { difficulty: "major" } },
    ] as CaseEvent[]);
    expect([s.state, s.context.level]).toEqual(["resolving", "red"]);
    const read = regrading.history(s).map((h) => `${h.type}:${h.state}`);
    expect(read).toEqual(["intake:graded", "assign:resolving", "overdue:escalation-pending", "update:resolving"]);
    for (const old of [asFormat2(s as CaseSnapshot), asFormat1(regrading, s as CaseSnapshot) as CaseSnapshot]) {
      expect(checkSnapshot(old, regrading.pack)).toEqual([]);
      expect(regrading.history(old).map((h) => `${h.type}:${h.state}`)).toEqual(read);
      expect(JSON.stringify(regrading.restore(old))).toBe(JSON.stringify(s));
    }
  });
  // (A regrade before assignment, in Xiji, which regrades upward, is held by the random histories of
  // test/issue-12/snapshots.test.ts: every snapshot the engine makes passes the check of its history's end.)
  it("new facts record the state the case stays in: resolving after an escalation decision, though never assigned", () => {
    const intake = { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 6 };
    const unassigned = engine.replay([
      intake,
      { type: "tick", at: "2022-07-20T10:00:00+08:00" },
      { type: "requestEscalation", at: "2022-07-20T11:00:00+08:00", by: "司法所", reason: "需上级协调" },
      { type: "decideEscalation", at: "2022-07-21T10:00:00+08:00", by: "支部", decision: "extend", days: 5 },
      { type: "update", at: "2022-07-22T10:00:00+08:00", by: "中心", facts: { partyPhone: "123" } },
    ] as CaseEvent[]);
    expect(unassigned.state).toBe("resolving");
    expect(unassigned.context.assignment).toBeUndefined();
    expect(engine.history(unassigned).at(-1)).toMatchObject({ type: "update", state: "resolving" });
    expect(checkSnapshot(plain(unassigned), engine.pack)).toEqual([]);
  });
  it("format 3 leaves out only what the entry before says, and states both at every 32nd entry", () => {
    const h = longBase.context.history;
    expect(checkSnapshot(longBase, engine.pack)).toEqual([]);
    expect(h.length).toBe(72);
    expect(h.map((e, i) => [i, e.state, e.level]).filter(([, st, lv]) => st !== undefined || lv !== undefined)).toEqual([
      [0, "graded", "yellow"],
      [1, "resolving", undefined],
      [32, "resolving", "yellow"],
      [64, "resolving", "yellow"],
    ]);
    // Read as a user reads it: every entry with its state and level.
    expect(engine.history(longBase).map((e) => `${e.state}/${e.level}`)).toEqual(["graded/yellow", ...Array.from({ length: 71 }, () => "resolving/yellow")]);
    // Its format 2 form (state and level on all 72 entries) migrates to exactly it: the anchors kept, the rest left out.
    const f2 = asFormat2(longBase as CaseSnapshot);
    expect(f2.context.history.every((e) => e.state !== undefined && e.level !== undefined)).toBe(true);
    expect(JSON.stringify(engine.restore(f2))).toBe(JSON.stringify(longBase));
    // And its format 1 form too.
    expect(JSON.stringify(engine.restore(asFormat1(engine, longBase as CaseSnapshot) as CaseSnapshot))).toBe(JSON.stringify(longBase));
  });
  it("the base is valid, and a sentence kept as recorded (a migrated entry the pack no longer renders) is read as recorded", () => {
    expect(checkSnapshot(base, engine.pack)).toEqual([]);
    const v1 = asFormat1(engine, base as CaseSnapshot) as Record<string, any>;
    v1["context"].history[1].summary = { zh: "旧版交办说明", en: "an older pack's wording" };
    const migrated = engine.restore(v1 as CaseSnapshot);
    expect(migrated.context.history[1]).toMatchObject({ type: "assign", summary: { zh: "旧版交办说明", en: "an older pack's wording" } });
    expect(engine.history(migrated)[1]!.summary).toEqual({ zh: "旧版交办说明", en: "an older pack's wording" });
    expect(engine.history(migrated)[0]).toEqual(engine.history(base as CaseSnapshot)[0]);
  });
});
