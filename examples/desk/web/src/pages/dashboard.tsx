import { useEffect, useState } from "react";
import { get, type Issue } from "../api.js";
import { formatDateTime, formatNumber, formatRange } from "../format.js";
import { useI18n, type Text } from "../i18n.js";
import { Card, Issues, issuesOf, useUnitNames } from "../ui.js";

interface AgendaView {
  kind: string;
  label: Text;
  from: string;
  to: string;
  newCases: string[];
  toDecide: string[];
  overdue: string[];
  resolved: string[];
  escalated: string[];
  totals: { open: number; resolved: number; overdue: number; byLevel: Record<string, number> };
}
interface PackDash {
  pack: string;
  open: number;
  dueSoon: string[];
  overdue: string[];
  awaitingDecision: string[];
  reported: string[];
  counts?: { byLevel: Record<string, number>; byUnit: Record<string, number>; byState: Record<string, number> };
  agenda?: AgendaView[];
  cases?: Record<string, { number: string | null; level: string; levelLabel?: Text }>;
  levels?: Record<string, Text>;
  states?: Record<string, Text>;
}

function CaseLinks({ ids, d }: { ids: string[]; d: PackDash }) {
  const { t } = useI18n();
  if (!ids.length) return <span className="muted">{t("无", "none")}</span>;
  return (
    <span>
      {ids.map((id, i) => (
        <span key={id}>
          {i ? "、" : ""}
          <a href={`#/case/${id}`}>{d.cases?.[id]?.number ?? id.slice(0, 8)}</a>
        </span>
      ))}
    </span>
  );
}

function CountTable({ by, title, counts, labels }: { by: string; title: Text; counts: Record<string, number>; labels?: Record<string, Text> | undefined }) {
  const { t, lang } = useI18n();
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <table style={{ marginBottom: 8 }} data-count-by={by}>
      <thead>
        <tr>
          <th>{t(title)}</th>
          <th style={{ textAlign: "right" }}>{t("件数", "Cases")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, n]) => (
          <tr key={k} data-key={k}>
            <td>{labels?.[k] ? t(labels[k]) : k}</td>
            <td className="num">{formatNumber(n, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Dashboard() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<{ at: string; packs: PackDash[] } | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const units = useUnitNames();
  useEffect(() => {
    get<{ at: string; packs: PackDash[] }>("/api/dashboard").then(setData, (e) => setIssues(issuesOf(e)));
  }, []);
  if (issues.length) return <Issues issues={issues} />;
  if (!data) return <p className="muted">{t("载入中…", "Loading…")}</p>;
  return (
    <>
      <p className="muted">
        {t("截至", "As of")} <time dateTime={data.at} data-testid="as-of">{formatDateTime(data.at, lang)}</time>
      </p>
      {data.packs.length === 0 ? <p>{t("范围内没有未办结的案件", "No open cases in your scope")}</p> : null}
      {data.packs.map((d) => (
        <div key={d.pack} data-pack={d.pack}>
          <h2 style={{ fontSize: 17 }}>
            {d.pack} · {t("未办结", "open")} {formatNumber(d.open, lang)}
          </h2>
          <div className="grid2">
            <Card title={t("分布", "Counts")}>
              {d.counts ? (
                <>
                  <CountTable by="level" title={{ zh: "等级", en: "Level" }} counts={d.counts.byLevel} labels={d.levels} />
                  <CountTable by="unit" title={{ zh: "责任单位", en: "Unit" }} counts={d.counts.byUnit} labels={units} />
                  <CountTable by="state" title={{ zh: "状态", en: "State" }} counts={d.counts.byState} labels={d.states} />
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </Card>
            <Card title={t("督办清单", "Lists")}>
              <dl className="kv">
                <dt>{t("超期", "Overdue")}</dt>
                <dd data-list="overdue">
                  <CaseLinks ids={d.overdue} d={d} />
                </dd>
                <dt>{t("临期", "Due soon")}</dt>
                <dd data-list="dueSoon">
                  <CaseLinks ids={d.dueSoon} d={d} />
                </dd>
                <dt>{t("待决定", "Awaiting decision")}</dt>
                <dd data-list="awaitingDecision">
                  <CaseLinks ids={d.awaitingDecision} d={d} />
                </dd>
                <dt>{t("已上报", "Reported")}</dt>
                <dd data-list="reported">
                  <CaseLinks ids={d.reported} d={d} />
                </dd>
              </dl>
            </Card>
          </div>
          {(d.agenda ?? []).map((a) => (
            <Card key={a.kind} title={<>{t(a.label)}（<span data-range={`${a.from}/${a.to}`}>{formatRange(a.from, a.to, lang)}</span>）</>}>
              <div data-agenda={a.kind}>
                <dl className="kv">
                  <dt>{t("新发现", "New")}</dt>
                  <dd>
                    <CaseLinks ids={a.newCases} d={d} />
                  </dd>
                  <dt>{t("待研究决定", "To decide")}</dt>
                  <dd>
                    <CaseLinks ids={a.toDecide} d={d} />
                  </dd>
                  <dt>{t("超期", "Overdue")}</dt>
                  <dd>
                    <CaseLinks ids={a.overdue} d={d} />
                  </dd>
                  <dt>{t("已化解", "Resolved")}</dt>
                  <dd>
                    <CaseLinks ids={a.resolved} d={d} />
                  </dd>
                  <dt>{t("升级 / 延期 / 上报", "Escalated")}</dt>
                  <dd>
                    <CaseLinks ids={a.escalated} d={d} />
                  </dd>
                </dl>
                <p className="muted">
                  {t(`合计：未办结 ${formatNumber(a.totals.open, lang)}，已化解 ${formatNumber(a.totals.resolved, lang)}，超期 ${formatNumber(a.totals.overdue, lang)}`, `Totals: open ${formatNumber(a.totals.open, lang)}, resolved ${formatNumber(a.totals.resolved, lang)}, overdue ${formatNumber(a.totals.overdue, lang)}`)}
                </p>
              </div>
            </Card>
          ))}
        </div>
      ))}
    </>
  );
}
