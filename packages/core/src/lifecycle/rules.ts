import { IssueCode, issue, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseContext } from "./context.js";
import type { RectificationField } from "./schema.js";
import { parseIsoDateTime } from "../conditions/time.js";

/** The names of the rectification record's fields (整改清单), as Xiji's text words them. */
export const RECTIFICATION_LABELS: Record<RectificationField, Text> = {
  reason: { zh: "未办结原因", en: "why it is unfinished" },
  difficulty: { zh: "存在的主要困难", en: "the main difficulty" },
  needsCoordination: { zh: "是否需要上级部门协调", en: "whether a higher level must coordinate" },
  measures: { zh: "整改措施", en: "rectification measures" },
};

/** The items of the checklists that must be confirmed before `before` and are not in `confirmations`. */
export function missingConfirmations(pack: RulePack, before: "resolve" | "close", confirmations: readonly string[] | undefined): Array<{ checklist: NonNullable<RulePack["lifecycle"]["checklists"]>[number]; missing: Array<{ id: string; label: Text }> }> {
  const given = new Set(confirmations ?? []);
  const out: ReturnType<typeof missingConfirmations> = [];
  for (const c of pack.lifecycle.checklists ?? []) {
    if (c.before !== before) continue;
    const missing = c.items.filter((i) => !given.has(i.id));
    if (missing.length) out.push({ checklist: c, missing });
  }
  return out;
}

/** Confirmations that name no item of a checklist for `before`: a typo would otherwise pass unnoticed. */
export function unknownConfirmations(pack: RulePack, before: "resolve" | "close", confirmations: readonly string[] | undefined): string[] {
  const known = new Set((pack.lifecycle.checklists ?? []).filter((c) => c.before === before).flatMap((c) => c.items.map((i) => i.id)));
  return (confirmations ?? []).filter((x) => !known.has(x));
}

/** Issues for a checklist that is not fully confirmed, each naming the missing items in zh and en. */
export function checklistIssues(pack: RulePack, before: "resolve" | "close", confirmations: readonly string[] | undefined): JicengIssue[] {
  // Nothing confirmed and nothing to confirm (every resolve and close of most packs): no issue, nothing built.
  if ((confirmations === undefined || confirmations.length === 0) && !(pack.lifecycle.checklists ?? []).some((c) => c.before === before && c.items.length > 0)) return [];
  const out: JicengIssue[] = [];
  const unknown = unknownConfirmations(pack, before, confirmations);
  if (unknown.length) {
    const known = (pack.lifecycle.checklists ?? []).filter((c) => c.before === before).flatMap((c) => c.items.map((i) => i.id));
    out.push(issue(IssueCode.INVALID_EVENT, ["event", "confirmations"], `不认识的确认项：${unknown.join("、")}；可用：${known.join(", ") || "无"}`, `Unknown confirmations: ${unknown.join(", ")}; available: ${known.join(", ") || "none"}`));
  }
  for (const { checklist, missing } of missingConfirmations(pack, before, confirmations)) {
    const verb = before === "close" ? ["结案", "closing"] : ["化解", "resolving"];
    out.push(
      issue(
        IssueCode.MISSING_FIELDS,
        ["event", "confirmations"],
        `${verb[0]}前须确认（${checklist.label.zh}），尚缺：${missing.map((m) => m.label.zh).join("、")}`,
        `Before ${verb[1]}, confirm (${checklist.label.en}); missing: ${missing.map((m) => m.label.en).join("; ")}`,
      ),
    );
  }
  return out;
}

/** Open (not struck-off) rectification records. */
export function openRectifications(ctx: CaseContext): NonNullable<CaseContext["rectifications"]> {
  return (ctx.rectifications ?? []).filter((r) => r.struckOffAt === undefined);
}

/** True if the case is, or has ever been, overdue (so it belongs on the rectification list). */
export function hasBeenOverdue(ctx: CaseContext, at: string): boolean {
  // A resolved item was overdue if it was resolved at or after its time limit, whenever one asks.
  const until = ctx.resolvedAt !== undefined ? Math.min(parseIsoDateTime(at), parseIsoDateTime(ctx.resolvedAt)) : parseIsoDateTime(at);
  return ctx.overdue || until >= parseIsoDateTime(ctx.dueAt) || ctx.history.some((h) => h.type === "overdue");
}

