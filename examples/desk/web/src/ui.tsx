import { useEffect, useState, type ReactNode } from "react";
import { ApiError, get, session, type CaseSummary, type Issue } from "./api.js";
import { countdownText, daysLeft, formatDateTime, formatDue } from "./format.js";
import { useI18n, type Text } from "./i18n.js";
import { countsWorkingDays, engineFor, workingDayTest } from "./engines.js";

const COLOURS: Record<string, string> = { red: "#d93025", orange: "#e8710a", yellow: "#c99a00", green: "#1e8e3e", blue: "#1a73e8", grey: "#80868b" };
export const colourOf = (c: string | null | undefined) => (c ? (COLOURS[c] ?? c) : "#80868b");

export function LevelBadge({ level }: { level: { id: string; label: Text; colour: string | null } }) {
  const { t } = useI18n();
  return (
    <span className="badge" data-level={level.id} style={{ background: colourOf(level.colour) }}>
      {t(level.label)}
    </span>
  );
}

/** The SLA light: green, yellow = warned, red = overdue, grey = stopped (resolved / closed). */
export function SlaLight({ light }: { light: CaseSummary["light"] }) {
  const { t } = useI18n();
  const l = light ?? "grey";
  const text = { red: t("超期", "overdue"), yellow: t("临期", "due soon"), green: t("正常", "on time"), grey: t("已停止", "stopped") }[l];
  return (
    <span data-light={l}>
      <span className={`light ${l}`} aria-hidden="true" />
      {text}
    </span>
  );
}

/** Days to the due time: working days where the pack counts them. */
export function Countdown({ c, now }: { c: Pick<CaseSummary, "dueAt" | "packId" | "packVersion" | "level" | "light">; now: number }) {
  const { lang } = useI18n();
  const [test, setTest] = useState<{ working: boolean; fn?: (d: string) => boolean } | null>(null);
  useEffect(() => {
    let live = true;
    engineFor(c.packId, c.packVersion)
      .then((e) => live && setTest(countsWorkingDays(e, c.level.id) ? { working: true, fn: workingDayTest(e) } : { working: false }))
      .catch(() => live && setTest({ working: false }));
    return () => {
      live = false;
    };
  }, [c.packId, c.packVersion, c.level.id]);
  if (!c.dueAt || c.light === null) return <span className="muted">—</span>;
  const working = test?.working === true;
  const days = daysLeft(c.dueAt, now, "Asia/Shanghai", working ? test!.fn : undefined);
  return <span data-days={days}>{countdownText(days, working, lang)}</span>;
}

export function Provisional({ on }: { on: boolean | undefined }) {
  const { t } = useI18n();
  if (!on) return null;
  return (
    <span className="provisional" title={t("期限按暂定日历计算（当年放假安排尚未载入），载入后自动更正", "Due date on the provisional calendar (this year's holiday notice is not loaded yet); corrected once it is")}>
      {t("暂定", "provisional")}
    </span>
  );
}

/** An instant as 2022年6月20日 10:00; a deadline (`due`) as the last day of its period, 2022年6月20日 24:00. */
export function DateText({ iso, due = false }: { iso: string | null | undefined; due?: boolean }) {
  const { lang } = useI18n();
  return <time data-iso={iso ?? ""} dateTime={iso ?? undefined}>{due ? formatDue(iso, lang) : formatDateTime(iso, lang)}</time>;
}

/**
 * Several checkboxes for one list value (an enum-list fact, a closing checklist): a fieldset with a
 * legend — a label may name only one control — each box its own label, the issue below.
 */
export function CheckboxGroup({ id, legend, required, description, options, value, onChange, name, issue, inline, data }: {
  id: string;
  legend: ReactNode;
  required: boolean;
  description?: Text | undefined;
  options: ReadonlyArray<{ value: string; label: Text }>;
  value: readonly string[];
  onChange: (next: string[]) => void;
  /** The name of one box. */
  name: (value: string) => string;
  issue?: Issue | undefined;
  /** Boxes side by side (default: one a line). */
  inline?: boolean;
  /** data-* attributes of the fieldset (what the e2e tests find it by). */
  data: Record<`data-${string}`, string>;
}) {
  const { t } = useI18n();
  return (
    <fieldset className={`field${issue ? " has-issue" : ""}`} id={id} aria-invalid={!!issue} {...data}>
      <legend>
        {legend}
        {required ? <span className="req" title={t("必填", "required")}>*</span> : null}
      </legend>
      {description ? <span className="desc muted">{t(description)}</span> : null}
      {options.map((o) => (
        <label key={o.value} style={inline ? { marginRight: 12, display: "inline-block" } : { display: "block" }}>
          <input type="checkbox" name={name(o.value)} checked={value.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))} /> {t(o.label)}
        </label>
      ))}
      {issue ? <IssueLine issue={issue} /> : null}
    </fieldset>
  );
}

/** One issue under the field it concerns: core's message in the page's language, its code for tests. */
export function IssueLine({ issue, id }: { issue: Pick<Issue, "code" | "message">; id?: string }) {
  const { t } = useI18n();
  return (
    <div className="issue" role="alert" data-issue={issue.code} id={id}>
      {t(issue.message)}
    </div>
  );
}

export function Issues({ issues }: { issues: Issue[] }) {
  const { t } = useI18n();
  if (!issues.length) return null;
  return (
    <div className="banner error" role="alert">
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {issues.map((i, n) => (
          <li key={n} data-code={i.code}>
            {t(i.message)} <span className="muted">({i.code}{i.path.length ? ` · ${i.path.join(".")}` : ""})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const issuesOf = (e: unknown): Issue[] =>
  e instanceof ApiError ? e.issues : [{ code: "CLIENT", path: [], message: { zh: `出错了：${String((e as Error)?.message ?? e)}`, en: `Something went wrong: ${String((e as Error)?.message ?? e)}` } }];

// One request per signed-in session (another login may be another county).
let unitsOnce: Promise<Record<string, Text>> | undefined;
let unitsToken: string | null = null;
/** The county's unit names by id (one request per page load); ids until they arrive. */
export function useUnitNames(enabled = true): Record<string, Text> {
  const [names, setNames] = useState<Record<string, Text>>({});
  useEffect(() => {
    if (!enabled) return;
    if (unitsToken !== session.token) {
      unitsOnce = undefined;
      unitsToken = session.token;
    }
    unitsOnce ??= get<{ units: Array<{ id: string; name: Text | string }> }>("/api/units").then(
      (r) => Object.fromEntries(r.units.map((u) => [u.id, typeof u.name === "string" ? { zh: u.name, en: u.name } : u.name])),
      () => {
        unitsOnce = undefined;
        return {};
      },
    );
    let live = true;
    void unitsOnce.then((n) => live && setNames(n));
    return () => {
      live = false;
    };
  }, [enabled]);
  return names;
}

export function UnitName({ id }: { id: string | null | undefined }) {
  const { t } = useI18n();
  const names = useUnitNames();
  if (!id) return <>—</>;
  return <span data-unit={id}>{names[id] ? t(names[id]) : id}</span>;
}

export function Card({ title, children, id }: { title?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="card" {...(id ? { id } : {})}>
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  );
}
