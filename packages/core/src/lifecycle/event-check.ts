// The fast path of event validation. Every event an app hands to `start`, `transition`, `check`
// or `replay` is validated against CaseEventSchema (events.ts, zod) — and zod was the largest item
// of a replay's profile. This is a hand-written validator of the same schema for the ordinary
// event: a plain object with only its type's keys, each value of its declared type. It answers
// yes and returns the copy zod would return (keys in the schema's order, arrays copied, facts
// copied shallowly), or answers "not sure" (undefined) and the caller asks zod, which then
// decides and reports. So accept / refuse and the issues (code, path, zh + en) are zod's by
// construction; a differential property test (event-check.prop.test.ts) holds the copy equal to
// zod's `data` on random events and hostile values.
import { isIsoDate, isIsoDateTime } from "../conditions/time.js";
import type { CaseEvent } from "./events.js";

/** One field of an event type. */
type Kind =
  | "instant" // InstantSchema
  | "date" // YYYY-MM-DD, a real date
  | "boolean"
  | "facts" // a record of unknown values
  | "strings" // ≤ 100 strings of 1–200 characters (names of units)
  | "checklist" // confirmations: ≤ 100 strings of 1–64 characters
  | { s: number; max: number } // a string of min…max characters
  | { int: number } // an integer 1…max
  | { oneOf: readonly string[] };
interface Field {
  key: string;
  kind: Kind;
  required: boolean;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INF = Number.POSITIVE_INFINITY;
const str = (min: number, max = INF): Kind => ({ s: min, max });
const req = (key: string, kind: Kind): Field => ({ key, kind, required: true });
const opt = (key: string, kind: Kind): Field => ({ key, kind, required: false });
const at = req("at", "instant");
const by = opt("by", str(1, 200));
const note = opt("note", str(0, 5000));

/** The fields of each event type, in the order of its zod schema (events.ts). */
const TYPES: Record<CaseEvent["type"], readonly Field[]> = {
  intake: [at, by, opt("id", str(1, 200)), req("facts", "facts"), opt("seq", { int: INF }), opt("number", str(1, 100))],
  assign: [at, by, opt("leadUnit", str(1, 200)), opt("responsibleLeader", str(1, 200)), opt("responsibleUnit", str(1, 200)), opt("cooperatingUnits", "strings"), opt("responsiblePerson", str(1, 200)), opt("deadline", "date"), opt("measures", str(1, 5000))],
  acknowledge: [at, by],
  update: [at, by, req("facts", "facts"), note],
  requestEscalation: [at, by, req("reason", str(1, 5000))],
  decideEscalation: [at, req("by", str(1, 200)), req("decision", { oneOf: ["upgrade", "extend", "reject"] }), opt("days", { int: 3660 }), note],
  decideReport: [at, req("by", str(1, 200)), req("report", "boolean"), note],
  progress: [at, by, req("note", str(1, 5000))],
  resolve: [at, by, note, opt("confirmations", "checklist")],
  followUp: [at, by, opt("agreementKept", "boolean"), note],
  close: [at, by, note, opt("confirmations", "checklist")],
  tick: [at],
  recalendar: [at, by],
  rectify: [at, by, opt("reason", str(1, 5000)), opt("difficulty", str(1, 5000)), opt("needsCoordination", "boolean"), opt("measures", str(1, 5000))],
  strikeOff: [at, by, opt("item", { int: 1000 }), note],
  verify: [at, by, req("passed", "boolean"), note],
  evaluate: [at, by, req("rating", str(1, 50)), note],
  return: [at, by, req("reason", str(1, 5000))],
  selfClose: [at, by, req("role", str(1, 100)), note],
  requestReview: [at, by, req("reason", str(1, 5000))],
  supervise: [at, by, note],
};
const hasOwn = Object.prototype.hasOwnProperty;

/** A plain object (prototype Object.prototype or null), as the snapshot and fact checks define it. */
function isPlain(o: unknown): o is Record<string, unknown> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return false;
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

/** The copy of a valid facts record, or undefined when zod must look (symbol keys, `__proto__`, …). */
function copyFacts(v: unknown): Record<string, unknown> | undefined {
  if (!isPlain(v) || Object.getOwnPropertySymbols(v).length !== 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    if (!hasOwn.call(v, k) || k === "__proto__") return undefined;
    out[k] = v[k];
  }
  return out;
}

function copyStrings(v: unknown, min: number, max: number, most: number): string[] | undefined {
  if (!Array.isArray(v) || v.length > most) return undefined;
  const out = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== "string" || x.length < min || x.length > max) return undefined;
    out[i] = x;
  }
  return out;
}

/** The value zod's parse would put in its copy, or `undefined` when this path is not sure. */
function value(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case "instant":
      return typeof v === "string" && INSTANT.test(v) && isIsoDateTime(v) ? v : undefined;
    case "date":
      return typeof v === "string" && DATE.test(v) && isIsoDate(v) ? v : undefined;
    case "boolean":
      return typeof v === "boolean" ? v : undefined;
    case "facts":
      return copyFacts(v);
    case "strings":
      return copyStrings(v, 1, 200, 100);
    case "checklist":
      return copyStrings(v, 1, 64, 100);
    default:
      if ("s" in kind) return typeof v === "string" && v.length >= kind.s && v.length <= kind.max ? v : undefined;
      if ("int" in kind) return typeof v === "number" && Number.isSafeInteger(v) && v > 0 && v <= kind.int ? v : undefined;
      return typeof v === "string" && kind.oneOf.includes(v) ? v : undefined;
  }
}

/**
 * The copy of `raw` that `CaseEventSchema.parse` would return, when `raw` is an ordinary valid
 * event; `undefined` when it is not (or not ordinary): then zod decides and reports.
 */
export function fastEvent(raw: unknown): CaseEvent | undefined {
  if (!isPlain(raw)) return undefined;
  const type = raw["type"];
  if (typeof type !== "string" || !hasOwn.call(TYPES, type)) return undefined;
  const fields = TYPES[type as CaseEvent["type"]];
  const out: Record<string, unknown> = { type };
  let present = 1;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!hasOwn.call(raw, f.key)) {
      if (f.required) return undefined;
      continue;
    }
    const v = value(f.kind, raw[f.key]);
    if (v === undefined) return undefined;
    out[f.key] = v;
    present++;
  }
  // Only the type's keys, all own and enumerable: strict, as the schema.
  let count = 0;
  for (const k in raw) {
    if (!hasOwn.call(raw, k)) return undefined;
    count++;
  }
  if (count !== present) return undefined;
  return out as CaseEvent;
}
