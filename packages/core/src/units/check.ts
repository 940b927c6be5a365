import { didYouMean, show as showValue } from "../conditions/text.js";
import { IssueCode, JicengError, formatPath, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { Cite } from "../vocabulary/index.js";
import { duplicateIssue } from "../vocabulary/duplicates.js";
import type { UnitKindDef, UnitsDef } from "./schema.js";

/** One unit as an app lists it: its id, kind, parent, head, and its counts (`households`, `people`, …). */
export interface UnitInput {
  id: string;
  kind: string;
  parent?: string;
  head?: { role: string; name?: string };
  name?: string;
  [count: string]: unknown;
}

/** One rule a unit breaks. */
export interface UnitViolation {
  unitId: string;
  /** The unit's kind, when known. */
  kind?: string;
  /** The rule broken: a size rule's id (`grid-3-households`), or `<kind>-head`, `<kind>-parent`, `unit-kind`, `unit-id`. */
  rule: string;
  /** `error`: the structure breaks the rule; `warning`: allowed only as a fallback, or not checkable from the list given. */
  severity: "error" | "warning";
  /** Where in the units list, e.g. `[3, "households"]`. */
  path: IssuePath;
  cite?: Cite;
  local?: true;
  note?: Text;
  /** The values seen, e.g. `{ households: 35 }`. */
  actual: Record<string, unknown>;
  /** What the rule wants, e.g. `{ min: 20, max: 30 }`. */
  expected?: Record<string, unknown>;
  message: Text;
}

/** Every violation of a list of units. */
export interface UnitsReport {
  /** Units checked. */
  units: number;
  /** True when no violation is an error. */
  ok: boolean;
  violations: UnitViolation[];
}

const isObj = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === "object" && !Array.isArray(o);
const show = (v: unknown) => (v === undefined ? "（缺失）" : showValue(v));
const showEn = (v: unknown) => (v === undefined ? "(missing)" : showValue(v));

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}–${max}`;
  return min !== undefined ? `≥ ${min}` : `≤ ${max}`;
}

/**
 * Checks units (villages, grids…) against a pack's `units` section: each unit's kind is declared,
 * its parent is of an allowed kind, its head holds an allowed role (a fallback role is a warning),
 * and every size rule holds (a missing count is an error, never a pass). Violations carry the
 * unit id, the rule, its clause and the values seen, in Chinese and English.
 *
 * @example
 * checkUnits(pack.units, [{ id: "g3-01", kind: "grid-3", parent: "g2-01", households: 35, people: 110, head: { role: "household-head" } }]);
 * // → { ok: false, violations: [{ unitId: "g3-01", rule: "grid-3-households", actual: { households: 35 }, expected: { min: 20, max: 30 }, cite: { clause: "§三(三)1", … } }] }
 * @see 安发〔2021〕10号 §三(三)1: 按 20 至 30 户、70 至 120 人的规模，划分设立若干三级网格
 */
export function checkUnits(def: UnitsDef, units: unknown): UnitsReport {
  const list = isObj(units) && Array.isArray(units["units"]) ? (units["units"] as unknown[]) : units;
  if (!Array.isArray(list)) {
    throw new JicengError(issue(IssueCode.INVALID_UNITS, [], "单元列表须为 JSON 数组，或 { \"units\": [...] }", 'The units must be a JSON array, or { "units": [...] }'));
  }
  const kinds = new Map(def.kinds.map((k) => [k.id, k] as const));
  const roles = new Map(def.roles.map((r) => [r.id, r] as const));
  const roleText = (id: string): Text => {
    const r = roles.get(id);
    return r ? { zh: r.label.zh, en: r.label.en } : { zh: id, en: id };
  };
  const violations: UnitViolation[] = [];
  const byId = new Map<string, { unit: Record<string, unknown>; index: number }>();
  const add = (v: Omit<UnitViolation, "severity"> & { severity?: UnitViolation["severity"] }, provenance?: { cite?: Cite | undefined; local?: true | undefined; note?: Text | undefined }) => {
    const out: UnitViolation = { ...v, severity: v.severity ?? "error" };
    if (provenance?.cite) out.cite = provenance.cite;
    if (provenance?.local) out.local = true;
    if (provenance?.note) out.note = provenance.note;
    violations.push(out);
  };

  list.forEach((u, i) => {
    if (!isObj(u) || typeof u["id"] !== "string" || u["id"].length === 0) {
      // Named by its place in the list, numbered from 0 like every path.
      add({ unitId: formatPath([i]), rule: "unit-id", path: [i, "id"], actual: { id: isObj(u) ? u["id"] : u }, message: { zh: `单元 ${formatPath([i])} 缺少 id（非空字符串）`, en: `The unit at ${formatPath([i])} has no id (a non-empty string)` } });
      return;
    }
    const id = u["id"];
    if (byId.has(id)) {
      add({ unitId: id, rule: "unit-id", path: [i, "id"], actual: { id }, message: { zh: `单元 id “${id}” 重复（${formatPath([byId.get(id)!.index, "id"])} 已使用）`, en: `Unit id "${id}" is used twice (already used at ${formatPath([byId.get(id)!.index, "id"])})` } });
      return;
    }
    byId.set(id, { unit: u, index: i });
  });

  for (const [id, { unit, index: i }] of byId) {
    const kindId = unit["kind"];
    const kind: UnitKindDef | undefined = typeof kindId === "string" ? kinds.get(kindId) : undefined;
    if (!kind) {
      const hint = typeof kindId === "string" ? didYouMean(kindId, kinds.keys()) : { zh: "", en: "" };
      add({ unitId: id, rule: "unit-kind", path: [i, "kind"], actual: { kind: kindId }, expected: { kind: [...kinds.keys()] }, message: { zh: `单元“${id}”的种类 ${show(kindId)} 未声明${hint.zh}；已声明：${[...kinds.keys()].join(", ")}`, en: `Unit "${id}" has undeclared kind ${showEn(kindId)}${hint.en}; declared: ${[...kinds.keys()].join(", ")}` } });
      continue;
    }
    const k = kind.id;
    const label = kind.label;

    // Parent
    const parent = unit["parent"];
    const parentRule = `${k}-parent`;
    if (kind.parents && kind.parents.length) {
      const allowed = kind.parents.map((p) => kinds.get(p)?.label ?? { zh: p, en: p });
      const allowedText = { zh: allowed.map((a) => a.zh).join("或"), en: allowed.map((a) => a.en).join(" or ") };
      if (typeof parent !== "string" || parent.length === 0) {
        add({ unitId: id, kind: k, rule: parentRule, path: [i, "parent"], actual: { parent }, expected: { parentKind: kind.parents }, message: { zh: `${label.zh}“${id}”须注明上级单元（${allowedText.zh}）`, en: `${label.en} "${id}" must name its parent (${allowedText.en})` } }, kind);
      } else {
        const p = byId.get(parent);
        if (!p) {
          add({ severity: "warning", unitId: id, kind: k, rule: parentRule, path: [i, "parent"], actual: { parent }, expected: { parentKind: kind.parents }, message: { zh: `${label.zh}“${id}”的上级“${parent}”不在列表中，无法核对其种类`, en: `The parent "${parent}" of ${label.en} "${id}" is not in the list, so its kind cannot be checked` } }, kind);
        } else if (!kind.parents.includes(String(p.unit["kind"]))) {
          const pk = kinds.get(String(p.unit["kind"]))?.label ?? { zh: String(p.unit["kind"]), en: String(p.unit["kind"]) };
          add({ unitId: id, kind: k, rule: parentRule, path: [i, "parent"], actual: { parent, parentKind: p.unit["kind"] }, expected: { parentKind: kind.parents }, message: { zh: `${label.zh}“${id}”的上级“${parent}”是${pk.zh}，应为${allowedText.zh}`, en: `The parent "${parent}" of ${label.en} "${id}" is a ${pk.en}; it must be a ${allowedText.en}` } }, kind);
        } else if (cycles(id, byId)) {
          add({ unitId: id, kind: k, rule: parentRule, path: [i, "parent"], actual: { parent }, message: { zh: `单元“${id}”的上级关系成环`, en: `The parents of unit "${id}" form a cycle` } }, kind);
        }
      }
    } else if (parent !== undefined) {
      add({ severity: "warning", unitId: id, kind: k, rule: parentRule, path: [i, "parent"], actual: { parent }, message: { zh: `${label.zh}是顶层单元，上级“${String(parent)}”将被忽略`, en: `A ${label.en} is a top-level unit; the parent "${String(parent)}" is ignored` } }, kind);
    }

    // Head
    if (kind.head) {
      const h = kind.head;
      const head = unit["head"];
      const role = isObj(head) ? head["role"] : undefined;
      const rule = `${k}-head`;
      const allowed = h.roles.map(roleText);
      const allowedText = { zh: allowed.map((a) => a.zh).join("、"), en: allowed.map((a) => a.en).join(", ") };
      if (typeof role !== "string") {
        add({ unitId: id, kind: k, rule, path: [i, "head"], actual: { head }, expected: { roles: h.roles }, message: { zh: `${label.zh}“${id}”未注明${h.label.zh}（head.role，可为：${allowedText.zh}）`, en: `${label.en} "${id}" names no ${h.label.en} (head.role, one of: ${allowedText.en})` } }, h);
      } else if (!h.roles.includes(role)) {
        add({ unitId: id, kind: k, rule, path: [i, "head", "role"], actual: { role }, expected: { roles: h.roles }, message: { zh: `${label.zh}“${id}”的${h.label.zh}身份为“${roleText(role).zh}”，应为：${allowedText.zh}`, en: `The ${h.label.en} of ${label.en} "${id}" has the role ${roleText(role).en}; it must be one of: ${allowedText.en}` } }, h);
      } else if (h.preferred !== undefined && role !== h.preferred) {
        add({ severity: "warning", unitId: id, kind: k, rule, path: [i, "head", "role"], actual: { role }, expected: { preferred: h.preferred }, message: { zh: `${label.zh}“${id}”由${roleText(role).zh}担任${h.label.zh}：仅在${roleText(h.preferred).zh}不足时可以`, en: `${label.en} "${id}" is headed by a fallback role (${roleText(role).en}): allowed only when there are not enough of the preferred role (${roleText(h.preferred).en})` } }, h);
      }
    }

    // Sizes
    for (const m of kind.measures ?? []) {
      const rule = m.id ?? `${k}-${m.name}`;
      const v = unit[m.name];
      const expected: Record<string, unknown> = {};
      if (m.min !== undefined) expected["min"] = m.min;
      if (m.max !== undefined) expected["max"] = m.max;
      const want = range(m.min, m.max);
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        add({ unitId: id, kind: k, rule, path: [i, m.name], actual: { [m.name]: v }, expected, message: { zh: `${label.zh}“${id}”缺少有效的${m.label.zh}（${m.name}，非负数），无法核对 ${want} 的规定`, en: `${label.en} "${id}" has no valid ${m.label.en} (${m.name}, a non-negative number), so the ${want} rule cannot be checked` } }, m);
      } else if ((m.min !== undefined && v < m.min) || (m.max !== undefined && v > m.max)) {
        const side = m.min !== undefined && v < m.min ? { zh: "少于", en: "below" } : { zh: "多于", en: "above" };
        add({ unitId: id, kind: k, rule, path: [i, m.name], actual: { [m.name]: v }, expected, message: { zh: `${label.zh}“${id}”${m.label.zh}为 ${v}，${side.zh}规定的 ${want}`, en: `${label.en} "${id}" has ${v} ${m.label.en}, ${side.en} the required ${want}` } }, m);
      }
    }
  }
  // Unified coding (统一编码): the id is the parent's code plus this level's digits.
  for (const [id, { unit, index: i }] of byId) {
    const kind = kinds.get(String(unit["kind"]));
    const code = kind?.code;
    if (!kind || !code) continue;
    const parent = typeof unit["parent"] === "string" ? unit["parent"] : "";
    const prefix = code.parentPrefix && kind.parents?.length ? parent : "";
    const own = id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
    if (own === undefined || own.length !== code.digits || !/^[0-9]+$/.test(own)) {
      const want = prefix ? { zh: `上级编码“${prefix}”后加 ${code.digits} 位数字`, en: `the parent's code "${prefix}" followed by ${code.digits} digits` } : { zh: `${code.digits} 位数字`, en: `${code.digits} digits` };
      add({ unitId: id, kind: kind.id, rule: `${kind.id}-code`, path: [i, "id"], actual: { id }, expected: { digits: code.digits, ...(prefix ? { prefix } : {}) }, message: { zh: `${kind.label.zh}“${id}”的编码不合统一编码：应为${want.zh}`, en: `The code of ${kind.label.en} "${id}" breaks the unified coding: it must be ${want.en}` } }, code);
    }
  }
  // Coverage (不留空白区域，不得交叉重叠) without geometry: each element in exactly one unit of the covering kind, under the same parent.
  for (const kind of def.kinds) {
    const cov = kind.coverage;
    if (!cov) continue;
    const elements = [...byId.entries()].filter(([, x]) => x.unit["kind"] === cov.of);
    const elementKind = kinds.get(cov.of);
    const elLabel = elementKind?.label ?? { zh: cov.of, en: cov.of };
    const coveredBy = new Map<string, string[]>();
    for (const [id, { unit, index: i }] of byId) {
      if (unit["kind"] !== kind.id) continue;
      const listed = unit[cov.field];
      if (listed === undefined) continue;
      if (!Array.isArray(listed) || listed.some((x) => typeof x !== "string")) {
        add({ unitId: id, kind: kind.id, rule: `${kind.id}-coverage`, path: [i, cov.field], actual: { [cov.field]: listed }, message: { zh: `${kind.label.zh}“${id}”的 ${cov.field} 须为${elLabel.zh} id 的列表`, en: `${cov.field} of ${kind.label.en} "${id}" must be a list of ${elLabel.en} ids` } }, cov);
        continue;
      }
      (listed as string[]).forEach((el, j) => {
        const e = byId.get(el);
        if (!e || e.unit["kind"] !== cov.of) {
          add({ unitId: id, kind: kind.id, rule: `${kind.id}-coverage`, path: [i, cov.field, j], actual: { element: el }, message: { zh: `${kind.label.zh}“${id}”覆盖的“${el}”不是列表中的${elLabel.zh}`, en: `"${el}", covered by ${kind.label.en} "${id}", is not a ${elLabel.en} in the list` } }, cov);
          return;
        }
        if (e.unit["parent"] !== undefined && unit["parent"] !== undefined && e.unit["parent"] !== unit["parent"]) {
          add({ unitId: id, kind: kind.id, rule: `${kind.id}-coverage`, path: [i, cov.field, j], actual: { element: el, elementParent: e.unit["parent"], parent: unit["parent"] }, message: { zh: `${kind.label.zh}“${id}”（属“${String(unit["parent"])}”）覆盖了属“${String(e.unit["parent"])}”的${elLabel.zh}“${el}”`, en: `${kind.label.en} "${id}" (under "${String(unit["parent"])}") covers ${elLabel.en} "${el}" under "${String(e.unit["parent"])}"` } }, cov);
        }
        const by = coveredBy.get(el) ?? [];
        if (!by.includes(id)) by.push(id);
        coveredBy.set(el, by);
      });
    }
    for (const [el, { index: i }] of elements) {
      const by = coveredBy.get(el) ?? [];
      if (by.length === 0) add({ unitId: el, kind: cov.of, rule: `${kind.id}-coverage-gap`, path: [i], actual: { coveredBy: [] }, expected: { coveredBy: 1 }, message: { zh: `${elLabel.zh}“${el}”不在任何${kind.label.zh}内：不留空白区域`, en: `${elLabel.en} "${el}" is in no ${kind.label.en}: no area may be left out` } }, cov);
      else if (by.length > 1) add({ unitId: el, kind: cov.of, rule: `${kind.id}-coverage-overlap`, path: [i], actual: { coveredBy: by }, expected: { coveredBy: 1 }, message: { zh: `${elLabel.zh}“${el}”同时属于 ${by.map((x) => `“${x}”`).join("、")}：不得交叉重叠`, en: `${elLabel.en} "${el}" belongs to ${by.join(", ")} at once: grids may not overlap` } }, cov);
    }
  }
  return { units: list.length, ok: violations.every((v) => v.severity !== "error"), violations };
}