/**
 * Everything that keeps a resolved case from closing, as issues naming what is missing:
 * a return visit, verification, evaluation, rectification records not struck off, checklist items.
 * The machine's guard and `check` share it, so both agree.
 */
export function closeIssues(pack: RulePack, ctx: CaseContext, confirmations: readonly string[] | undefined): JicengIssue[] {
  const lc = pack.lifecycle;
  const out: JicengIssue[] = [];
  if (lc.followUp?.required && ctx.followUps.length === 0) {
    out.push(issue(IssueCode.MISSING_FIELDS, ["event"], `结案前须回访当事人（${lc.followUp.label.zh}）`, `A return visit to the parties is required before closing (${lc.followUp.label.en})`));
  }
  if (lc.verification?.required && ctx.verifiedAt === undefined) {
    out.push(issue(IssueCode.MISSING_FIELDS, ["event"], `结案前须核实（${lc.verification.label.zh}）`, `Verification is required before closing (${lc.verification.label.en})`));
  }
  if (lc.evaluation?.required && ctx.evaluation === undefined) {
    out.push(issue(IssueCode.MISSING_FIELDS, ["event"], `结案前须评价（${lc.evaluation.label.zh}）`, `An evaluation is required before closing (${lc.evaluation.label.en})`));
  }
  if (lc.rectification?.requiredWhenOverdue && !(ctx.rectifications?.length) && hasBeenOverdue(ctx, ctx.resolvedAt ?? ctx.lastAt)) {
    const fields = lc.rectification.required.map((f) => RECTIFICATION_LABELS[f]);
    out.push(issue(IssueCode.MISSING_FIELDS, ["event"], `此事项曾超期（时限 ${ctx.dueAt}），结案前须列入${lc.rectification.label.zh}（写明${fields.map((f) => f.zh).join("、")}）并销号`, `This item was overdue (due ${ctx.dueAt}); before closing it needs a ${lc.rectification.label.en} record (${fields.map((f) => f.en).join("; ")}) struck off`));
  }
  if (lc.rectification?.strikeOffBeforeClose) {
    const open = openRectifications(ctx);
    if (open.length) {
      out.push(issue(IssueCode.MISSING_FIELDS, ["event"], `结案前须将${lc.rectification.label.zh}全部销号，尚有 ${open.length} 项未销号（第 ${open.map((r) => r.n).join("、")} 项）`, `Every ${lc.rectification.label.en} record must be struck off before closing; ${open.length} still open (no. ${open.map((r) => r.n).join(", ")})`));
    }
  }
  out.push(...checklistIssues(pack, "close", confirmations));
  return out;
}

/**
 * When the case's current handling round began: its assignment, or a later failed verification
 * that sent it back to be handled again. A review (复查 / 复核) answers the same item and is no new
 * round: the supervision of its handling still counts.
 */
export function handlingRoundStart(ctx: CaseContext): string {
  let since = ctx.assignment?.at ?? ctx.receivedAt;
  for (const v of ctx.verifications ?? []) if (!v.passed && parseIsoDateTime(v.at) > parseIsoDateTime(since)) since = v.at;
  return since;
}

/** The supervision records (督办) of the current handling round. */
export function supervisionsThisRound(ctx: CaseContext): NonNullable<CaseContext["supervisions"]> {
  const since = parseIsoDateTime(handlingRoundStart(ctx));
  return (ctx.supervisions ?? []).filter((x) => parseIsoDateTime(x.at) >= since);
}

/** Why a resolve is refused for want of supervision (`lifecycle.supervision.requiredBeforeResolve`), or nothing. */
export function supervisionIssues(pack: RulePack, ctx: CaseContext): JicengIssue[] {
  const sv = pack.lifecycle.supervision;
  if (!sv?.requiredBeforeResolve || supervisionsThisRound(ctx).length > 0) return [];
  const by = sv.by ? [`（${sv.by.label.zh}）`, ` (${sv.by.label.en})`] : ["", ""];
  return [issue(IssueCode.MISSING_FIELDS, ["event"], `化解前须经${sv.label.zh}${by[0]}：本轮办理尚无督办记录（supervise）`, `Before it is resolved the item must pass ${sv.label.en}${by[1]}: this handling round has no supervision record (supervise) yet`)];
}
