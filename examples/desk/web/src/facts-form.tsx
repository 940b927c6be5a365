// A form generated from a pack's declared facts: zh/en labels and descriptions, enums as selects,
// booleans as switches, nested facts (risks.homicide) grouped, required marked, issues at the field.
import type { FactDef } from "@jiceng/core";
import type { Issue } from "./api.js";
import { useI18n } from "./i18n.js";
import { CheckboxGroup, IssueLine } from "./ui.js";

export type FactValues = Record<string, unknown>;

/** `{ "risks.homicide": true }` → `{ risks: { homicide: true } }`, leaving out empty values. */
export function nestFacts(flat: FactValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(flat)) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0 && false)) continue;
    const parts = name.split(".");
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts.at(-1)!] = v;
  }
  return out;
}

/** `2022-06-20T09:30` in a form → `2022-06-20T09:30:00+08:00` (Asia/Shanghai keeps +08:00 all year). */
export const localToIso = (v: string) => (v.length === 16 ? `${v}:00+08:00` : v);
export const isoToLocal = (v: string) => v.slice(0, 16);

export const isRequired = (f: FactDef) => f.default === undefined;

/** The issue that belongs to a fact: a path through `facts.<name>` (or `facts.<a>.<b>`). */
export function issueFor(name: string, issues: Issue[]): Issue | undefined {
  return issues.find((i) => {
    const p = i.path.map(String);
    const at = p[0] === "facts" || p[0] === "body" ? p.slice(p[0] === "body" && p[1] === "facts" ? 2 : 1) : p;
    return at.join(".") === name;
  });
}

/** Names of common fact groups (risks.homicide → 风险研判); any other group shows its own key. */
const GROUPS: Record<string, { zh: string; en: string }> = {
  risks: { zh: "风险研判", en: "Risks" },
  content: { zh: "问题内容", en: "Problem content" },
  household: { zh: "家庭情况", en: "Household" },
  person: { zh: "人员情况", en: "Person" },
  location: { zh: "地点", en: "Location" },
};

export function FactsForm({ facts, values, onChange, issues, skip = [] }: { facts: FactDef[]; values: FactValues; onChange: (v: FactValues) => void; issues: Issue[]; skip?: string[] }) {
  const { t } = useI18n();
  const groups = new Map<string, FactDef[]>();
  for (const f of facts) {
    if (skip.includes(f.name)) continue;
    const g = f.name.includes(".") ? f.name.split(".")[0]! : "";
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  const set = (name: string, v: unknown) => onChange({ ...values, [name]: v });
  const field = (f: FactDef) => {
    const id = `fact-${f.name.replace(/\./g, "-")}`;
    const issue = issueFor(f.name, issues);
    const describedBy = [f.description ? `${id}-desc` : "", issue ? `${id}-issue` : ""].filter(Boolean).join(" ") || undefined;
    const v = values[f.name];
    let input;
    if (f.type === "boolean") {
      input = (
        <span className="switch">
          <input id={id} aria-describedby={describedBy} type="checkbox" role="switch" name={f.name} checked={v === true} aria-checked={v === true} onChange={(e) => set(f.name, e.target.checked)} />
          <span>{v === true ? t("是", "Yes") : t("否", "No")}</span>
        </span>
      );
    } else if (f.type === "enum") {
      input = (
        <select id={id} aria-describedby={describedBy} name={f.name} value={typeof v === "string" ? v : ""} onChange={(e) => set(f.name, e.target.value || undefined)} aria-invalid={!!issue}>
          <option value="">{t("（请选择）", "(choose)")}</option>
          {(f.values ?? []).map((x) => (
            <option key={x.value} value={x.value}>
              {t(x.label)}
            </option>
          ))}
        </select>
      );
    } else if (f.type === "enum-list") {
      // Several checkboxes: a fieldset with a legend (a label may name only one control).
      const list = Array.isArray(v) ? (v as string[]) : [];
      return (
        <CheckboxGroup
          key={f.name}
          id={id}
          data={{ "data-fact": f.name }}
          legend={t(f.label)}
          required={isRequired(f)}
          description={f.description}
          options={f.values ?? []}
          value={list}
          onChange={(next) => set(f.name, next)}
          name={(v) => `${f.name}:${v}`}
          issue={issue}
          inline
        />
      );
    } else if (f.type === "number" || f.type === "integer") {
      input = <input id={id} aria-describedby={describedBy} type="number" name={f.name} step={f.type === "integer" ? 1 : "any"} {...(f.min !== undefined ? { min: f.min } : {})} {...(f.max !== undefined ? { max: f.max } : {})} value={typeof v === "number" ? v : ""} onChange={(e) => set(f.name, e.target.value === "" ? undefined : Number(e.target.value))} aria-invalid={!!issue} />;
    } else if (f.type === "date") {
      input = <input id={id} aria-describedby={describedBy} type="date" name={f.name} value={typeof v === "string" ? v : ""} onChange={(e) => set(f.name, e.target.value || undefined)} aria-invalid={!!issue} />;
    } else if (f.type === "datetime") {
      input = <input id={id} aria-describedby={describedBy} type="datetime-local" name={f.name} value={typeof v === "string" ? isoToLocal(v) : ""} onChange={(e) => set(f.name, e.target.value ? localToIso(e.target.value) : undefined)} aria-invalid={!!issue} />;
    } else if (f.type === "string-list") {
      input = <textarea id={id} aria-describedby={describedBy} name={f.name} rows={2} value={Array.isArray(v) ? (v as string[]).join("\n") : ""} onChange={(e) => set(f.name, e.target.value ? e.target.value.split("\n").filter(Boolean) : undefined)} />;
    } else {
      input = <input id={id} aria-describedby={describedBy} type="text" name={f.name} value={typeof v === "string" ? v : ""} onChange={(e) => set(f.name, e.target.value || undefined)} aria-invalid={!!issue} />;
    }
    // The label names the control; its description and issue are read after it (aria-describedby).
    return (
      <div key={f.name} className={`field${issue ? " has-issue" : ""}`} data-fact={f.name}>
        <label className="name" htmlFor={id}>
          {t(f.label)}
          {isRequired(f) && f.type !== "boolean" ? (
            <span className="req" title={t("必填", "required")}>
              *
            </span>
          ) : null}
        </label>
        {f.description ? (
          <span className="desc" id={`${id}-desc`}>
            {t(f.description)}
          </span>
        ) : null}
        {input}
        {issue ? <IssueLine issue={issue} id={`${id}-issue`} /> : null}
      </div>
    );
  };
  return (
    <>
      {[...groups].map(([g, list]) =>
        g === "" ? (
          <div key="">{list.map(field)}</div>
        ) : (
          <fieldset key={g} data-group={g}>
            <legend>{GROUPS[g] ? t(GROUPS[g]) : g}</legend>
            {list.map(field)}
          </fieldset>
        ),
      )}
    </>
  );
}
