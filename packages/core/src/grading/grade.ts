import { createFramedConditionCompiler, type CompileContext, type CompiledCondition, type ConditionCompiler, type ConditionTrace, type FactFrame } from "../conditions/compile.js";
import { ConditionCodegen, canGenerateCode, literal } from "../conditions/codegen.js";
import { buildFactIndex } from "../conditions/facts.js";
import { IssueCode, JicengError, issue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { Cite, Condition, LevelDef } from "../vocabulary/index.js";

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
  /** Absent for a grading rule or the default; `points` for a score item awarded, `threshold` for the score line reached. */
  kind?: "points" | "threshold";
  /** The points a score item awarded. */
  points?: number;
  /** The total score (on a `threshold` reason). */
  score?: number;
  /** The threshold's minimum (on a `threshold` reason). */
  min?: number;
}

/** How a score-graded case scored: the total, the level its thresholds give, and every item awarded. */
export interface ScoreBreakdown {
  total: number;
  /** The level of the highest threshold reached; absent below every threshold. */
  level?: string;
  /** Every score item whose condition held, with its points and the conditions seen. */
  items: GradeReason[];
}

/** The result of grading a case. */
export interface GradeResult {
  level: string;
  rank: number;
  label: Text;
  colour: string;
  reasons: GradeReason[];
  /** Present when the pack grades by score (`grading.score`). */
  score?: ScoreBreakdown;
}

/** A more severe level that did not apply, and why: each of its rules with the conditions that failed. */
export interface RejectedLevel {
  level: string;
  rank: number;
  label: Text;
  rules: Array<{ ruleId: string; label?: Text; cite?: Cite; conditions: ConditionTrace }>;
  /** When the pack grades by score: the total seen and the threshold this level needs. */
  score?: { total: number; min: number };
}

/** {@link GradeResult} plus, for every more severe level, why it did not apply. */
export interface GradeExplanation extends GradeResult {
  rejected: RejectedLevel[];
}

/** A rule's closure before the closures are compiled (they are, all at once, before first use). */
const UNCOMPILED: CompiledCondition = {
  test: () => {
    throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：条件尚未编译", "Internal error: a condition used before it was compiled"));
  },
  explain: () => {
    throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：条件尚未编译", "Internal error: a condition used before it was compiled"));
  },
  facts: [],
};

/** The level of a score total: that of the highest threshold it reaches. */
function scoreLines(pack: RulePack, levels: ReadonlyMap<string, LevelDef>): (total: number) => LevelDef | undefined {
  const lines = [...(pack.grading.score?.thresholds ?? [])].sort((a, b) => b.min - a.min).map((t) => ({ min: t.min, level: levels.get(t.level)! }));
  return (t) => {
    for (const line of lines) if (t >= line.min) return line.level;
    return undefined;
  };
}

interface CompiledRule {
  id: string;
  level: LevelDef;
  index: number;
  priority: number;
  cond: CompiledCondition;
  source: Condition;
  reason: Omit<GradeReason, "conditions">;
  makeReason: (conditions: ConditionTrace) => GradeReason;
}

/** Options for {@link compileGrading}. */
export interface GradingOptions {
  /**
   * Compile the fast path to generated JavaScript (`new Function`) when the runtime allows it
   * (default `true`); `false` keeps the closures, as a runtime that refuses code generation does.
   */
  generateCode?: boolean;
}

