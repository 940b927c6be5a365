import * as z from "zod";
import { AssignmentField } from "./schema.js";
import { isIsoDate, isIsoDateTime } from "../conditions/time.js";

/** ISO 8601 instant with an offset (or Z): the only way time enters the engine. */
export const InstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: "ISO 8601 with offset" })
  // The one strict parser (conditions/time.ts): a real calendar date, hours 00–23, seconds 00–59.
  // Date.parse would read 2022-06-31 as 1 July and accept T24:00.
  .refine((s) => isIsoDateTime(s), { message: "not a real date" });

const by = z.string().min(1).max(200).optional();
const note = z.string().max(5000).optional();
/** Checklist items confirmed with a resolve or close (item ids, e.g. the five of Xiji's 五不放过). */
const confirmations = z.array(z.string().min(1).max(64)).max(100).optional();
const base = { at: InstantSchema, by };

export const IntakeEventSchema = z.strictObject({
  type: z.literal("intake"),
  ...base,
  id: z.string().min(1).max(200).optional(),
  facts: z.record(z.string(), z.unknown()),
  /** Sequence number in the number's scope, allocated by the app (see SequenceAllocator). */
  seq: z.number().int().positive().optional(),
  /** Or a number the app already holds (e.g. migrated cases); checked against the template. */
  number: z.string().min(1).max(100).optional(),
});

export const AssignEventSchema = z.strictObject({
  type: z.literal("assign"),
  ...base,
  // Names of units and people: as long as `by` at most; a list of cooperating units: at most 100.
  leadUnit: z.string().min(1).max(200).optional(),
  responsibleLeader: z.string().min(1).max(200).optional(),
  responsibleUnit: z.string().min(1).max(200).optional(),
  cooperatingUnits: z.array(z.string().min(1).max(200)).max(100).optional(),
  responsiblePerson: z.string().min(1).max(200).optional(),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => isIsoDate(s), { message: "not a real date" }).optional(),
  measures: z.string().min(1).max(5000).optional(),
});

export const CaseEventSchema = z.discriminatedUnion("type", [
  IntakeEventSchema,
  AssignEventSchema,
  z.strictObject({ type: z.literal("acknowledge"), ...base }),
  z.strictObject({ type: z.literal("update"), ...base, facts: z.record(z.string(), z.unknown()), note }),
  z.strictObject({ type: z.literal("requestEscalation"), ...base, reason: z.string().min(1).max(5000) }),
  z.strictObject({
    type: z.literal("decideEscalation"),
    at: InstantSchema,
    by: z.string().min(1).max(200),
    decision: z.enum(["upgrade", "extend", "reject"]),
    days: z.number().int().positive().max(3660).optional(),
    note,
  }),
  z.strictObject({ type: z.literal("decideReport"), at: InstantSchema, by: z.string().min(1).max(200), report: z.boolean(), note }),
  z.strictObject({ type: z.literal("progress"), ...base, note: z.string().min(1).max(5000) }),
  z.strictObject({ type: z.literal("resolve"), ...base, note, confirmations }),
  z.strictObject({ type: z.literal("followUp"), ...base, agreementKept: z.boolean().optional(), note }),
  z.strictObject({ type: z.literal("close"), ...base, note, confirmations }),
  z.strictObject({ type: z.literal("tick"), at: InstantSchema }),
  z.strictObject({ type: z.literal("recalendar"), ...base }),
  z.strictObject({
    type: z.literal("rectify"),
    ...base,
    reason: z.string().min(1).max(5000).optional(),
    difficulty: z.string().min(1).max(5000).optional(),
    needsCoordination: z.boolean().optional(),
    measures: z.string().min(1).max(5000).optional(),
  }),
  z.strictObject({ type: z.literal("strikeOff"), ...base, item: z.number().int().positive().max(1000).optional(), note }),
  z.strictObject({ type: z.literal("verify"), ...base, passed: z.boolean(), note }),
  z.strictObject({ type: z.literal("evaluate"), ...base, rating: z.string().min(1).max(50), note }),
  z.strictObject({ type: z.literal("return"), ...base, reason: z.string().min(1).max(5000) }),
  z.strictObject({ type: z.literal("selfClose"), ...base, role: z.string().min(1).max(100), note }),
  z.strictObject({ type: z.literal("requestReview"), ...base, reason: z.string().min(1).max(5000) }),
  /** A supervision record (督办): the supervising body checked on the item and urged it on; `note` is what it found or asked. */
  z.strictObject({ type: z.literal("supervise"), ...base, note }),
]);

/** Any event a case accepts. Every one carries `at`. */
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type IntakeEvent = z.infer<typeof IntakeEventSchema>;
export type AssignEvent = z.infer<typeof AssignEventSchema>;
export type CaseEventType = CaseEvent["type"];
export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

export const CASE_EVENT_TYPES = [
  "intake", "assign", "acknowledge", "update", "requestEscalation", "decideEscalation", "decideReport", "progress", "resolve", "followUp", "close", "tick", "recalendar",
  "rectify", "strikeOff", "verify", "evaluate", "return", "selfClose", "requestReview", "supervise",
] as const;
export { AssignmentField };

/**
 * The JSON Schema (draft-07) of an event a case accepts: one object per event type (`oneOf`,
 * told apart by `type`), as the engine checks it before the pack's own rules (required
 * assignment fields, decisions, checklists). What an app's API or form can state without zod.
 *
 * @example
 * const schema = caseEventJsonSchema();
 * schema.oneOf.map((o) => o.properties.type.const); // ["intake", "assign", "acknowledge", …]
 * @see DESIGN.md decision 5 (bad input gets a clear error)
 */
export function caseEventJsonSchema(): { $schema: string; $id: string; title: string; oneOf: Array<{ type: "object"; properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: false }> } {
  const schema = z.toJSONSchema(CaseEventSchema, { io: "input", target: "draft-07", unrepresentable: "any" }) as Record<string, unknown>;
  const oneOf = (schema["oneOf"] ?? schema["anyOf"]) as ReturnType<typeof caseEventJsonSchema>["oneOf"];
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: "urn:jiceng:schema:case-event:1", title: "jiceng case event / 案件事件", oneOf };
}
