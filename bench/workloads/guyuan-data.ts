// The Guyuan workload's data: random cases, the grading written by hand, and the same rules in
// json-logic. No jiceng import here: the hand-written variants must not lean on the engine.
import { pick, rng } from "../lib/harness.js";

export type Facts = Record<string, unknown>;

const PETITION = [["none", 50], ["county", 15], ["city", 12], ["region", 5], ["national", 3]] as const;
const ACCIDENT = [["none", 85], ["large", 10], ["major", 5]] as const;
const DIFFICULTY = [[undefined, 15], ["simple", 55], ["complex", 20], ["major", 10]] as const;
const SOURCES = ["public", "petition-referral", "police-alert", "grid-worker", "other"];
const TYPES = ["dispute", "incident", "hazard", "petition", "public-order", "instability", "other"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Random, valid Guyuan cases: most yellow, a fair share orange and red, facts with defaults often
 * left out (so the defaults are exercised), every risk flag rare as in real intake.
 */
export function guyuanCases(n: number, seed = 7): Facts[] {
  const r = rng(seed);
  const out: Facts[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    const year = 2021 + Math.floor(r() * 4);
    const c: Facts = {
      receivedAt: `${year}-${pad2(month)}-${pad2(day)}T${pad2(8 + Math.floor(r() * 10))}:${pad2(Math.floor(r() * 60))}:00+08:00`,
      source: SOURCES[Math.floor(r() * SOURCES.length)],
      type: TYPES[Math.floor(r() * TYPES.length)],
      unitCode: pad2(1 + Math.floor(r() * 20)),
      subunitCode: pad2(1 + Math.floor(r() * 30)),
    };
    const d = pick(r, DIFFICULTY);
    if (d !== undefined) c["difficulty"] = d;
    if (r() < 0.9) {
      const risks: Facts = {};
      if (r() < 0.7) risks["homicide"] = r() < 0.03;
      if (r() < 0.7) risks["massIncident"] = r() < 0.03;
      if (r() < 0.7) risks["criminalEscalation"] = r() < 0.06;
      if (r() < 0.7) risks["petitionTo"] = pick(r, PETITION);
      if (r() < 0.7) risks["publicSafetyAccident"] = pick(r, ACCIDENT);
      c["risks"] = risks;
    }
    out[i] = c;
  }
  return out;
}

/**
 * The same cases with every fact present (one object shape): defaults written out, every risk
 * field given. What a form that always sends every field produces.
 */
export function guyuanUniformCases(n: number, seed = 7): Facts[] {
  return guyuanCases(n, seed).map((c) => {
    const r = (c["risks"] ?? {}) as Facts;
    return {
      receivedAt: c["receivedAt"],
      source: c["source"],
      type: c["type"],
      unitCode: c["unitCode"],
      subunitCode: c["subunitCode"],
      difficulty: c["difficulty"] ?? "simple",
      risks: {
        homicide: r["homicide"] ?? false,
        massIncident: r["massIncident"] ?? false,
        criminalEscalation: r["criminalEscalation"] ?? false,
        petitionTo: r["petitionTo"] ?? "none",
        publicSafetyAccident: r["publicSafetyAccident"] ?? "none",
      },
    };
  });
}

/** The Guyuan grading written by hand, as an app would without a rules engine. */
export function gradeGuyuanByHand(c: Facts): string {
  const d = c["difficulty"] ?? "simple";
  const r = c["risks"] as Facts | undefined;
  const homicide = r?.["homicide"] ?? false;
  const mass = r?.["massIncident"] ?? false;
  const petition = r?.["petitionTo"] ?? "none";
  const accident = r?.["publicSafetyAccident"] ?? "none";
  if (d === "major" || homicide === true || mass === true || petition === "region" || petition === "national" || accident === "major") return "red";
  if (d === "complex" || (r?.["criminalEscalation"] ?? false) === true || petition === "city" || accident === "large") return "orange";
  return "yellow";
}

/**
 * Cases as an app hands them over: parsed from JSON (a request body, a database row), so every
 * string is flat. The generators above build `receivedAt` by a template literal, a rope in V8,
 * which no JSON parser or database driver returns; reading a rope char by char costs several
 * times a flat string's.
 */
export function asReceived<T>(cases: T[]): T[] {
  return JSON.parse(JSON.stringify(cases)) as T[];
}

const hasOwn = Object.prototype.hasOwnProperty;
const SOURCE_SET = new Set(SOURCES);
const TYPE_SET = new Set(TYPES);
const AREA_SET = new Set(["marriage-family", "neighbour", "land-requisition", "doctor-patient", "vice", "food-drug-safety", "campus-safety", "traffic-safety", "telecom-fraud", "work-safety", "petition", "key-groups", "illegal-religion", "mass-incident", "extreme-incident"]);
const DIFFICULTY_SET = new Set(["simple", "complex", "major"]);
const PETITION_SET = new Set(["none", "county", "city", "region", "national"]);
const ACCIDENT_SET = new Set(["none", "large", "major"]);
const DATE_RE = /^\d{4}-\d\d-\d\d$/;
const DATETIME_RE = /^\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const realDay = (y: number, m: number, d: number) => y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= MONTH_DAYS[m]! && (m !== 2 || d < 29 || (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
const n2 = (v: string, i: number) => (v.charCodeAt(i) - 48) * 10 + v.charCodeAt(i + 1) - 48;
const dayOf = (v: string) => realDay(n2(v, 0) * 100 + n2(v, 2), n2(v, 5), n2(v, 8));
const isDate = (v: unknown) => typeof v === "string" && DATE_RE.test(v) && dayOf(v);
const isDateTime = (v: unknown) => typeof v === "string" && DATETIME_RE.test(v) && dayOf(v);
const TOP_STRINGS = ["unitCode", "subunitCode", "partyPhone"];
const CONTENT_STRINGS = ["time", "place", "people", "cause", "status"];
const isStringList = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return false;
  return true;
};
const isPlain = (o: unknown): o is Facts => typeof o === "object" && o !== null && !Array.isArray(o) && (Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null);
const own = (o: Facts | undefined, k: string) => (o !== undefined && hasOwn.call(o, k) ? o[k] : undefined);
const or = (v: unknown, d: unknown) => (v === undefined ? d : v);
const bad = (name: string): never => {
  throw new TypeError(`invalid ${name}`);
};

/**
 * The Guyuan grading written by hand WITH the checks jiceng makes on every call (what an app would
 * have to write to match its contract): a plain object, own properties only, every one of the 20
 * declared facts type-checked when present (enum values, ISO 8601 date and datetime with a real
 * calendar day, a list of strings), defaults for missing ones, then the rules. Not a goal's
 * baseline: it shows where validation itself puts the floor.
 */
export function gradeGuyuanByHandChecked(c: Facts): string {
  if (!isPlain(c)) bad("case");
  let v = own(c, "receivedAt");
  if (v !== undefined && !isDateTime(v)) bad("receivedAt");
  v = own(c, "source");
  if (v !== undefined && !SOURCE_SET.has(v as string)) bad("source");
  v = own(c, "type");
  if (v !== undefined && !TYPE_SET.has(v as string)) bad("type");
  v = own(c, "area");
  if (v !== undefined && !AREA_SET.has(v as string)) bad("area");
  for (let i = 0; i < TOP_STRINGS.length; i++) {
    const k = TOP_STRINGS[i]!;
    v = own(c, k);
    if (v !== undefined && typeof v !== "string") bad(k);
  }
  v = own(c, "foundAt");
  if (v !== undefined && !isDate(v)) bad("foundAt");
  v = own(c, "parties");
  if (v !== undefined && !isStringList(v)) bad("parties");
  const content = own(c, "content");
  if (content !== undefined) {
    if (!isPlain(content)) bad("content");
    for (let i = 0; i < CONTENT_STRINGS.length; i++) {
      const k = CONTENT_STRINGS[i]!;
      v = own(content as Facts, k);
      if (v !== undefined && typeof v !== "string") bad(`content.${k}`);
    }
  }
  const d = or(own(c, "difficulty"), "simple");
  if (!DIFFICULTY_SET.has(d as string)) bad("difficulty");
  const r = own(c, "risks");
  if (r !== undefined && !isPlain(r)) bad("risks");
  const homicide = or(own(r as Facts | undefined, "homicide"), false);
  const mass = or(own(r as Facts | undefined, "massIncident"), false);
  const crime = or(own(r as Facts | undefined, "criminalEscalation"), false);
  if (typeof homicide !== "boolean" || typeof mass !== "boolean" || typeof crime !== "boolean") bad("risks");
  const petition = or(own(r as Facts | undefined, "petitionTo"), "none");
  if (!PETITION_SET.has(petition as string)) bad("risks.petitionTo");
  const accident = or(own(r as Facts | undefined, "publicSafetyAccident"), "none");
  if (!ACCIDENT_SET.has(accident as string)) bad("risks.publicSafetyAccident");
  if (d === "major" || homicide || mass || petition === "region" || petition === "national" || accident === "major") return "red";
  if (d === "complex" || crime || petition === "city" || accident === "large") return "orange";
  return "yellow";
}

/** The same rules in json-logic, written by hand from pack.json (rule ids in the comments). */
export const GUYUAN_JSON_LOGIC = (() => {
  const v = (name: string, def: unknown) => ({ var: [name, def] });
  const difficulty = v("difficulty", "simple");
  const petition = v("risks.petitionTo", "none");
  const accident = v("risks.publicSafetyAccident", "none");
  return {
    if: [
      {
        or: [
          { "===": [difficulty, "major"] }, // red-major-complex
          { "===": [v("risks.homicide", false), true] }, // red-homicide
          { "===": [v("risks.massIncident", false), true] }, // red-mass-incident
          { in: [petition, ["region", "national"]] }, // red-petition-region-national
          { "===": [accident, "major"] }, // red-major-accident
        ],
      },
      "red",
      {
        or: [
          { "===": [difficulty, "complex"] }, // orange-complex
          { "===": [v("risks.criminalEscalation", false), true] }, // orange-criminal-escalation
          { "===": [petition, "city"] }, // orange-petition-city
          { "===": [accident, "large"] }, // orange-large-accident
        ],
      },
      "orange",
      "yellow",
    ],
  };
})();


/**
 * A prototype, not in core: the JavaScript a code generator could emit for the Guyuan grading,
 * with the checks jiceng's compiled closures make (own properties of plain objects only, each fact
 * validated against its declared type and values, defaults for missing facts, the same lazy order
 * so a fact is read only when a rule needs it). It measures how far generated code would close the
 * gap to the hand-written function; see bench/RESULTS.md.
 */
export function guyuanGeneratedGrader(): (facts: Facts) => string {
  const body = `
  const obj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
  const bad = (name, v) => { throw new TypeError("INVALID_FACT " + name + ": " + String(v)); };
  return function grade(f) {
    if (!obj(f)) bad("(case)", f);
    let d = hop.call(f, "difficulty") ? f.difficulty : undefined;
    if (d === undefined) d = "simple"; else if (typeof d !== "string" || !DIFFICULTY.has(d)) bad("difficulty", d);
    if (d === "major") return "red";
    const r = hop.call(f, "risks") ? f.risks : undefined;
    const ro = obj(r);
    let hom = ro && hop.call(r, "homicide") ? r.homicide : undefined;
    if (hom === undefined) hom = false; else if (typeof hom !== "boolean") bad("risks.homicide", hom);
    if (hom === true) return "red";
    let mass = ro && hop.call(r, "massIncident") ? r.massIncident : undefined;
    if (mass === undefined) mass = false; else if (typeof mass !== "boolean") bad("risks.massIncident", mass);
    if (mass === true) return "red";
    let pet = ro && hop.call(r, "petitionTo") ? r.petitionTo : undefined;
    if (pet === undefined) pet = "none"; else if (typeof pet !== "string" || !PETITION.has(pet)) bad("risks.petitionTo", pet);
    if (pet === "region" || pet === "national") return "red";
    let acc = ro && hop.call(r, "publicSafetyAccident") ? r.publicSafetyAccident : undefined;
    if (acc === undefined) acc = "none"; else if (typeof acc !== "string" || !ACCIDENT.has(acc)) bad("risks.publicSafetyAccident", acc);
    if (acc === "major") return "red";
    if (d === "complex") return "orange";
    let crim = ro && hop.call(r, "criminalEscalation") ? r.criminalEscalation : undefined;
    if (crim === undefined) crim = false; else if (typeof crim !== "boolean") bad("risks.criminalEscalation", crim);
    if (crim === true || pet === "city" || acc === "large") return "orange";
    return "yellow";
  };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function("hop", "DIFFICULTY", "PETITION", "ACCIDENT", body) as (...a: unknown[]) => (facts: Facts) => string;
  return make(Object.prototype.hasOwnProperty, new Set(["simple", "complex", "major"]), new Set(["none", "county", "city", "region", "national"]), new Set(["none", "large", "major"]));
}
