import { describe, expect, it } from "vitest";
import { safeLoadPack } from "./load.js";

const minimal = {
  id: "t", version: "1.0.0", name: { zh: "测", en: "T" },
  source: { documents: [{ id: "doc", title: { zh: "文", en: "Doc" } }] },
  facts: [{ name: "receivedAt", type: "datetime", label: { zh: "受理时间", en: "Received" } }],
  levels: [{ id: "a", rank: 1, label: { zh: "一", en: "A" }, colour: "red", deadline: { amount: 7, cite: { doc: "doc", clause: "1" } }, cite: { doc: "doc", clause: "1" } }],
  grading: { default: { level: "a", cite: { doc: "doc", clause: "1" } }, rules: [] },
};

describe("schema issues read as a policy officer needs them", () => {
  it("a wrong type says what was expected and what was found", () => {
    const r = safeLoadPack({ ...minimal, levels: [{ ...minimal.levels[0], deadline: { amount: "7", cite: { doc: "doc", clause: "1" } } }] });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.issues[0]).toMatchObject({ code: "SCHEMA", path: ["levels", 0, "deadline", "amount"] });
    expect(r.issues[0]!.message.en).toBe("Wrong type: expected number, got string");
    expect(r.issues[0]!.message.zh).toBe("类型错误：应为数字，实际为字符串");
  });
  it("a missing field says it is missing", () => {
    const { version: _v, ...noVersion } = minimal;
    const r = safeLoadPack(noVersion);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.map((i) => [i.path.join("."), i.message.en])).toEqual([["version", "Required field is missing (expected string)"]]);
  });
  it("an unknown field is named (typos are caught, not ignored)", () => {
    const r = safeLoadPack({ ...minimal, timezon: "Asia/Shanghai" });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.map((i) => [i.path.join("."), i.message.zh])).toEqual([["timezon", '未知字段 "timezon"（拼写错误？）']]);
  });
});
