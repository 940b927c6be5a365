import type { GradeExplanation, GradeResult } from "../grading/grade.js";
import type { CaseEvent, IntakeEvent } from "../lifecycle/events.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import type { RouteResult } from "../routing/route.js";
import type { CaseOptions, ValidCase } from "./cases.js";
import type { Assessment, Engine, LevelDeadline, WithWarnings } from "./types.js";

/**
 * The types a pack declares, as `jiceng types` generates them (each rules package ships its own
 * `types.d.ts`): the case facts, level ids, state ids and the events with their required fields.
 */
export interface PackTypes {
  facts: object;
  level: string;
  state: string;
  event: { type: string; at: string };
  intake: { type: "intake"; at: string };
}

/** What an untyped pack (one loaded at run time) gets: the general types. */
export interface UntypedPackTypes extends PackTypes {
  facts: Record<string, unknown>;
  level: string;
  state: string;
  event: CaseEvent;
  intake: IntakeEvent;
}

/**
 * A pack value that carries the types it declares. `~types` is a phantom property: it exists
 * only for the compiler and is never present at run time.
 */
export interface TypedPack<T extends PackTypes> {
  readonly "~types"?: T;
}

/** The types a pack value carries, or the general ones. */
export type TypesOf<P> = P extends { readonly "~types"?: infer T } ? ([Exclude<T, undefined>] extends [PackTypes] ? Exclude<T, undefined> : UntypedPackTypes) : UntypedPackTypes;

type Levelled<R, L extends string> = Omit<R, "level"> & { level: L };
type FactsOf<T extends PackTypes> = T["facts"] | ValidCase<T["facts"]>;

/**
 * An engine whose facts, levels and events are checked at compile time: `assess` takes the pack's
 * facts (a misspelt fact is an error), `a.level` is the union of the pack's level ids, and
 * `transition` takes the pack's events with their required fields.
 */
export interface TypedEngine<T extends PackTypes>
  extends Omit<Engine, "grade" | "gradeLevel" | "explain" | "validateCase" | "assess" | "route" | "numberCase" | "numberScope" | "deadline" | "level" | "start" | "transition" | "replay"> {
  validateCase(facts: unknown, options?: CaseOptions): ValidCase<T["facts"]>;
  grade(facts: FactsOf<T>, options?: CaseOptions): Levelled<GradeResult, T["level"]> & WithWarnings;
  gradeLevel(facts: FactsOf<T>, options?: CaseOptions): T["level"];
  explain(facts: FactsOf<T>, options?: CaseOptions): Levelled<GradeExplanation, T["level"]> & WithWarnings;
  assess(facts: FactsOf<T>, options?: CaseOptions): Levelled<Assessment, T["level"]> & { deadline: Levelled<LevelDeadline, T["level"]> };
  route(facts: FactsOf<T>, options?: CaseOptions): RouteResult & WithWarnings;
  numberCase(facts: FactsOf<T>, seq: number): string;
  numberScope(facts: FactsOf<T>): { scope: string; max: number } | null;
  deadline(level: T["level"], from: string | Date): Levelled<LevelDeadline, T["level"]>;
  level(id: T["level"]): ReturnType<Engine["level"]> & { id: T["level"] };
  start(intake: T["intake"]): CaseSnapshot;
  transition(snapshot: CaseSnapshot, event: T["event"]): CaseSnapshot;
  replay(events: readonly T["event"][]): CaseSnapshot;
}

/** The engine `createEngine` returns for a pack value: typed if the pack carries types, else {@link Engine}. */
// `[…] extends […]` and `Exclude<…, undefined>`: without exactOptionalPropertyTypes the optional
// phantom reads as `T | undefined`, which must not distribute into `TypedEngine | Engine`.
export type EngineFor<P> = P extends { readonly "~types"?: infer T } ? ([Exclude<T, undefined>] extends [PackTypes] ? TypedEngine<Exclude<T, undefined>> : Engine) : Engine;
