// Live grading in the page: the level, the due date, the rule and its clause with the quoted words,
// and for each more severe level why it did not apply — computed by core in the browser.
import type { ConditionTrace, Engine, GradeExplanation } from "@jiceng/core";
import { isJicengError } from "@jiceng/core";
import type { Issue } from "./api.js";
import { formatDue } from "./format.js";
import { useI18n } from "./i18n.js";
import { LevelBadge } from "./ui.js";

export interface LiveGrade {
  explanation?: GradeExplanation;
  dueAt?: string;
  issues: Issue[];
}

export function gradeLive(engine: Engine, facts: Record<string, unknown>): LiveGrade {
  try {
    const explanation = engine.explain(facts);
    let dueAt: string | undefined;
    try {
      dueAt = engine.assess(facts).dueAt;
    } catch {
      /* no start fact yet: no due date */
    }
    return { explanation, ...(dueAt ? { dueAt } : {}), issues: [] };
  } catch (e) {
    if (isJicengError(e)) return { issues: e.issues as Issue[] };
    throw e;
  }
}

function show(v: unknown): string {
  return v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v);
}

function Trace({ trace }: { trace: ConditionTrace }) {
  const { t } = useI18n();
  const mark = trace.result ? "✓" : "✗";
  if (trace.kind === "fact")
    return (
      <li data-result={trace.result}>
        {mark} <code>{trace.fact}</code> {trace.operator} <code>{show(trace.value)}</code>
        <span className="muted">
          {" "}
          （{t("实际", "seen")}：<code>{show(trace.factValue)}</code>）
        </span>
      </li>
    );
  const head = { all: t("全部满足", "all of"), any: t("任一满足", "any of"), not: t("不满足", "not"), ref: `${t("命名条件", "condition")} ${trace.name ?? ""}`, fact: "" }[trace.kind];
  return (
    <li data-result={trace.result}>
      {mark} {head}
      {trace.children?.length ? (
        <ul>
          {trace.children.map((c, i) => (
            <Trace key={i} trace={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function GradingView({ live, engine }: { live: LiveGrade; engine: Engine }) {
  const { t, lang } = useI18n();
  const e = live.explanation;
  if (!e)
    return (
      <div data-testid="grading">
        <p className="muted">{t("填写事实后即时定级；还缺：", "Fill in the facts to grade as you type; still missing:")}</p>
        {live.issues.length ? (
          <ul className="issue">
            {live.issues.map((i, n) => (
              <li key={n}>{t(i.message)}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  const docTitle = (id: string) => engine.pack.source.documents.find((d) => d.id === id)?.title;
  return (
    <div data-testid="grading" data-level={e.level}>
      <p>
        {t("等级", "Level")}：<LevelBadge level={{ id: e.level, label: e.label, colour: e.colour }} />
        {live.dueAt ? (
          <>
            {" "}
            · {t("化解期限", "Due")}：<strong data-testid="due">{formatDue(live.dueAt, lang, engine.pack.timezone)}</strong>
          </>
        ) : null}
      </p>
      <h3 style={{ fontSize: 15 }}>{t("依据", "Why")}</h3>
      {e.reasons.map((r, i) => (
        <div key={i} data-rule={r.ruleId}>
          <div>
            <strong>{r.label ? t(r.label) : r.ruleId === "default" ? t("无规则命中，取默认等级", "No rule held: the default level") : r.ruleId}</strong>
          </div>
          {r.cite ? (
            <div data-testid="cite">
              {t(docTitle(r.cite.doc) ?? { zh: r.cite.doc, en: r.cite.doc })} <strong>{r.cite.clause}</strong>
              {r.cite.quote ? <blockquote>{r.cite.quote}</blockquote> : null}
            </div>
          ) : r.note ? (
            <div className="muted">
              {t("本地值", "Local value")}：{t(r.note)}
            </div>
          ) : null}
          {r.conditions ? (
            <ul style={{ fontSize: 13 }}>
              <Trace trace={r.conditions} />
            </ul>
          ) : null}
        </div>
      ))}
      {e.rejected.length ? (
        <>
          <h3 style={{ fontSize: 15 }}>{t("为何不是更严重的等级", "Why not a more severe level")}</h3>
          {e.rejected.map((lv) => (
            <details key={lv.level} data-rejected={lv.level}>
              <summary>
                <LevelBadge level={{ id: lv.level, label: lv.label, colour: engine.pack.levels.find((l) => l.id === lv.level)?.colour ?? null }} />{" "}
                {lv.score ? t(`得分 ${lv.score.total}，需 ${lv.score.min}`, `score ${lv.score.total}, needs ${lv.score.min}`) : t(`${lv.rules.length} 条规则均未满足`, `none of its ${lv.rules.length} rules held`)}
              </summary>
              {lv.rules.map((r) => (
                <div key={r.ruleId} style={{ marginLeft: 12 }}>
                  <div>
                    {r.label ? t(r.label) : r.ruleId} {r.cite ? <span className="muted">{r.cite.clause}</span> : null}
                  </div>
                  <ul style={{ fontSize: 13 }}>
                    <Trace trace={r.conditions} />
                  </ul>
                </div>
              ))}
            </details>
          ))}
        </>
      ) : null}
    </div>
  );
}