/** A pack's grading compiled once; see {@link compileGrading}. */
export interface CompiledGrading {
  /** Fast path: the level id only, no reasons, no allocation. */
  level(facts: Record<string, unknown>): string;
  /**
   * {@link CompiledGrading.level} for facts validated before (the engine's trusted path): values are
   * not checked again; missing facts still take their default or throw MISSING_FACT.
   */
  levelTrusted(facts: Record<string, unknown>): string;
  /**
   * Validation and grading in one pass, for the engine's per-call path: the level when `facts` is a
   * plain object whose declared facts present are all valid own values (unknown fields are not
   * looked at); `undefined` otherwise, and the caller validates to say why. Throws MISSING_FACT
   * like {@link CompiledGrading.level}. Undefined (the method) when the grading runs as closures.
   */
  readonly levelChecked: ((facts: unknown) => string | undefined) | undefined;
  /**
   * The level of a ValidCase the engine froze: every declared key an own property (undefined when
   * missing), every value valid. Anything else must not be passed here.
   */
  readonly levelFrozen: (facts: Record<string, unknown>) => string;
  /**
   * The level from a ValidCase's record (conditions/codegen.ts `generateCaseRecord` of this pack's
   * facts: every declared fact a field in declaration order, defaults filled in). Undefined (the
   * method) when the grading runs as closures.
   */
  readonly levelRecord: ((record: object) => string) | undefined;
  /** The facts {@link CompiledGrading.levelRecord} reads from the record (a record must hold at least these). */
  readonly recordFacts: readonly string[] | undefined;
  /**
   * {@link CompiledGrading.grade} in one generated pass, validation included, for the engine's
   * per-call path: the result when `facts` is a plain object whose every field is declared and
   * valid (nothing admission would warn about) and every fact the conditions read is present or
   * has a default; `undefined` otherwise (the caller admits the case and grades it the general
   * way). Undefined (the method) when the grading runs as closures.
   */
  readonly gradeChecked: ((facts: unknown) => GradeResult | undefined) | undefined;
  /**
   * {@link CompiledGrading.gradeChecked} for a ValidCase the engine froze (see
   * {@link CompiledGrading.levelFrozen}): no checks, no scan for undeclared fields; `undefined`
   * when a fact the conditions read is missing and has no default.
   */
  readonly gradeFrozen: ((facts: Record<string, unknown>) => GradeResult | undefined) | undefined;
  /**
   * {@link CompiledGrading.explain} in one generated pass, as {@link CompiledGrading.gradeChecked}
   * (the same conditions to answer, `undefined` otherwise). Undefined (the method) when the grading
   * runs as closures.
   */
  readonly explainChecked: ((facts: unknown) => GradeExplanation | undefined) | undefined;
  /** {@link CompiledGrading.explainChecked} for a ValidCase the engine froze (see {@link CompiledGrading.gradeFrozen}). */
  readonly explainFrozen: ((facts: Record<string, unknown>) => GradeExplanation | undefined) | undefined;
  /** How the fast path runs: `"generated"` JavaScript, or `"closures"`. */
  readonly mode: "generated" | "closures";
  grade(facts: Record<string, unknown>): GradeResult;
  explain(facts: Record<string, unknown>): GradeExplanation;
}

/**
 * A reason with its conditions, built as one object literal per shape (no spread): a spread of
 * reasons of different shapes is a megamorphic clone in V8. Same keys, same order as
 * `{ ...reason, conditions }`.
 */
function reasonMaker(reason: Omit<GradeReason, "conditions">): (conditions: ConditionTrace) => GradeReason {
  const keys = Object.keys(reason).join(",");
  const { ruleId, level, label, cite, note, kind, points } = reason;
  switch (keys) {
    case "ruleId,level,label,cite":
      return (conditions) => ({ ruleId, level, label: label!, cite: cite!, conditions });
    case "ruleId,level,cite":
      return (conditions) => ({ ruleId, level, cite: cite!, conditions });
    case "ruleId,level,label,local,note":
      return (conditions) => ({ ruleId, level, label: label!, local: true, note: note!, conditions });
    case "ruleId,level,label,kind,points,cite":
      return (conditions) => ({ ruleId, level, label: label!, kind: kind!, points: points!, cite: cite!, conditions });
    case "ruleId,level,label,kind,points,local,note":
      return (conditions) => ({ ruleId, level, label: label!, kind: kind!, points: points!, local: true, note: note!, conditions });
  }
  return (conditions) => ({ ...reason, conditions });
}

function provenance<T extends object>(target: T, src: { cite?: Cite | undefined; local?: true | undefined; note?: Text | undefined }): T {
  const t = target as { cite?: Cite; local?: true; note?: Text };
  if (src.cite) t.cite = src.cite;
  if (src.local) t.local = true;
  if (src.note) t.note = src.note;
  return target;
}

/**
 * Compiles a pack's grading into synchronous closures.
 * Strategy `most-severe`: rules are tried from the most severe level down (by priority within a level);
 * the first that holds decides. Strategy `first-hit`: by priority, then pack order.
 * With `grading.score`: every score item whose condition holds adds its points; the total maps to the
 * level of the highest threshold it reaches; the more severe of that level and the rules' level wins.
 *
 * @example
 * const g = compileGrading(loadPack(pack));
 * g.level({ receivedAt: "2022-06-20T10:00:00+08:00", risks: { homicide: true } }); // "red"
 * @see DESIGN.md decision 3: every decision explains itself.
 */
