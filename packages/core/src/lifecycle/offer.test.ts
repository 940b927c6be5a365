import { describe, expect, it } from "vitest";
import guyuan from "../../../rules-guyuan/pack.json" with { type: "json" };
import ankang from "../../../rules-ankang/pack.json" with { type: "json" };
import lanxi from "../../../rules-lanxi/pack.json" with { type: "json" };
import xiji from "../../../rules-xiji/pack.json" with { type: "json" };
import { createEngine } from "../engine/engine.js";
import { catchJicengError } from "../testing/helpers.js";

const g = createEngine(guyuan);
const facts = { receivedAt: "2022-06-20T10:00:00+08:00", source: "grid-worker", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "simple" };

describe("engine.numberScope", () => {
  it("gives the counter key and the template's largest sequence (Guyuan 附件说明1: 2-digit seq)", () => {
    const s = g.numberScope(facts);
    expect(s).toEqual({ scope: "06200101**", max: 99 });
    // The key is the number with its sequence digits masked, for every sequence the scope holds.
    for (const seq of [1, 42, s!.max]) expect(g.numberCase(facts, seq).slice(0, -2) + "**").toBe(s!.scope);
    expect(catchJicengError(() => g.numberCase(facts, s!.max + 1)).issues[0]?.code).toBe("SEQUENCE_OVERFLOW");
  });
  it("differs by date and unit, so each day and village counts on its own", () => {
    expect(g.numberScope({ ...facts, receivedAt: "2022-06-21T10:00:00+08:00" })!.scope).toBe("06210101**");
    expect(g.numberScope({ ...facts, subunitCode: "07" })!.scope).toBe("06200107**");
    // 23:30 UTC on the 20th is the 21st in Beijing.
    expect(g.numberScope({ ...facts, receivedAt: "2022-06-20T23:30:00Z" })!.scope).toBe("06210101**");
  });
  it("is null for a pack without numbering, and refuses facts that cannot be numbered", () => {
    expect(createEngine(ankang).numberScope({ receivedAt: facts.receivedAt, category: "dispute", grid: "g1" })).toBeNull();
    const e = catchJicengError(() => g.numberScope({ ...facts, unitCode: undefined }));
    expect(e.issues[0]).toMatchObject({ code: "MISSING_FACT", path: ["facts", "unitCode"] });
    expect(catchJicengError(() => g.numberScope({ ...facts, unitCode: "1" })).issues.length).toBeGreaterThan(0);
  });
});

describe("engine.allowedEvents", () => {
  it("offers assignment (with the 四定-style fields still to fill) on a new case, not resolve or close", () => {
    const snap = g.start({ type: "intake", at: facts.receivedAt, facts });
    const offer = g.allowedEvents(snap);
    const types = offer.map((o) => o.type);
    expect(types).toContain("assign");
    expect(types).not.toContain("resolve");
    expect(types).not.toContain("close");
    expect(types).not.toContain("tick");
    const assign = offer.find((o) => o.type === "assign")!;
    expect(assign.label).toEqual({ zh: "交办", en: "Assign" });
    expect(assign.needs.map((i) => i.code)).toContain("MISSING_FIELDS");
  });
  it("follows the case: after assignment it offers resolve; a sign-for pack offers 签收 first", () => {
    const snap = g.start({ type: "intake", at: facts.receivedAt, facts });
    const a = g.transition(snap, { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "x", leadUnit: "u", responsibleLeader: "l", responsibleUnit: "u", responsiblePerson: "p", deadline: "2022-06-27", measures: "m" });
    const types = g.allowedEvents(a).map((o) => o.type);
    expect(types).toContain("resolve");
    expect(types).not.toContain("assign");
    const l = createEngine(lanxi);
    const lsnap = l.start({ type: "intake", at: facts.receivedAt, facts: { receivedAt: facts.receivedAt, township: "t", source: "grid-worker", category: "dispute" } });
    const ltypes = l.allowedEvents(lsnap).map((o) => o.type);
    if (lsnap.state === "assigned") {
      expect(ltypes).toContain("acknowledge");
      expect(ltypes).not.toContain("resolve");
    } else expect(ltypes).toContain("assign");
  });
  it("refuses what is not a snapshot, like transition does", () => {
    expect(catchJicengError(() => g.allowedEvents({ kind: "x" } as never)).issues[0]?.code).toBe("INVALID_SNAPSHOT");
    expect(catchJicengError(() => g.nextTickAt(null as never)).issues[0]?.code).toBe("INVALID_SNAPSHOT");
  });
  it("nextTickAt is the warning time, then the deadline, then nothing once resolved", () => {
    const snap = g.start({ type: "intake", at: facts.receivedAt, facts });
    const first = g.nextTickAt(snap)!;
    expect(first).toBe(snap.context.warnAt ?? snap.context.dueAt);
    const warned = g.transition(snap, { type: "tick", at: first });
    expect(g.nextTickAt(warned)).toBe(snap.context.dueAt);
  });
  it("offers what the case accepts at the given instant: Xiji's 整改 only once the item is overdue", () => {
    const x = createEngine(xiji);
    const at = "2023-08-09T00:33:00+08:00";
    let snap = x.start({ type: "intake", at, facts: { receivedAt: at, township: "t", category: "h", escalating: false, mediationFailed: true } });
    snap = x.transition(snap, { type: "assign", at, by: "branch", leadUnit: "u", responsibleLeader: "l", responsibleUnit: "u", responsiblePerson: "p", measures: "m", deadline: "2023-08-09" });
    const late = new Date(Date.parse(snap.context.dueAt) + 86_400_000).toISOString();
    expect(x.allowedEvents(snap).map((o) => o.type)).not.toContain("rectify");
    expect(x.allowedEvents(snap, late).map((o) => o.type)).toContain("rectify");
    // What is offered at `late` is what transition accepts at `late`.
    expect(() => x.transition(snap, { type: "rectify", at: late, by: "unit", reason: "r", difficulty: "d", needsCoordination: false, measures: "m" })).not.toThrow();
    // An instant before the case's last change, or not an instant, is refused like an event's time.
    expect(catchJicengError(() => x.allowedEvents(snap, "2020-01-01T00:00:00+08:00")).issues.length).toBeGreaterThan(0);
    expect(catchJicengError(() => x.allowedEvents(snap, "garbage")).issues[0]?.path).toEqual(["now"]);
  });
});
