// A small interpreter of flat XState machines, for engine.transition and replay. XState stays the
// definition (setup with guards and actions by name, the types, inspection, visualisation); this
// reads that machine's own `config` and `implementations` and executes one event the way
// `xstate.transition` does for a machine of one level: the first transition of the state's `on`
// list whose guard holds, its assign actions in order, its target. XState's general algorithm
// (a throwaway actor per call, transition domains, eventless checks, tag sets) buys nothing for
// such a machine. A machine with anything else — nested or parallel states, entry / exit /
// delayed / eventless transitions, wildcards, actions other than `assign`, guards or targets
// that are not plain names — is not flat: `compileFlatMachine` returns undefined and the caller
// uses XState. A differential property test holds the two equal for every pack (flat.prop.test.ts).

/**
 * Marks an assign action's assignment function whose whole-context form is known: `fn[WHOLE_CONTEXT]`
 * returns the complete next context — every key of the context it was given that it keeps, in the
 * same order, followed by the keys it adds; a key it drops is left out or set to undefined, never
 * deleted and set again. XState merges the partial update into a copy of the context; for such a
 * function that merge gives the same keys in the same order with the same values, so the
 * interpreter takes the result as it is (one copy of the context per step instead of two).
 * The differential test holds the two equal as JSON text (key order included) on every pack.
 */
export const WHOLE_CONTEXT: unique symbol = Symbol("jiceng.wholeContext");

/** The next state value and context; both identical to the input when no transition was taken. */
export interface FlatStep<C> {
  value: string;
  context: C;
}

/** A flat machine, ready to run. */
export interface FlatMachine<C, E extends { type: string }> {
  transition(value: string, context: C, event: E): FlatStep<C>;
  /** As `xstate.initialTransition(machine, input)`: the initial state and the context made from `input`. */
  initial(input: unknown): FlatStep<C>;
  /** The machine's states (the keys of its config). */
  readonly states: readonly string[];
}

type Guard<C, E> = (args: { context: C; event: E }, params: undefined) => boolean;
type Assignment<C, E> = (args: { context: C; event: E; spawn: undefined; self: undefined; system: undefined }, params: undefined) => Partial<C>;
type Whole<C, E> = (args: { context: C; event: E }) => C;
interface Compiled<C, E> {
  guard: Guard<C, E> | undefined;
  actions: Array<Assignment<C, E>>;
  /** The actions' whole-context forms, when every action has one (else undefined: merged as XState does). */
  wholes: Array<Whole<C, E>> | undefined;
  target: string | undefined;
}

const isObj = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === "object" && !Array.isArray(o);
const only = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k) || o[k] === undefined);

/** Keys of a machine config this interpreter understands (`types` carries no behaviour). */
const MACHINE_KEYS = ["id", "context", "initial", "states", "types", "version", "description"];
const STATE_KEYS = ["on", "type", "description", "meta"];
const TRANSITION_KEYS = ["target", "guard", "actions", "description", "meta"];

/**
 * Read a machine made by XState's `setup().createMachine()`: a flat machine becomes an interpreter,
 * anything else gives `undefined`.
 */
