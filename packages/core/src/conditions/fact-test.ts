// One fact condition as a closure: the operator applied to a fact and a constant or another fact,
// with constant dates parsed and long lists turned into Sets once, at compile time.
import { IssueCode, JicengError, issue } from "../errors/index.js";
import type { FactEntry } from "./facts.js";
import type { OperatorName } from "./operators.js";
import { DAY_MS, parseIsoDate, parseIsoDateTime, zoneDay, zoneStartOfDay } from "./time.js";

/** One compiled test. */
export type Test = (input: unknown) => boolean;

/** Lists longer than this become a Set for `in` / `notIn`. */
export const SET_THRESHOLD = 8;

/** The closure of one fact test (shared with the code generator for the date operators). */
export function buildTest(entry: FactEntry, op: OperatorName, value: unknown, ref: FactEntry | undefined, ofRef: FactEntry | undefined, tz: string): Test {
  const read = entry.read;
  switch (op) {
    case "equal":
    case "notEqual": {
      const eq = op === "equal";
      if (ref) {
        const r = ref.read;
        return eq ? (f) => read(f) === r(f) : (f) => read(f) !== r(f);
      }
      return eq ? (f) => read(f) === value : (f) => read(f) !== value;
    }
    case "lessThan":
    case "lessThanInclusive":
    case "greaterThan":
    case "greaterThanInclusive": {
      if (ref) {
        const r = ref.read;
        switch (op) {
          case "lessThan": return (f) => (read(f) as number) < (r(f) as number);
          case "lessThanInclusive": return (f) => (read(f) as number) <= (r(f) as number);
          case "greaterThan": return (f) => (read(f) as number) > (r(f) as number);
          case "greaterThanInclusive": return (f) => (read(f) as number) >= (r(f) as number);
        }
      }
      const b = value as number;
      switch (op) {
        case "lessThan": return (f) => (read(f) as number) < b;
        case "lessThanInclusive": return (f) => (read(f) as number) <= b;
        case "greaterThan": return (f) => (read(f) as number) > b;
        case "greaterThanInclusive": return (f) => (read(f) as number) >= b;
      }
      break;
    }
    case "in":
    case "notIn": {
      const want = op === "in";
      if (ref) {
        const r = ref.read;
        return (f) => {
          const a = read(f);
          return (r(f) as readonly unknown[]).indexOf(a) > -1 === want;
        };
      }
      const list = (value as readonly unknown[]).slice();
      if (list.length > SET_THRESHOLD) {
        // Set.has is SameValueZero, indexOf is ===: they differ only on NaN, which no valid fact holds.
        const set = new Set(list);
        return want ? (f) => set.has(read(f)) : (f) => !set.has(read(f));
      }
      return want ? (f) => list.indexOf(read(f)) > -1 : (f) => list.indexOf(read(f)) === -1;
    }
    case "contains":
    case "doesNotContain": {
      const want = op === "contains";
      if (ref) {
        const r = ref.read;
        return (f) => {
          const list = read(f) as readonly unknown[];
          return list.indexOf(r(f)) > -1 === want;
        };
      }
      return want ? (f) => (read(f) as readonly unknown[]).indexOf(value) > -1 : (f) => (read(f) as readonly unknown[]).indexOf(value) === -1;
    }
    case "before":
    case "after":
    case "onOrBefore":
    case "onOrAfter":
      return temporalTest(entry, op, value, ref, tz);
    case "withinDays":
      return withinDaysTest(entry, value as { days: number; of: unknown }, ofRef, tz);
  }
  throw new JicengError(issue(IssueCode.INTERNAL, [], `内部错误：运算符 ${op}`, `Internal error: operator ${op}`));
}

function cmpTest(op: "before" | "after" | "onOrBefore" | "onOrAfter", a: (f: unknown) => number, b: number): Test {
  switch (op) {
    case "before": return (f) => a(f) < b;
    case "after": return (f) => a(f) > b;
    case "onOrBefore": return (f) => a(f) <= b;
    case "onOrAfter": return (f) => a(f) >= b;
  }
}

function temporalTest(entry: FactEntry, op: "before" | "after" | "onOrBefore" | "onOrAfter", value: unknown, ref: FactEntry | undefined, tz: string): Test {
  const a = entry.readTime;
  if (ref) {
    // Same type on both sides (checked): days with days, instants with instants.
    const b = ref.readTime;
    switch (op) {
      case "before": return (f) => a(f) < b(f);
      case "after": return (f) => a(f) > b(f);
      case "onOrBefore": return (f) => a(f) <= b(f);
      case "onOrAfter": return (f) => a(f) >= b(f);
    }
  }
  const s = value as string;
  const day = parseIsoDate(s);
  if (entry.type === "date") {
    // A date fact against a datetime constant: compare with the day that instant falls on.
    return cmpTest(op, a, Number.isNaN(day) ? zoneDay(parseIsoDateTime(s), tz) : day);
  }
  if (Number.isNaN(day)) return cmpTest(op, a, parseIsoDateTime(s));
  // A datetime fact against a date D: zoneDay(x) < D ⟺ x < start(D); zoneDay(x) <= D ⟺ x < start(D + 1).
  const start = zoneStartOfDay(day, tz);
  const next = zoneStartOfDay(day + 1, tz);
  switch (op) {
    case "before": return (f) => a(f) < start;
    case "onOrBefore": return (f) => a(f) < next;
    case "after": return (f) => a(f) >= next;
    case "onOrAfter": return (f) => a(f) >= start;
  }
}

function withinDaysTest(entry: FactEntry, value: { days: number; of: unknown }, ofRef: FactEntry | undefined, tz: string): Test {
  const a = entry.readTime;
  const n = value.days;
  if (ofRef) {
    const b = ofRef.readTime;
    const span = entry.type === "date" ? n : n * DAY_MS;
    return (f) => Math.abs(a(f) - b(f)) <= span;
  }
  const s = value.of as string;
  const day = parseIsoDate(s);
  if (entry.type === "date") {
    const d = Number.isNaN(day) ? zoneDay(parseIsoDateTime(s), tz) : day;
    return (f) => Math.abs(a(f) - d) <= n;
  }
  if (Number.isNaN(day)) {
    const m = parseIsoDateTime(s);
    const span = n * DAY_MS;
    return (f) => Math.abs(a(f) - m) <= span;
  }
  // A datetime fact within N days of date D: D − N ≤ zoneDay(x) ≤ D + N.
  const lo = zoneStartOfDay(day - n, tz);
  const hi = zoneStartOfDay(day + n + 1, tz);
  return (f) => {
    const x = a(f);
    return x >= lo && x < hi;
  };
}