export function compileGrading(pack: RulePack, options: GradingOptions = {}): CompiledGrading {
  const facts = buildFactIndex(pack.facts);
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  const ctx = { facts, named: pack.conditions, timeZone: pack.timezone };
  // One compiler for every grading rule and score item: named conditions compile once, and every
  // test reads its facts through one frame, so each fact is read and validated once per case.
  const rules: CompiledRule[] = pack.grading.rules.map((r, index) => {
    const level = levels.get(r.level)!;
    const reason: Omit<GradeReason, "conditions"> = { ruleId: r.id, level: r.level };
    if (r.label) reason.label = r.label;
    provenance(reason, r);
    return { id: r.id, level, index, priority: r.priority, cond: UNCOMPILED, source: r.conditions, reason, makeReason: reasonMaker(reason) };
  });
  const mostSevere = pack.grading.strategy === "most-severe";
  rules.sort((a, b) => (mostSevere ? b.level.rank - a.level.rank : 0) || b.priority - a.priority || a.index - b.index);
  const ids = rules.map((r) => r.level.id);
  const n = rules.length;
  const def = levels.get(pack.grading.default.level)!;
  const defaultReason = provenance<GradeReason>({ ruleId: "default", level: def.id }, pack.grading.default);
  const levelOfScore = pack.grading.score ? scoreLines(pack, levels) : undefined;

  // The closures (the reference, the fallback, and what grade / explain trace with) are compiled
  // on first need, all at once and before any frame is begun: a process that only asks for
  // levels on a runtime that generates code never compiles them (start-up, issue 17).
  // One compiler for every grading rule and score item: named conditions compile once, and every
  // test reads its facts through one frame, so each fact is read and validated once per case.
  let closures: { frame: FactFrame; tests: Array<(f: Record<string, unknown>) => boolean>; sc: CompiledScore | undefined } | undefined;
  const compiled = () => {
    if (closures) return closures;
    const { compiler, frame } = createFramedConditionCompiler(ctx);
    for (const r of rules) r.cond = compiler.compile(r.source);
    return (closures = { frame, tests: rules.map((r) => r.cond.test), sc: compileScore(pack, compiler, levels) });
  };

  // Score packs: the more severe of the rules' level and the score's.
  const finish = (i: number, total: number): string => {
    const byScore = levelOfScore!(total);
    const byRule = i >= 0 ? rules[i]!.level : undefined;
    if (byScore && (!byRule || byScore.rank > byRule.rank)) return byScore.id;
    return byRule ? byRule.id : def.id;
  };
  // For explain: every level, most severe first, with its rules and how to build its RejectedLevel
  // from the explanations of those rules (the closures' and the generated pass's alike).
  const rejectedOf = [...pack.levels]
    .sort((a, b) => b.rank - a.rank)
    .map((l) => {
      const lr = rules.filter((r) => r.level === l);
      const make = (graded: GradeResult, traces: readonly ConditionTrace[]): RejectedLevel => {
        const out: RejectedLevel = {
          level: l.id,
          rank: l.rank,
          label: l.label,
          rules: lr.map((r, k) => {
            const o: RejectedLevel["rules"][number] = { ruleId: r.id, conditions: traces[k]! };
            if (r.reason.label) o.label = r.reason.label;
            if (r.reason.cite) o.cite = r.reason.cite;
            return o;
          }),
        };
        const min = closures!.sc?.minFor(l.id);
        if (min !== undefined && graded.score) out.score = { total: graded.score.total, min };
        return out;
      };
      return { level: l, rules: lr, make };
    });
  // The explaining variant hands its deciding rule, reasons and awarded score items to `assemble`,
  // as gradeIn does (the closures are compiled first: the score's threshold reasons are theirs).
  const explained: Explained = {
    prepare: () => void compiled(),
    assemble: (i, reasons, sum, awarded) => assemble(i, reasons, awarded === undefined ? undefined : closures!.sc!.finish(sum, awarded)),
    rejected: rejectedOf.map((x) => ({ rank: x.level.rank, rules: x.rules.map((r) => rules.indexOf(r)), make: x.make })),
    explanation: withRejected,
  };
  const generated = options.generateCode !== false && canGenerateCode() ? generateGrading(pack, ctx, rules, finish, explained) : undefined;

  const result = (level: LevelDef, reasons: GradeReason[]): GradeResult => ({ level: level.id, rank: level.rank, label: level.label, colour: level.colour, reasons });

  /** Index of the deciding rule, or -1. */
  const firstRule = (f: Record<string, unknown>): number => {
    if (generated) return generated.first(f);
    const tests = closures!.tests;
    for (let i = 0; i < n; i++) if (tests[i]!(f)) return i;
    return -1;
  };

  const closureLevel = (f: Record<string, unknown>): string => {
    const { frame, sc } = compiled();
    frame.begin(f);
    try {
      const i = firstRule(f);
      if (!sc) return i >= 0 ? ids[i]! : def.id;
      return finish(i, sc.total(f));
    } finally {
      frame.end();
    }
  };

  return {
    level: generated ? (f) => generated.level(f) : closureLevel,
    levelTrusted: generated ? (f) => generated.trusted(f) : closureLevel,
    get levelChecked() {
      return generated ? generated.checked : undefined;
    },
    // The generated function itself (built on first access), so the engine calls it directly.
    get levelFrozen() {
      return generated ? generated.frozen : closureLevel;
    },
    get levelRecord() {
      return generated ? generated.record : undefined;
    },
    get recordFacts() {
      return generated ? generated.recordFacts : undefined;
    },
    get gradeChecked() {
      return generated ? generated.explain : undefined;
    },
    get gradeFrozen() {
      return generated ? generated.explainFrozen : undefined;
    },
    get explainChecked() {
      return generated ? generated.explainRejected : undefined;
    },
    get explainFrozen() {
      return generated ? generated.explainRejectedFrozen : undefined;
    },
    mode: generated ? "generated" : "closures",
    grade(f) {
      if (generated) {
        const r = generated.explain(f);
        if (r !== undefined) return r;
      }
      const { frame } = compiled();
      frame.begin(f);
      try {
        return gradeIn(f);
      } finally {
        frame.end();
      }
    },
    explain(f) {
      if (generated) {
        const r = generated.explainRejected(f);
        if (r !== undefined) return r;
      }
      const { frame } = compiled();
      frame.begin(f);
      try {
        return explainIn(f);
      } finally {
        frame.end();
      }
    },
  };

  function gradeIn(f: Record<string, unknown>): GradeResult {
    const i = firstRule(f);
    let reasons: GradeReason[] | undefined;
    if (i >= 0) {
      const winner = rules[i]!;
      // Every rule of the winning level that holds is a reason (a red case may be red twice over).
      reasons = [];
      for (let j = i; j < n; j++) {
        const r = rules[j]!;
        if (r.level !== winner.level) break;
        if (j === i || (mostSevere && r.cond.test(f))) reasons.push(r.makeReason(r.cond.explain(f)));
        if (!mostSevere) break;
      }
    }
    const sc = closures!.sc;
    return assemble(i, reasons, sc ? sc.breakdown(f) : undefined);
  }

  /** The result of the deciding rule `i` (or -1) with its level's reasons, and the score breakdown of a score pack. */
  function assemble(i: number, reasons: GradeReason[] | undefined, breakdown: ScoreBreakdown | undefined): GradeResult {
    const ruleLevel = i >= 0 ? rules[i]!.level : undefined;
    if (!breakdown) return ruleLevel ? result(ruleLevel, reasons!) : result(def, [{ ...defaultReason }]);
    const sc = closures!.sc!;
    const byScore = breakdown.level !== undefined ? levels.get(breakdown.level)! : undefined;
    let out: GradeResult;
    if (ruleLevel && (!byScore || ruleLevel.rank > byScore.rank)) out = result(ruleLevel, reasons!);
    else if (byScore) {
      const all = [sc.thresholdReason(byScore.id, breakdown.total), ...breakdown.items];
      if (ruleLevel && ruleLevel === byScore) all.push(...reasons!);
      out = result(byScore, all);
    } else out = result(def, [{ ...defaultReason }, ...breakdown.items]);
    out.score = breakdown;
    return out;
  }

  function explainIn(f: Record<string, unknown>): GradeExplanation {
    const graded = gradeIn(f);
    const rejected: RejectedLevel[] = [];
    for (const x of rejectedOf) {
      if (x.level.rank <= graded.rank) continue;
      rejected.push(x.make(graded, x.rules.map((r) => r.cond.explain(f))));
    }
    return withRejected(graded, rejected);
  }
}

