// A form for one allowed event, generated from core's JSON Schema of case events (the same
// schema the server reads its request checks from): every field of that event type, labelled in zh/en, with core's issues
// shown at their field. `at` and `by` are stamped by the server.
import { caseEventJsonSchema, type Engine } from "@jiceng/core";
import { useEffect, useMemo, useRef, useState } from "react";
import type { AllowedEvent, Issue } from "./api.js";
import { useI18n, type Text } from "./i18n.js";
import { CheckboxGroup, IssueLine } from "./ui.js";

interface JsonProp {
  type?: string;
  enum?: string[];
  const?: string;
  items?: JsonProp;
  pattern?: string;
  anyOf?: JsonProp[];
}

let eventSchemas: Map<string, { properties: Record<string, JsonProp>; required: string[] }> | undefined;
function schemaOf(type: string) {
  if (!eventSchemas) {
    eventSchemas = new Map();
    for (const o of caseEventJsonSchema().oneOf as Array<{ properties: Record<string, JsonProp>; required?: string[] }>) {
      const t = o.properties["type"]?.const;
      if (t) eventSchemas.set(t, { properties: o.properties, required: o.required ?? [] });
    }
  }
  return eventSchemas.get(type);
}

export const FIELD_LABELS: Record<string, Text> = {
  leadUnit: { zh: "牵头单位", en: "Lead unit" },
  responsibleLeader: { zh: "责任领导", en: "Responsible leader" },
  responsibleUnit: { zh: "责任单位", en: "Responsible unit" },
  cooperatingUnits: { zh: "配合单位（逗号分隔）", en: "Cooperating units (comma-separated)" },
  responsiblePerson: { zh: "责任人", en: "Responsible person" },
  deadline: { zh: "化解时限", en: "Time limit" },
  measures: { zh: "化解措施", en: "Measures" },
  note: { zh: "说明", en: "Note" },
  reason: { zh: "原因", en: "Reason" },
  decision: { zh: "决定", en: "Decision" },
  days: { zh: "延期天数", en: "Days of extension" },
  report: { zh: "继续上报", en: "Report further up" },
  agreementKept: { zh: "协议已履行", en: "Agreement kept" },
  confirmations: { zh: "确认事项", en: "Confirmations" },
  difficulty: { zh: "困难", en: "Difficulties" },
  needsCoordination: { zh: "需要协调", en: "Needs coordination" },
  item: { zh: "清单序号", en: "Item number" },
  passed: { zh: "核实通过", en: "Verified" },
  rating: { zh: "评价", en: "Rating" },
  role: { zh: "办结角色", en: "Role" },
  facts: { zh: "补充的事实（JSON）", en: "Facts to add (JSON)" },
};
const DECISIONS: Record<string, Text> = { upgrade: { zh: "升级", en: "Upgrade" }, extend: { zh: "延期", en: "Extend" }, reject: { zh: "不同意", en: "Reject" } };
const LONG = new Set(["note", "reason", "measures", "difficulty"]);

/** The issue at a field: a path ending in (or running through) the field name. */
export const issueAt = (field: string, issues: Issue[]) => issues.find((i) => i.path.map(String).includes(field));