function cycles(start: string, byId: ReadonlyMap<string, { unit: Record<string, unknown> }>): boolean {
  const seen = new Set<string>([start]);
  let cur = byId.get(start)?.unit["parent"];
  while (typeof cur === "string") {
    if (seen.has(cur)) return cur === start;
    seen.add(cur);
    cur = byId.get(cur)?.unit["parent"];
  }
  return false;
}

/**
 * Load-time checks of a pack's `units` section: kind and role ids unique, parents and head roles declared.
 *
 * @example
 * checkUnitsSection(pack.units); // [] for a sound section
 */
export function checkUnitsSection(def: UnitsDef, path: IssuePath = ["units"]): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const kinds = new Map<string, number>();
  const roles = new Map<string, number>();
  def.roles.forEach((r, i) => {
    const first = roles.get(r.id);
    if (first !== undefined) issues.push(duplicateIssue([...path, "roles", i, "id"], [...path, "roles", first, "id"], { zh: `身份“${r.id}”重复`, en: `Duplicate role "${r.id}"` }));
    else roles.set(r.id, i);
  });
  def.kinds.forEach((k, i) => {
    const first = kinds.get(k.id);
    if (first !== undefined) issues.push(duplicateIssue([...path, "kinds", i, "id"], [...path, "kinds", first, "id"], { zh: `单元种类“${k.id}”重复`, en: `Duplicate unit kind "${k.id}"` }));
    else kinds.set(k.id, i);
  });
  def.kinds.forEach((k, i) => {
    (k.parents ?? []).forEach((p, j) => {
      if (!kinds.has(p)) {
        const hint = didYouMean(p, kinds.keys());
        issues.push(issue(IssueCode.SCHEMA, [...path, "kinds", i, "parents", j], `未声明的单元种类“${p}”${hint.zh}`, `Undeclared unit kind "${p}"${hint.en}`));
      }
    });
    (k.head?.roles ?? []).forEach((r, j) => {
      if (!roles.has(r)) {
        const hint = didYouMean(r, roles.keys());
        issues.push(issue(IssueCode.SCHEMA, [...path, "kinds", i, "head", "roles", j], `未声明的身份“${r}”${hint.zh}（见 units.roles）`, `Undeclared role "${r}"${hint.en} (see units.roles)`));
      }
    });
    if (k.coverage && !kinds.has(k.coverage.of)) {
      const hint = didYouMean(k.coverage.of, kinds.keys());
      issues.push(issue(IssueCode.SCHEMA, [...path, "kinds", i, "coverage", "of"], `未声明的单元种类“${k.coverage.of}”${hint.zh}`, `Undeclared unit kind "${k.coverage.of}"${hint.en}`));
    }
    const names = new Map<string, number>();
    const ids = new Map<string, IssuePath>();
    (k.measures ?? []).forEach((m, j) => {
      const at = [...path, "kinds", i, "measures", j];
      const first = names.get(m.name);
      if (first !== undefined) issues.push(duplicateIssue([...at, "name"], [...path, "kinds", i, "measures", first, "name"], { zh: `规模字段“${m.name}”重复`, en: `Size field "${m.name}" is listed twice` }));
      else names.set(m.name, j);
      // A rule without an id of its own is named after its kind and field.
      const id = m.id ?? `${k.id}-${m.name}`;
      const other = ids.get(id);
      if (other !== undefined) issues.push(duplicateIssue([...at, "id"], other, { zh: `规则“${id}”重复`, en: `Duplicate rule "${id}"` }));
      else ids.set(id, [...at, "id"]);
    });
  });
  // A kind that is its own ancestor could never be placed.
  const parentsOf = new Map<string, readonly string[]>();
  for (const k of def.kinds) if (!parentsOf.has(k.id)) parentsOf.set(k.id, k.parents ?? []);
  def.kinds.forEach((k, i) => {
    const stack = [...(k.parents ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const p = stack.pop()!;
      if (p === k.id) {
        issues.push(issue(IssueCode.SCHEMA, [...path, "kinds", i, "parents"], `单元种类“${k.id}”是它自己的上级（成环）`, `Unit kind "${k.id}" is its own ancestor (a cycle)`));
        break;
      }
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(parentsOf.get(p) ?? []));
    }
  });
  return issues;
}