export function compileFlatMachine<C, E extends { type: string }>(machine: { config: unknown; implementations: { guards?: unknown; actions?: unknown } }): FlatMachine<C, E> | undefined {
  const config = machine.config;
  if (!isObj(config) || !only(config, MACHINE_KEYS) || !isObj(config["states"])) return undefined;
  const guards = (machine.implementations.guards ?? {}) as Record<string, unknown>;
  const actions = (machine.implementations.actions ?? {}) as Record<string, unknown>;
  const stateConfigs = config["states"];
  const names = Object.keys(stateConfigs);
  // The initial state is named; the context is a value or made from the input (no spawn, no self).
  const initialState = config["initial"];
  if (typeof initialState !== "string" || !Object.hasOwn(stateConfigs, initialState)) return undefined;
  const contextConfig = config["context"];
  if (contextConfig !== undefined && typeof contextConfig !== "function" && !isObj(contextConfig)) return undefined;
  const makeContext = contextConfig as ((args: { input: unknown; spawn: undefined; self: undefined }) => C) | C | undefined;
  const table = new Map<string, Map<string, Array<Compiled<C, E>>>>();

  const guardOf = (g: unknown): Guard<C, E> | undefined | null => {
    if (g === undefined) return undefined;
    if (typeof g !== "string" || !Object.hasOwn(guards, g) || typeof guards[g] !== "function") return null;
    return guards[g] as Guard<C, E>;
  };
  const actionOf = (a: unknown): Assignment<C, E> | null => {
    if (typeof a !== "string" || !Object.hasOwn(actions, a)) return null;
    const impl: unknown = actions[a];
    if (typeof impl !== "function") return null;
    const { type, assignment } = impl as unknown as { type?: unknown; assignment?: unknown };
    if (type !== "xstate.assign" || typeof assignment !== "function") return null;
    return assignment as Assignment<C, E>;
  };

  for (const name of names) {
    const sc = stateConfigs[name];
    if (!isObj(sc) || !only(sc, STATE_KEYS)) return undefined;
    const type = sc["type"];
    if (type !== undefined && type !== "atomic" && type !== "final") return undefined;
    const on = sc["on"] ?? {};
    if (!isObj(on)) return undefined;
    if (type === "final" && Object.keys(on).length > 0) return undefined;
    const byEvent = new Map<string, Array<Compiled<C, E>>>();
    for (const [event, spec] of Object.entries(on)) {
      if (event === "*" || event.includes("*") || event.startsWith("xstate.")) return undefined;
      const list = Array.isArray(spec) ? spec : [spec];
      const compiled: Array<Compiled<C, E>> = [];
      for (const t of list) {
        const tc = typeof t === "string" ? { target: t } : t;
        if (!isObj(tc) || !only(tc, TRANSITION_KEYS)) return undefined;
        const target = tc["target"];
        if (target !== undefined && (typeof target !== "string" || !Object.hasOwn(stateConfigs, target))) return undefined;
        const guard = guardOf(tc["guard"]);
        if (guard === null) return undefined;
        const acts = tc["actions"] === undefined ? [] : Array.isArray(tc["actions"]) ? tc["actions"] : [tc["actions"]];
        const fns: Array<Assignment<C, E>> = [];
        let wholes: Array<Whole<C, E>> | undefined = [];
        for (const a of acts) {
          const fn = actionOf(a);
          if (fn === null) return undefined;
          fns.push(fn);
          const whole: unknown = (fn as { [WHOLE_CONTEXT]?: unknown })[WHOLE_CONTEXT];
          if (typeof whole === "function") wholes?.push(whole as Whole<C, E>);
          else wholes = undefined;
        }
        // A target naming the state itself would exit and re-enter it in XState: not modelled.
        if (target === name) return undefined;
        compiled.push({ guard, actions: fns, wholes, target });
      }
      byEvent.set(event, compiled);
    }
    table.set(name, byEvent);
  }

  return {
    states: names,
    initial(input) {
      const context = (typeof makeContext === "function" ? (makeContext as (args: { input: unknown; spawn: undefined; self: undefined }) => C)({ input, spawn: undefined, self: undefined }) : makeContext) as C;
      return { value: initialState, context };
    },
    transition(value, context, event) {
      const list = table.get(value)?.get(event.type);
      if (list === undefined) return { value, context };
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        if (t.guard !== undefined && !t.guard({ context, event }, undefined)) continue;
        let ctx = context;
        const wholes = t.wholes;
        if (wholes !== undefined) {
          for (let k = 0; k < wholes.length; k++) {
            const next = wholes[k]!({ context: ctx, event });
            // XState's merge always makes a new context: so does this.
            ctx = next === ctx ? Object.assign({}, ctx) : next;
          }
        } else {
          for (let k = 0; k < t.actions.length; k++) {
            // As XState's assign: the partial update merged into a copy of the context.
            ctx = Object.assign({}, ctx, t.actions[k]!({ context: ctx, event, spawn: undefined, self: undefined, system: undefined }, undefined));
          }
        }
        return { value: t.target ?? value, context: ctx };
      }
      return { value, context };
    },
  };
}