/** `{ ...graded, rejected }`, field by field (V8 gives a field added to a spread copy a new hidden class each time). */
function withRejected(graded: GradeResult, rejected: RejectedLevel[]): GradeExplanation {
  const out = {} as Record<string, unknown>;
  const keys = Object.keys(graded);
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = (graded as unknown as Record<string, unknown>)[keys[i]!];
  out["rejected"] = rejected;
  return out as unknown as GradeExplanation;
}

interface CompiledScore {
  total(facts: Record<string, unknown>): number;
  levelOf(total: number): LevelDef | undefined;
  breakdown(facts: Record<string, unknown>): ScoreBreakdown;
  /** The breakdown of a total and the reasons of the items awarded (in item order). */
  finish(sum: number, awarded: GradeReason[]): ScoreBreakdown;
  thresholdReason(level: string, total: number): GradeReason;
  minFor(level: string): number | undefined;
}

/** The reason builder of a score item (its `level` is set once the total's level is known). */
function itemReasonMaker(p: NonNullable<RulePack["grading"]["score"]>["points"][number]): (conditions: ConditionTrace) => GradeReason {
  const reason: Omit<GradeReason, "conditions"> = { ruleId: p.id, level: "", label: p.label, kind: "points", points: p.points };
  provenance(reason, p);
  return reasonMaker(reason);
}

