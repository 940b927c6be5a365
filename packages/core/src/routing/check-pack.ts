import { IssueCode, issue, own, type IssuePath, type JicengIssue } from "../errors/index.js";
import { duplicateIssue, duplicates } from "../vocabulary/duplicates.js";
import type { RulePack } from "../pack/schema.js";
import { ROUTE_RESULT_KEYS } from "./schema.js";

/**
 * Cross-checks of routing: the table exists; every platform, department and lead a row or the
 * default names is declared; a department sits on a declared platform.
 */
export function checkRouting(pack: RulePack): JicengIssue[] {
  const out: JicengIssue[] = [];
  const r = pack.routing;
  if (!r) return out;
  const base = ["routing"];
  duplicates(r.platforms, [...base, "platforms"], { zh: "平台", en: "platform" }, out);
  duplicates(r.departments, [...base, "departments"], { zh: "部门", en: "department" }, out);
  const platforms = new Set(r.platforms.map((p) => p.id));
  const departments = new Set(r.departments.map((d) => d.id));
  // Where each body id is first declared: departments, then the coordinator, then the other coordinators.
  const bodyAt = new Map<string, IssuePath>();
  r.departments.forEach((d, i) => bodyAt.has(d.id) || bodyAt.set(d.id, [...base, "departments", i, "id"]));
  const departmentAt = bodyAt.get(r.coordinator.id);
  if (departmentAt) out.push(duplicateIssue([...base, "coordinator", "id"], departmentAt, { zh: `统筹协调机构 "${r.coordinator.id}" 与部门同名`, en: `The coordinator "${r.coordinator.id}" has a department's id` }));
  else bodyAt.set(r.coordinator.id, [...base, "coordinator", "id"]);
  const coordinators = new Set([r.coordinator.id]);
  (r.coordinators ?? []).forEach((c, i) => {
    const other = bodyAt.get(c.id);
    if (other) out.push(duplicateIssue([...base, "coordinators", i, "id"], other, { zh: `统筹协调机构 "${c.id}" 与部门或其他协调机构同名`, en: `The coordinator "${c.id}" has the id of a department or another coordinator` }));
    else bodyAt.set(c.id, [...base, "coordinators", i, "id"]);
    coordinators.add(c.id);
  });
  if (r.oversight && !coordinators.has(r.oversight.by)) out.push(issue(IssueCode.UNKNOWN_FACT, [...base, "oversight", "by"], `负责配合和监督的机构 "${r.oversight.by}" 不是统筹协调机构；可用：${[...coordinators].join(", ")}`, `The supervising body "${r.oversight.by}" is not a coordinator; available: ${[...coordinators].join(", ")}`));
  r.oversight?.platforms?.forEach((x, i) => {
    if (!platforms.has(x)) out.push(issue(IssueCode.UNKNOWN_FACT, [...base, "oversight", "platforms", i], `未声明的平台 "${x}"；已声明：${[...platforms].join(", ")}`, `Undeclared platform "${x}"; declared: ${[...platforms].join(", ")}`));
  });
  r.departments.forEach((d, i) => {
    if (!platforms.has(d.platform)) out.push(issue(IssueCode.UNKNOWN_FACT, [...base, "departments", i, "platform"], `部门 "${d.id}" 所在平台 "${d.platform}" 未声明；已声明：${[...platforms].join(", ")}`, `Department "${d.id}" is on an undeclared platform "${d.platform}"; declared: ${[...platforms].join(", ")}`));
  });
  const tables = (pack as { tables?: Record<string, { rows: Array<{ id: string; result: Record<string, unknown> }>; default?: { result: Record<string, unknown> } | undefined }> }).tables ?? {};
  const table = own(tables, r.table);
  if (!table) {
    out.push(issue(IssueCode.UNKNOWN_TABLE, [...base, "table"], `分流决策表 "${r.table}" 未在 tables 中声明；已声明：${Object.keys(tables).join(", ") || "无"}`, `The routing table "${r.table}" is not declared in tables; declared: ${Object.keys(tables).join(", ") || "none"}`));
    return out;
  }
  const leads = new Set([...departments, ...coordinators]);
  const checkResult = (result: Record<string, unknown>, path: IssuePath) => {
    for (const k of Object.keys(result)) {
      if (!(ROUTE_RESULT_KEYS as readonly string[]).includes(k)) out.push(issue(IssueCode.SCHEMA, [...path, k], `分流结果不认识的键 "${k}"；可用：${ROUTE_RESULT_KEYS.join(", ")}`, `Unknown key "${k}" in a routing result; allowed: ${ROUTE_RESULT_KEYS.join(", ")}`));
    }
    const { platform, lead, cooperating, coordinate } = result;
    if (platform !== undefined && (typeof platform !== "string" || !platforms.has(platform))) out.push(issue(IssueCode.UNKNOWN_FACT, [...path, "platform"], `未声明的平台 ${JSON.stringify(platform)}；已声明：${[...platforms].join(", ")}`, `Undeclared platform ${JSON.stringify(platform)}; declared: ${[...platforms].join(", ")}`));
    if (lead !== undefined && (typeof lead !== "string" || !leads.has(lead))) out.push(issue(IssueCode.UNKNOWN_FACT, [...path, "lead"], `未声明的牵头部门 ${JSON.stringify(lead)}；已声明：${[...leads].join(", ")}`, `Undeclared lead department ${JSON.stringify(lead)}; declared: ${[...leads].join(", ")}`));
    if (cooperating !== undefined) {
      if (!Array.isArray(cooperating)) out.push(issue(IssueCode.SCHEMA, [...path, "cooperating"], "cooperating 须为部门标识列表", "cooperating must be a list of department ids"));
      else cooperating.forEach((c, j) => {
        if (typeof c !== "string" || !departments.has(c)) out.push(issue(IssueCode.UNKNOWN_FACT, [...path, "cooperating", j], `未声明的配合部门 ${JSON.stringify(c)}`, `Undeclared cooperating department ${JSON.stringify(c)}`));
      });
    }
    if (coordinate !== undefined && typeof coordinate !== "boolean" && !(typeof coordinate === "string" && coordinators.has(coordinate))) {
      out.push(issue(IssueCode.SCHEMA, [...path, "coordinate"], `coordinate 须为 true / false，或统筹协调机构的标识（${[...coordinators].join(", ")}）`, `coordinate must be true, false, or a coordinator's id (${[...coordinators].join(", ")})`));
    }
    if (platform === undefined && lead === undefined && (coordinate === undefined || coordinate === false)) out.push(issue(IssueCode.SCHEMA, path, "分流结果须给出 platform、lead 或 coordinate: true", "A routing result needs platform, lead or coordinate: true"));
  };
  table.rows.forEach((row, i) => checkResult(row.result, ["tables", r.table, "rows", i, "result"]));
  if (table.default) checkResult(table.default.result, ["tables", r.table, "default", "result"]);
  return out;
}