export function EventForm({ allowed, engine, issues, onSubmit, busy, onCancel }: { allowed: AllowedEvent; engine: Engine; issues: Issue[]; busy: boolean; onSubmit: (body: Record<string, unknown>) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const schema = schemaOf(allowed.type);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const pack = engine.pack;
  // Fields the pack requires for this event (the 四定 / 责任清单 of an assignment, a rectification record).
  const packRequired = useMemo(() => {
    const lc = pack.lifecycle as unknown as { assignment?: { required?: string[] }; rectification?: { required?: string[] } };
    return new Set(allowed.type === "assign" ? (lc.assignment?.required ?? []) : allowed.type === "rectify" ? (lc.rectification?.required ?? []) : []);
  }, [pack, allowed.type]);
  const needed = useMemo(() => new Set([...allowed.needs.map((i) => String(i.path.at(-1) ?? "")), ...packRequired]), [allowed, packRequired]);
  const empty = (k: string) => values[k] === undefined || values[k] === "" || (Array.isArray(values[k]) && (values[k] as unknown[]).length === 0);
  // Core names the field when one is missing; when several are, the issue is on the event: show it
  // at each required field still empty.
  const issueFor = (k: string) => issueAt(k, issues) ?? issues.find((i) => i.code === "MISSING_FIELDS" && i.path.length <= 1 && packRequired.has(k) && empty(k));
  const fields = Object.entries(schema?.properties ?? {}).filter(([k]) => !["type", "at", "by"].includes(k));
  const checklists = useMemo(() => ((pack.lifecycle as unknown as { checklists?: Array<{ before: string; label?: Text; items: Array<{ id: string; label: Text }> }> }).checklists ?? []).filter((c) => c.before === allowed.type), [pack, allowed.type]);
  const checklist = useMemo(() => checklists.flatMap((c) => c.items), [checklists]);
  // The pack's name for an assignment's fields (Xiji 四定) and the duties that come with it (三包).
  const assignment = allowed.type === "assign" ? (pack.lifecycle.assignment as unknown as { label?: Text; duties?: Array<{ label: Text }> } | undefined) : undefined;
  const ratings = (pack.lifecycle as unknown as { evaluation?: { ratings?: Array<{ value: string; label: Text }> } }).evaluation?.ratings ?? [];
  const labelOf = (k: string): Text => (pack.lifecycle.assignment?.fieldLabels as Record<string, Text> | undefined)?.[k] ?? FIELD_LABELS[k] ?? { zh: k, en: k };
  const set = (k: string, v: unknown) => setValues({ ...values, [k]: v });
  // Opened from its button: the keyboard lands on the form's first control.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
  }, []);

  const body = () => {
    const out: Record<string, unknown> = { type: allowed.type };
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === "") continue;
      if (k === "cooperatingUnits" && typeof v === "string") out[k] = v.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
      else if (k === "facts" && typeof v === "string") {
        try {
          out[k] = JSON.parse(v);
        } catch {
          out[k] = v;
        }
      } else out[k] = v;
    }
    return out;
  };

  return (
    <form
      ref={form}
      className="card"
      aria-label={t(allowed.label)}
      data-event-form={allowed.type}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(body());
      }}
    >
      <h2>
        {t(allowed.label)}
        {assignment?.label ? <span data-testid="assignment-label">（{t(assignment.label)}）</span> : null}
      </h2>
      {assignment?.duties?.length ? (
        <p className="muted" data-testid="duties">
          {t("随交办落实", "Comes with the assignment")}：{assignment.duties.map((d) => t(d.label)).join(lang === "zh" ? "、" : "; ")}
        </p>
      ) : null}
      {fields.length === 0 ? <p className="muted">{t("确认后提交。", "Confirm to submit.")}</p> : null}
      {fields.map(([k, p]) => {
        const id = `ev-${allowed.type}-${k}`;
        const issue = issueFor(k);
        const required = (schema?.required.includes(k) ?? false) || needed.has(k);
        let input;
        const v = values[k];
        if (k === "decision") {
          const options = allowed.decisions ?? p.enum ?? [];
          input = (
            <select id={id} name={k} value={typeof v === "string" ? v : ""} onChange={(e) => set(k, e.target.value || undefined)}>
              <option value="">{t("（请选择）", "(choose)")}</option>
              {options.map((d) => (
                <option key={d} value={d}>
                  {t(DECISIONS[d] ?? { zh: d, en: d })}
                </option>
              ))}
            </select>
          );
        } else if (k === "rating" && ratings.length) {
          input = (
            <select id={id} name={k} value={typeof v === "string" ? v : ""} onChange={(e) => set(k, e.target.value || undefined)}>
              <option value="">{t("（请选择）", "(choose)")}</option>
              {ratings.map((r) => (
                <option key={r.value} value={r.value}>
                  {t(r.label)}
                </option>
              ))}
            </select>
          );
        } else if (k === "confirmations") {
          const list = Array.isArray(v) ? (v as string[]) : [];
          // Several checkboxes (e.g. Xiji 五不放过): a fieldset with a legend, each box its own label.
          if (checklist.length)
            return (
              <CheckboxGroup
                key={k}
                id={id}
                data={{ "data-field": k }}
                legend={checklists.map((c) => (c.label ? t(c.label) : "")).filter(Boolean).join("、") || t(labelOf(k))}
                required={required || checklists.length > 0}
                options={checklist.map((c) => ({ value: c.id, label: c.label }))}
                value={list}
                onChange={(next) => set(k, next)}
                name={(v) => `confirm:${v}`}
                issue={issue}
              />
            );
          input = (
            <span className="muted">{t("本规则包无确认清单", "No checklist in this pack")}</span>
          );
        } else if (p.type === "boolean") {
          input = (
            <span className="switch">
              <input id={id} name={k} type="checkbox" role="switch" checked={v === true} onChange={(e) => set(k, e.target.checked)} /> {v === true ? t("是", "Yes") : t("否", "No")}
            </span>
          );
        } else if (p.type === "integer" || p.type === "number") {
          input = <input id={id} name={k} type="number" value={typeof v === "number" ? v : ""} onChange={(e) => set(k, e.target.value === "" ? undefined : Number(e.target.value))} />;
        } else if (k === "deadline") {
          input = <input id={id} name={k} type="date" value={typeof v === "string" ? v : ""} onChange={(e) => set(k, e.target.value || undefined)} />;
        } else if (LONG.has(k) || k === "facts") {
          input = <textarea id={id} name={k} rows={3} value={typeof v === "string" ? v : ""} onChange={(e) => set(k, e.target.value)} />;
        } else {
          input = <input id={id} name={k} type="text" value={typeof v === "string" ? v : ""} onChange={(e) => set(k, e.target.value)} />;
        }
        return (
          <div key={k} className={`field${issue ? " has-issue" : ""}`} data-field={k}>
            <label className="name" htmlFor={id}>
              {t(labelOf(k))}
              {required ? <span className="req">*</span> : null}
            </label>
            {input}
            {issue ? <IssueLine issue={issue} /> : null}
          </div>
        );
      })}
      {issues
        .filter((i) => !fields.some(([k]) => i.path.map(String).includes(k) || issueFor(k) === i))
        .map((i, n) => (
          <IssueLine key={n} issue={i} />
        ))}
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="submit-event">
          {t("提交", "Submit")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("取消", "Cancel")}
        </button>
      </div>
    </form>
  );
}