function compileScore(pack: RulePack, compiler: ConditionCompiler, levels: ReadonlyMap<string, LevelDef>): CompiledScore | undefined {
  const score = pack.grading.score;
  if (!score) return undefined;
  const items = score.points.map((p) => ({ cond: compiler.compile(p.conditions), points: p.points, makeReason: itemReasonMaker(p) }));
  const tests = items.map((x) => x.cond.test);
  const points = items.map((x) => x.points);
  // Highest line first: the first one the total reaches decides.
  const lines = [...score.thresholds].sort((a, b) => b.min - a.min).map((t) => ({ min: t.min, level: levels.get(t.level)!, src: t }));
  const name = score.label ?? { zh: "评估赋分", en: "score" };
  const total = (f: Record<string, unknown>): number => {
    let sum = 0;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(f)) sum += points[i]!;
    return sum;
  };
  const levelOf = (t: number): LevelDef | undefined => {
    for (const line of lines) if (t >= line.min) return line.level;
    return undefined;
  };
  return {
    total,
    levelOf,
    breakdown(f) {
      const awarded: GradeReason[] = [];
      let sum = 0;
      for (let i = 0; i < items.length; i++) {
        const it = items[i]!;
        if (!it.cond.test(f)) continue;
        sum += it.points;
        awarded.push(it.makeReason(it.cond.explain(f)));
      }
      return this.finish(sum, awarded);
    },
    finish(sum, awarded) {
      const level = levelOf(sum);
      for (const a of awarded) a.level = level?.id ?? pack.grading.default.level;
      const out: ScoreBreakdown = { total: sum, items: awarded };
      if (level) out.level = level.id;
      return out;
    },
    thresholdReason(level, t) {
      const line = lines.find((l) => l.level.id === level)!;
      const label: Text = {
        zh: `${name.zh}总分 ${t}，达到${line.level.label.zh}分数线 ${line.min}`,
        en: `${name.en} total ${t} reaches the ${line.level.label.en} threshold of ${line.min}`,
      };
      return provenance<GradeReason>({ ruleId: `threshold-${level}`, level, label, kind: "threshold", score: t, min: line.min }, line.src);
    },
    minFor(level) {
      return lines.find((l) => l.level.id === level)?.min;
    },
  };
}

/** What the generated explaining variant needs from compileGrading. */
interface Explained {
  /** Compile the closures (before the first explanation). */
  prepare(): void;
  /** The result of rule `i` (or -1) with its level's reasons; for a score pack the total and the reasons of the items awarded. */
  assemble(i: number, reasons: GradeReason[] | undefined, sum: number, awarded: GradeReason[] | undefined): GradeResult;
  /** Every level, most severe first: its rank, the indices of its rules, and its RejectedLevel from their explanations. */
  rejected: ReadonlyArray<{ rank: number; rules: readonly number[]; make: (graded: GradeResult, traces: readonly ConditionTrace[]) => RejectedLevel }>;
  /** The explanation: the result and its rejected levels. */
  explanation: (graded: GradeResult, rejected: RejectedLevel[]) => GradeExplanation;
}

