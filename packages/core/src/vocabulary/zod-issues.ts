import type * as z from "zod";
import { IssueCode, issue, type JicengIssue } from "../errors/index.js";
import { duplicateIssue } from "./duplicates.js";

const TYPE_ZH: Record<string, string> = {
  string: "字符串", number: "数字", boolean: "布尔值", object: "对象", array: "数组", int: "整数", undefined: "未填写", null: "空值",
};

function describeValue(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** Turns zod's issues into jiceng issues: code, JSON path, zh + en message. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], base: readonly (string | number)[] = []): JicengIssue[] {
  const out: JicengIssue[] = [];
  for (const zi of issues) {
    const path = [...base, ...zi.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    switch (zi.code) {
      case "custom": {
        const params = (zi as { params?: { jiceng?: string; zh?: string; en?: string; duplicateOf?: number } }).params;
        const code = (params?.jiceng && params.jiceng in IssueCode ? params.jiceng : IssueCode.SCHEMA) as JicengIssue["code"];
        const zh = params?.zh ?? zi.message;
        const en = params?.en ?? zi.message;
        if (typeof params?.duplicateOf === "number") {
          // A duplicate found inside a schema: the first item is the same path with its list index.
          const other = [...path];
          let k = other.length - 1;
          while (k >= 0 && typeof other[k] !== "number") k--;
          if (k >= 0) other[k] = params.duplicateOf;
          out.push(duplicateIssue(path, other, { zh, en }));
        } else out.push(issue(code, path, zh, en));
        break;
      }
      case "invalid_type": {
        const expected = String((zi as { expected?: string }).expected);
        // zod v4 reports `input` only when asked; its message always says what it received.
        const received = /received (\w+)/.exec(zi.message)?.[1];
        const missing = "input" in zi ? zi.input === undefined : received === "undefined";
        out.push(
          missing
            ? issue(IssueCode.SCHEMA, path, `缺少必填字段（应为${TYPE_ZH[expected] ?? expected}）`, `Required field is missing (expected ${expected})`)
            : issue(IssueCode.SCHEMA, path, `类型错误：应为${TYPE_ZH[expected] ?? expected}${received ? `，实际为${TYPE_ZH[received] ?? received}` : ""}`, `Wrong type: expected ${expected}${received ? `, got ${received}` : ""}`),
        );
        break;
      }
      case "unrecognized_keys": {
        const keys = (zi as { keys: string[] }).keys;
        for (const k of keys) out.push(issue(IssueCode.SCHEMA, [...path, k], `未知字段 "${k}"（拼写错误？）`, `Unknown field "${k}" (a typo?)`));
        break;
      }
      case "invalid_value": {
        const values = (zi as { values: unknown[] }).values.map(describeValue).join(", ");
        out.push(issue(IssueCode.SCHEMA, path, `取值无效，可选：${values}`, `Invalid value; allowed: ${values}`));
        break;
      }
      case "invalid_format": {
        const fmt = (zi as { format: string; pattern?: string }).pattern ?? (zi as { format: string }).format;
        out.push(issue(IssueCode.SCHEMA, path, `格式不符：${fmt}`, `Wrong format: ${fmt}`));
        break;
      }
      case "too_small":
      case "too_big": {
        const { minimum, maximum, origin } = zi as { minimum?: unknown; maximum?: unknown; origin?: string };
        const what = origin === "array" ? "项数" : origin === "string" ? "长度" : "数值";
        const whatEn = origin === "array" ? "number of items" : origin === "string" ? "length" : "value";
        out.push(
          zi.code === "too_small"
            ? issue(IssueCode.SCHEMA, path, `${what}过小：至少 ${String(minimum)}`, `Too small: ${whatEn} must be at least ${String(minimum)}`)
            : issue(IssueCode.SCHEMA, path, `${what}过大：至多 ${String(maximum)}`, `Too big: ${whatEn} must be at most ${String(maximum)}`),
        );
        break;
      }
      case "invalid_union": {
        // Report the branch that came closest (fewest issues), so a typo in a condition
        // reads as that typo rather than "matches no alternative".
        const branches = (zi as { errors: z.core.$ZodIssue[][] }).errors;
        const best = branches.length ? branches.reduce((a, b) => (b.length < a.length ? b : a)) : [];
        if (best.length) out.push(...fromZodIssues(best, path));
        else out.push(issue(IssueCode.SCHEMA, path, "不符合任何允许的形式", "Matches none of the allowed shapes"));
        break;
      }
      default:
        out.push(issue(IssueCode.SCHEMA, path, `无效：${zi.message}`, `Invalid: ${zi.message}`));
    }
  }
  return out;
}
