import { describe, expect, it } from "vitest";
import { collectIssues, issue, issuesOf, IssueCode, JicengError, type JicengIssue } from "./index.js";

const refuse = () => {
  throw new JicengError([issue(IssueCode.SCHEMA, ["a"], "甲", "a"), issue(IssueCode.SCHEMA, ["b"], "乙", "b")]);
};

describe("collecting issues", () => {
  it("collectIssues: the value when fn returns; undefined and every issue (mapped) when it throws a JicengError", () => {
    const into: JicengIssue[] = [];
    expect(collectIssues(into, () => 42)).toBe(42);
    expect(into).toEqual([]);
    expect(collectIssues(into, refuse, (i) => ({ ...i, path: ["x", ...i.path] }))).toBeUndefined();
    expect(into.map((i) => i.path)).toEqual([["x", "a"], ["x", "b"]]);
  });

  it("issuesOf: [] when fn returns, its issues when it throws a JicengError; any other error goes on", () => {
    expect(issuesOf(() => 1)).toEqual([]);
    expect(issuesOf(refuse).map((i) => i.message.en)).toEqual(["a", "b"]);
    expect(() => issuesOf(() => JSON.parse("{"))).toThrow(SyntaxError);
    expect(() => collectIssues([], () => { throw new TypeError("x"); })).toThrow(TypeError);
  });
});
