import type { Engine } from "@jiceng/core";
import { useCallback, useEffect, useState } from "react";
import { ApiError, get, post, type AllowedEvent, type CaseDetail, type Issue, type Me } from "../api.js";
import { engineFor } from "../engines.js";
import { EventForm } from "../event-form.js";
import { formatDateTime, formatNumber, humanizeDates } from "../format.js";
import { useI18n } from "../i18n.js";
import { Card, Countdown, DateText, Issues, issuesOf, LevelBadge, Provisional, SlaLight, UnitName } from "../ui.js";
import { GradingView } from "../grading-view.js";
import type { GradeExplanation } from "@jiceng/core";

export function CasePage({ id, me: _me }: { id: string; me: Me }) {
  const { t, lang } = useI18n();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [engine, setEngine] = useState<Engine | null>(null);
  const [open, setOpen] = useState<AllowedEvent | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [loadIssues, setLoadIssues] = useState<Issue[]>([]);

  const load = useCallback(() => {
    get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`).then(
      (r) => {
        setC(r);
        setConflict(false);
        setLoadIssues([]);
        engineFor(r.packId, r.packVersion).then(setEngine, () => {});
      },
      (e) => setLoadIssues(issuesOf(e)),
    );
  }, [id]);
  useEffect(load, [load]);

  const submit = async (body: Record<string, unknown>) => {
    if (!c || !open) return;
    setBusy(true);
    setIssues([]);
    setDone(null);
    try {
      const r = await post<CaseDetail>(`/api/cases/${encodeURIComponent(c.id)}/events`, body, { "if-match": `"${c.version}"`, "idempotency-key": crypto.randomUUID() });
      setOpen(null);
      setDone(t(`已${t(open.label)}`, `${t(open.label)}: done`));
      if (r && typeof r === "object" && "version" in r && "allowedEvents" in r) setC(r);
      else load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(true);
      setIssues(issuesOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (loadIssues.length) return <Issues issues={loadIssues} />;
  if (!c) return <p className="muted">{t("载入中…", "Loading…")}</p>;
  const explanation = c.reasons.length ? ({ level: c.level.id, rank: 0, label: c.level.label, colour: c.level.colour ?? "grey", reasons: c.reasons, rejected: [] } as unknown as GradeExplanation) : undefined;
  return (
    <>
      {conflict ? (
        <div className="banner warn" role="alert" data-testid="conflict">
          {t("案件已被他人更新。", "The case was updated by someone else.")} {t("您填写的内容仍保留在下方，可重新载入后再提交。", "What you filled in is kept below; reload and submit again.")}{" "}
          <button onClick={load}>{t("重新载入", "Reload")}</button>
        </div>
      ) : null}
      {done ? (
        <div className="banner ok" role="status">
          {done}
        </div>
      ) : null}
      <div className="grid2">
        <Card title={<span data-testid="case-number">{c.number ?? c.id}</span>}>
          <dl className="kv">
            <dt>{t("等级", "Level")}</dt>
            <dd>
              <LevelBadge level={c.level} />
            </dd>
            <dt>{t("状态", "State")}</dt>
            <dd data-testid="case-state" data-state={c.state}>
              {c.stage ? t(c.stage) : c.state}
            </dd>
            <dt>{t("化解期限", "Due")}</dt>
            <dd>
              <DateText iso={c.dueAt} due /> <Provisional on={c.provisional} /> · <SlaLight light={c.light} /> · <Countdown c={c} now={Date.now()} />
            </dd>
            <dt>{t("责任单位", "Responsible unit")}</dt>
            <dd>
              <UnitName id={c.unitId} />
            </dd>
            <dt>{t("登记时间", "Received")}</dt>
            <dd>{formatDateTime(c.receivedAt, lang)}</dd>
            <dt>{t("规则包", "Pack")}</dt>
            <dd>
              {c.packId} {c.packVersion}
            </dd>
            <dt>{t("版本", "Version")}</dt>
            <dd data-testid="case-version">{formatNumber(c.version, lang)}</dd>
          </dl>
          <h2 style={{ marginTop: 12 }}>{t("可办理", "Actions")}</h2>
          <div className="row" data-testid="actions">
            {c.allowedEvents.length === 0 ? <span className="muted">{t("当前没有您可办理的事项", "Nothing for you to do now")}</span> : null}
            {c.allowedEvents.map((a) => (
              <button
                key={a.type}
                data-action={a.type}
                aria-pressed={open?.type === a.type}
                onClick={() => {
                  setOpen(a);
                  setIssues([]);
                }}
              >
                {t(a.label)}
              </button>
            ))}
          </div>
        </Card>
        <Card title={t("定级依据", "Why this level")}>{engine && explanation ? <GradingView live={{ explanation, issues: [] }} engine={engine} /> : <span className="muted">—</span>}</Card>
      </div>
      {open && engine ? <EventForm key={open.type} allowed={open} engine={engine} issues={issues} busy={busy} onSubmit={submit} onCancel={() => setOpen(null)} /> : <Issues issues={issues} />}
      <Card title={t("办理经过", "Timeline")}>
        <ol className="timeline" data-testid="timeline">
          {c.timeline.map((h, i) => (
            <li key={i} data-type={h.type}>
              <strong>{h.summary ? humanizeDates(t(h.summary as never), lang) : (h.type ?? "")}</strong>
              <div className="muted">
                <time dateTime={h.at}>{formatDateTime(h.at, lang)}</time>
                {h.by ? ` · ${h.by}` : ""}
              </div>
              {h.note ? <div>{h.note}</div> : null}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