interface GeneratedGrading {
  explain(facts: unknown): GradeResult | undefined;
  explainFrozen(facts: Record<string, unknown>): GradeResult | undefined;
  explainRejected(facts: unknown): GradeExplanation | undefined;
  explainRejectedFrozen(facts: Record<string, unknown>): GradeExplanation | undefined;
  level(facts: Record<string, unknown>): string;
  trusted(facts: Record<string, unknown>): string;
  first(facts: Record<string, unknown>): number;
  checked(facts: unknown): string | undefined;
  frozen(facts: Record<string, unknown>): string;
  record(record: object): string;
  readonly recordFacts: readonly string[];
}

/**
 * The grading fast path as generated JavaScript: one function per pack testing the rules in
 * order, each fact read and validated once, lazily (the framed closures' semantics and errors).
 * Pack values enter only as JSON literals or constants (see conditions/codegen.ts).
 */
function generateGrading(pack: RulePack, ctx: CompileContext, rules: readonly CompiledRule[], finish: (rule: number, total: number) => string, explained: Explained): GeneratedGrading {
  /**
   * `grade` with reasons in one pass: the checked prologue (every declared fact read once,
   * validated, its default noted), no field the pack does not declare, then the deciding rule, and
   * the explanations (ConditionTrace) built from the locals by generated functions — the reasons
   * themselves by the same per-rule builders as the closures'.
   */
  const makeExplain = <R extends GradeResult>(frozen: boolean, rejected = false): ((f: unknown) => R | undefined) => {
    explained.prepare();
    const gen = new ConditionCodegen(ctx, frozen, frozen ? "frozen" : "checked", true);
    const conds = rules.map((r) => gen.condition(r.source));
    const traces = rules.map((r) => gen.trace(r.source));
    const mostSevere = pack.grading.strategy === "most-severe";
    const body: string[] = ["  let i = -1;"];
    if (conds.length) body.push("  " + conds.map((c, k) => `if (${c}) i = ${k};`).join(" else "));
    body.push("  let reasons;");
    // Each run of rules of one level: the winner's reason, then (most-severe) every later rule of its level that holds.
    for (let a = 0; a < rules.length; ) {
      let b = a;
      while (b + 1 < rules.length && rules[b + 1]!.level === rules[a]!.level) b++;
      const lines: string[] = [];
      for (let j = a; j <= b; j++) {
        const push = `reasons.push(${gen.constant(rules[j]!.makeReason)}(${traces[j]}));`;
        lines.push(mostSevere && j > a ? `    if (i === ${j} || (i < ${j} && ${conds[j]})) ${push}` : `    if (i === ${j}) ${push}`);
      }
      body.push(`  if (i >= ${a} && i <= ${b}) {`, "    reasons = [];", ...lines, "  }");
      a = b + 1;
    }
    const ASM = gen.constant(explained.assemble);
    const score = pack.grading.score;
    if (score) {
      body.push("  let sum = 0;", "  const awarded = [];");
      for (const p of score.points) {
        const c = gen.condition(p.conditions);
        const t = gen.trace(p.conditions);
        body.push(`  if (${c}) { sum += ${literal(p.points) ?? gen.constant(p.points)}; awarded.push(${gen.constant(itemReasonMaker(p))}(${t})); }`);
      }
      body.push(`  const g = ${ASM}(i, reasons, sum, awarded);`);
    } else body.push(`  const g = ${ASM}(i, reasons, 0, undefined);`);
    if (rejected) {
      // explain: every more severe level, with the explanation of each of its rules.
      body.push("  const rejected = [];");
      for (const x of explained.rejected) body.push(`  if (g.rank < ${literal(x.rank) ?? gen.constant(x.rank)}) rejected.push(${gen.constant(x.make)}(g, [${x.rules.map((j) => traces[j]).join(", ")}]));`);
      body.push(`  return ${gen.constant(explained.explanation)}(g, rejected);`);
    } else body.push("  return g;");
    // After every condition and trace is generated: the prologue reads exactly the facts they use.
    const prologue = gen.prologue();
    const src = `function grade(f) {\n${prologue}\n${frozen ? "" : gen.unknownFieldScan()}\n${gen.missingBail()}\n${body.join("\n")}\n}\nreturn grade;`;
    return gen.build<(f: unknown) => R | undefined>(src);
  };
  let explain: ((f: unknown) => GradeResult | undefined) | undefined;
  let explainFrozen: ((f: Record<string, unknown>) => GradeResult | undefined) | undefined;
  let explainRejected: ((f: unknown) => GradeExplanation | undefined) | undefined;
  let explainRejectedFrozen: ((f: Record<string, unknown>) => GradeExplanation | undefined) | undefined;
  let recordFacts: string[] = [];
  const make = (trusted: boolean, withFirst: boolean, eager?: "checked" | "frozen" | "record") => {
    const gen = new ConditionCodegen(ctx, trusted, eager);
    const conds = rules.map((r) => gen.condition(r.source));
    const points = (pack.grading.score?.points ?? []).map((p) => ({ cond: gen.condition(p.conditions), points: literal(p.points) ?? gen.constant(p.points) }));
    const def = JSON.stringify(pack.grading.default.level);
    const root = eager ? "" : `const root = f !== null && typeof f === "object" && !isArray(f) ? f : undefined;`;
    let level: string;
    if (!pack.grading.score) {
      level = conds.map((c, i) => `  if (${c}) return ${JSON.stringify(rules[i]!.level.id)};`).join("\n") + `\n  return ${def};`;
    } else {
      const FIN = gen.constant(finish);
      level = [
        "  let rule = -1;",
        conds.length ? "  " + conds.map((c, i) => `if (${c}) rule = ${i};`).join(" else ") : "",
        "  let sum = 0;",
        ...points.map((p) => `  if (${p.cond}) sum += ${p.points};`),
        `  return ${FIN}(rule, sum);`,
      ].join("\n");
    }
    const locals = eager ? gen.prologue() : "{{locals}}";
    const first = withFirst ? `function first(f) {\n  ${root}\n  {{locals}}\n${conds.map((c, i) => `  if (${c}) return ${i};`).join("\n")}\n  return -1;\n}\n` : "";
    const body = `${first}function level(f) {\n  ${root}\n${locals}\n${level}\n}\nreturn ${withFirst ? "[level, first]" : "[level]"};`;
    if (eager === "record") recordFacts = gen.readFacts();
    return gen.build<Array<(f: Record<string, unknown>) => never>>(body);
  };
  // Each variant is generated on first use: a process that only grades raw cases compiles one.
  let levelFirst: Array<(f: Record<string, unknown>) => never> | undefined;
  let trusted: ((f: Record<string, unknown>) => string) | undefined;
  let checked: ((f: unknown) => string | undefined) | undefined;
  let frozen: ((f: Record<string, unknown>) => string) | undefined;
  let record: ((r: object) => string) | undefined;
  return {
    get explain() {
      return (explain ??= makeExplain(false));
    },
    get explainFrozen() {
      return (explainFrozen ??= makeExplain(true));
    },
    get explainRejected() {
      return (explainRejected ??= makeExplain<GradeExplanation>(false, true));
    },
    get explainRejectedFrozen() {
      return (explainRejectedFrozen ??= makeExplain<GradeExplanation>(true, true));
    },
    get level() {
      return (levelFirst ??= make(false, true))[0] as (f: Record<string, unknown>) => string;
    },
    get first() {
      return (levelFirst ??= make(false, true))[1] as (f: Record<string, unknown>) => number;
    },
    get trusted() {
      return (trusted ??= make(true, false)[0] as (f: Record<string, unknown>) => string);
    },
    // The engine's per-call path: validation and grading in one function (undefined: not clean, the
    // caller reports why), and the path of a ValidCase this engine froze.
    get checked() {
      return (checked ??= make(false, false, "checked")[0] as (f: unknown) => string | undefined);
    },
    get frozen() {
      return (frozen ??= make(true, false, "frozen")[0] as (f: Record<string, unknown>) => string);
    },
    get record() {
      return (record ??= make(true, false, "record")[0] as (r: object) => string);
    },
    get recordFacts() {
      void this.record;
      return recordFacts;
    },
  };
}
