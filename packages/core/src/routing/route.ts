import { IssueCode, fail, isJicengError, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { CompiledTable, TableResult } from "../tables/compile.js";

/** Where routing sent a case: platform, lead department (or the coordinator), and why. */
export interface CaseRoute {
  /** The platform of the first row that held; absent when nothing routed the item. */
  platform?: string;
  /** Every platform a row that held named. */
  platforms: string[];
  /** The lead: a department, or the coordinator when several departments are involved or coordination is needed. */
  lead: string;
  cooperating: string[];
  /** True when the coordinator leads (several departments, a row asking for coordination, or no route at all). */
  coordinated: boolean;
  /**
   * When a department leads (a clear owner), the body that cooperates with it and supervises it
   * (`routing.oversight`, e.g. the township's 配合和监督 of a stationed agency's item).
   */
  oversight?: { body: string; label: Text; role: Text };
  usedDefault: boolean;
  reasons: Array<{ ruleId: string; label?: Text; cite?: import("../vocabulary/index.js").Cite; local?: true; note?: Text; conditions?: import("../conditions/compile.js").ConditionTrace }>;
}

/** Where an item goes, with labels for people and the reasons (row, clause, conditions that held). */
export interface RouteResult extends CaseRoute {
  platformLabel?: Text;
  leadLabel: Text;
}

/** A pack's routing compiled once: see {@link compileRouting}. */
export interface CompiledRouting {
  route(facts: Record<string, unknown>): RouteResult;
}

const t = (zh: string, en: string): Text => ({ zh, en });

/**
 * Compiles a pack's routing over its compiled routing table. A row's result names the platform,
 * the lead department, cooperating departments, or asks for coordination. When the rows that held
 * name more than one lead, or ask for coordination, or none holds, the coordinator (the command
 * centre, the township) leads and every department named cooperates.
 *
 * @example
 * const r = compileRouting(pack, tables.get("routing")!).route({ receivedAt, category: "food-safety" });
 * r.platform;   // "market-supervision"
 * r.lead;       // "market-regulation-office"
 * r.reasons[0]; // { ruleId: "food-drug", cite: { clause: "§四(三)", … }, conditions: … }
 * @see DESIGN.md decision 3 (every decision explains itself)
 */
export function compileRouting(pack: RulePack, table: CompiledTable): CompiledRouting {
  const routing = pack.routing;
  if (!routing) fail(IssueCode.USAGE, ["routing"], "此规则包未定义分流（routing）", "This pack defines no routing");
  const departments = new Map(routing.departments.map((d) => [d.id, d] as const));
  const platforms = new Map(routing.platforms.map((p) => [p.id, p] as const));
  const coordinator = routing.coordinator;
  const coordinators = new Map([coordinator, ...(routing.coordinators ?? [])].map((c) => [c.id, c] as const));
  const labelOf = (id: string): Text => coordinators.get(id)?.label ?? departments.get(id)?.label ?? t(id, id);
  const prov = <T extends object>(o: T, src: { cite?: unknown; local?: true | undefined; note?: Text | undefined }): T => {
    const x = o as Record<string, unknown>;
    if (src.cite) x["cite"] = src.cite;
    if (src.local) x["local"] = true;
    if (src.note) x["note"] = src.note;
    return o;
  };

  return {
    route(facts) {
      const results: TableResult[] = [];
      const reasons: CaseRoute["reasons"] = [];
      let usedDefault = false;
      try {
        const ev = table.evaluate(facts);
        usedDefault = ev.usedDefault;
        if (ev.usedDefault && ev.fallback) {
          results.push(ev.fallback.result);
          const r: CaseRoute["reasons"][number] = { ruleId: "default" };
          if (ev.fallback.label) r.label = ev.fallback.label;
          reasons.push(prov(r, ev.fallback));
        } else {
          for (const h of ev.hits) {
            results.push(h.result);
            const r: CaseRoute["reasons"][number] = { ruleId: h.rowId, conditions: h.conditions };
            if (h.label) r.label = h.label;
            reasons.push(prov(r, h));
          }
        }
      } catch (error) {
        if (!isJicengError(error) || error.code !== IssueCode.NO_MATCH) throw error;
      }
      const leads: string[] = [];
      const cooperating: string[] = [];
      const platformIds: string[] = [];
      let ask = false;
      let named: string | undefined;
      const add = (list: string[], v: unknown) => {
        if (typeof v === "string" && !list.includes(v)) list.push(v);
      };
      for (const r of results) {
        add(leads, r["lead"]);
        if (Array.isArray(r["cooperating"])) for (const c of r["cooperating"]) add(cooperating, c);
        const p = r["platform"] ?? (typeof r["lead"] === "string" ? departments.get(r["lead"])?.platform : undefined);
        add(platformIds, p);
        if (r["coordinate"] === true) ask = true;
        if (typeof r["coordinate"] === "string" && coordinators.has(r["coordinate"])) {
          ask = true;
          named ??= r["coordinate"];
        }
      }
      const coordinated = ask || leads.length !== 1;
      const by = coordinators.get(named ?? "") ?? coordinator;
      const lead = coordinated ? by.id : leads[0]!;
      const others = coordinated ? [...leads, ...cooperating] : cooperating;
      const coop = [...new Set(others)].filter((x) => x !== lead && !coordinators.has(x));
      if (coordinated) {
        const why =
          results.length === 0
            ? t("没有分流规则命中", "no routing rule held")
            : leads.length > 1
              ? t(`涉及多个部门（${leads.map((x) => labelOf(x).zh).join("、")}）`, `several departments are involved (${leads.map((x) => labelOf(x).en).join(", ")})`)
              : t("须统筹协调", "it needs coordination");
        reasons.push(prov({ ruleId: "coordinator", label: t(`${why.zh}，由${by.label.zh}统筹协调`, `${why.en}: ${by.label.en} coordinates`) }, by));
      }
      const out: RouteResult = { platforms: platformIds, lead, leadLabel: labelOf(lead), cooperating: coop, coordinated, usedDefault, reasons };
      const ov = routing.oversight;
      if (ov && !coordinated && (ov.platforms === undefined || (platformIds[0] !== undefined && ov.platforms.includes(platformIds[0])))) {
        const body = coordinators.get(ov.by)!;
        out.oversight = { body: body.id, label: body.label, role: ov.role };
        reasons.push(prov({ ruleId: "oversight", label: t(`责任主体明确，由${labelOf(lead).zh}负责处置，${body.label.zh}负责${ov.role.zh}`, `A clear owner: ${labelOf(lead).en} handles it; ${body.label.en}: ${ov.role.en}`) }, ov));
      }
      const platform = platformIds[0];
      if (platform !== undefined) {
        out.platform = platform;
        const p = platforms.get(platform);
        if (p) out.platformLabel = p.label;
      }
      return out;
    },
  };
}
