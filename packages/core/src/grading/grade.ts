import { compileCondition, type CompiledCondition, type ConditionTrace } from "../conditions/compile.js";
import { buildFactIndex } from "../conditions/facts.js";
import type { Text } from "../errors/index.js";
import type { Cite, LevelDef, RulePack } from "../pack/schema.js";

/** Why a case got its level: one rule that held (or the default), with its citation. */
export interface GradeReason {
  /** The grading rule's id, or `"default"` when no rule held. */
  ruleId: string;
  level: string;
  label?: Text;
  /** Where the document says so; absent only for `local` values, which carry `note`. */
  cite?: Cite;
  local?: true;
  note?: Text;
  /** The conditions evaluated, with the fact values seen (absent for the default). */
  conditions?: ConditionTrace;
}

/** The result of grading a case. */
export interface GradeResult {
  level: string;
  rank: number;
  label: Text;
  colour: string;
  reasons: GradeReason[];
}

/** A more severe level that did not apply, and why: each of its rules with the conditions that failed. */
export interface RejectedLevel {
  level: string;
  rank: number;
  label: Text;
  rules: Array<{ ruleId: string; label?: Text; cite?: Cite; conditions: ConditionTrace }>;
}

/** {@link GradeResult} plus, for every more severe level, why it did not apply. */
export interface GradeExplanation extends GradeResult {
  rejected: RejectedLevel[];
}

interface CompiledRule {
  id: string;
  level: LevelDef;
  index: number;
  priority: number;
  cond: CompiledCondition;
  reason: Omit<GradeReason, "conditions">;
}

/** A pack's grading compiled once; see {@link compileGrading}. */
export interface CompiledGrading {
  /** Fast path: the level id only, no reasons, no allocation. */
  level(facts: Record<string, unknown>): string;
  grade(facts: Record<string, unknown>): GradeResult;
  explain(facts: Record<string, unknown>): GradeExplanation;
}

function provenance<T extends object>(target: T, src: { cite?: Cite | undefined; local?: true | undefined; note?: Text | undefined }): T {
  const t = target as { cite?: Cite; local?: true; note?: Text };
  if (src.cite) t.cite = src.cite;
  if (src.local) t.local = true;
  if (src.note) t.note = src.note;
  return target;
}

/**
 * Compiles a pack's grading rules into synchronous closures.
 * Strategy `most-severe`: rules are tried from the most severe level down (by priority within a level);
 * the first that holds decides. Strategy `first-hit`: by priority, then pack order.
 *
 * @example
 * const g = compileGrading(loadPack(pack));
 * g.level({ receivedAt: "2022-06-20T10:00:00+08:00", risks: { homicide: true } }); // "red"
 * @see DESIGN.md decision 3: every decision explains itself.
 */
export function compileGrading(pack: RulePack): CompiledGrading {
  const facts = buildFactIndex(pack.facts);
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  const ctx = { facts, named: pack.conditions };
  const rules: CompiledRule[] = pack.grading.rules.map((r, index) => {
    const level = levels.get(r.level)!;
    const reason: Omit<GradeReason, "conditions"> = { ruleId: r.id, level: r.level };
    if (r.label) reason.label = r.label;
    provenance(reason, r);
    return { id: r.id, level, index, priority: r.priority, cond: compileCondition(r.conditions, ctx), reason };
  });
  const mostSevere = pack.grading.strategy === "most-severe";
  rules.sort((a, b) => (mostSevere ? b.level.rank - a.level.rank : 0) || b.priority - a.priority || a.index - b.index);
  const tests = rules.map((r) => r.cond.test);
  const ids = rules.map((r) => r.level.id);
  const n = rules.length;
  const def = levels.get(pack.grading.default.level)!;
  const defaultReason = provenance<GradeReason>({ ruleId: "default", level: def.id }, pack.grading.default);

  const result = (level: LevelDef, reasons: GradeReason[]): GradeResult => ({ level: level.id, rank: level.rank, label: level.label, colour: level.colour, reasons });

  return {
    level(f) {
      for (let i = 0; i < n; i++) if (tests[i]!(f)) return ids[i]!;
      return def.id;
    },
    grade(f) {
      for (let i = 0; i < n; i++) {
        if (!tests[i]!(f)) continue;
        const winner = rules[i]!;
        // Every rule of the winning level that holds is a reason (a red case may be red twice over).
        const reasons: GradeReason[] = [];
        for (let j = i; j < n; j++) {
          const r = rules[j]!;
          if (r.level !== winner.level) break;
          if (j === i || (mostSevere && r.cond.test(f))) reasons.push({ ...r.reason, conditions: r.cond.explain(f) });
          if (!mostSevere) break;
        }
        return result(winner.level, reasons);
      }
      return result(def, [{ ...defaultReason }]);
    },
    explain(f) {
      const graded = this.grade(f);
      const rejected: RejectedLevel[] = [];
      for (const l of [...pack.levels].sort((a, b) => b.rank - a.rank)) {
        if (l.rank <= graded.rank) continue;
        const lr = rules.filter((r) => r.level === l);
        rejected.push({
          level: l.id,
          rank: l.rank,
          label: l.label,
          rules: lr.map((r) => {
            const out: RejectedLevel["rules"][number] = { ruleId: r.id, conditions: r.cond.explain(f) };
            if (r.reason.label) out.label = r.reason.label;
            if (r.reason.cite) out.cite = r.reason.cite;
            return out;
          }),
        });
      }
      return { ...graded, rejected };
    },
  };
}
