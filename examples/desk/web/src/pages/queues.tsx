import { useEffect, useMemo, useState } from "react";
import { get, type CaseSummary, type Issue, type Me } from "../api.js";
import { formatNumber } from "../format.js";
import { useI18n, type Text } from "../i18n.js";
import { Countdown, DateText, Issues, issuesOf, LevelBadge, Provisional, SlaLight, UnitName } from "../ui.js";

export const QUEUES: Array<[string, Text]> = [
  ["mine", { zh: "我的待办", en: "My work" }],
  ["to_sign", { zh: "待签收", en: "To sign for" }],
  ["due_soon", { zh: "临期", en: "Due soon" }],
  ["overdue", { zh: "超期", en: "Overdue" }],
  ["awaiting_decision", { zh: "待决定（升级/延期）", en: "Awaiting decision" }],
  ["reported", { zh: "已上报", en: "Reported" }],
  ["to_follow_up", { zh: "待回访", en: "To follow up" }],
  ["closed", { zh: "已办结", en: "Done" }],
];

type Page = { items: CaseSummary[]; nextCursor: string | null };

export function Queues({ me: _me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [queue, setQueue] = useState(() => sessionStorage.getItem("desk.queue") ?? "mine");
  const [counts, setCounts] = useState<Record<string, number | null>>({});
  const [level, setLevel] = useState("");
  const [q, setQ] = useState("");
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    sessionStorage.setItem("desk.queue", queue);
  }, [queue]);

  useEffect(() => {
    get<{ counts: Record<string, number> }>("/api/cases/counts").then(
      (r) => setCounts(r.counts),
      async () => {
        // No counts endpoint: count each queue's first page (200 a page).
        const out: Record<string, number | null> = {};
        for (const [id] of QUEUES) {
          try {
            const r = await get<Page>(`/api/cases?queue=${id}&limit=200`);
            out[id] = r.items.length;
          } catch {
            out[id] = null;
          }
        }
        setCounts(out);
      },
    );
  }, [page]);

  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => {
    const params = new URLSearchParams({ queue, limit: "20" });
    if (level) params.set("level", level);
    if (q.trim()) params.set("q", q.trim());
    if (cursor) params.set("cursor", cursor);
    setIssues([]);
    get<Page>(`/api/cases?${params}`).then(
      (r) => {
        setPage(r);
        setNow(Date.now());
      },
      (e) => {
        setPage({ items: [], nextCursor: null });
        setIssues(issuesOf(e));
      },
    );
  }, [queue, level, q, cursor]);

  const levels = useMemo(() => {
    const m = new Map<string, Text>();
    for (const c of page?.items ?? []) m.set(c.level.id, c.level.label);
    if (level && !m.has(level)) m.set(level, { zh: level, en: level });
    return [...m];
  }, [page, level]);

  // The server sorts by due (earliest first, no deadline last) across all pages of the cursor.
  const items = page?.items ?? [];

  const pick = (id: string) => {
    setQueue(id);
    setCursors([null]);
  };

  return (
    <>
      <div className="tabs" role="tablist" aria-label={t("工作台", "Queues")}>
        {QUEUES.map(([id, label]) => (
          <button key={id} role="tab" aria-selected={queue === id} onClick={() => pick(id)} data-queue={id}>
            {t(label)}
            <span className="count" data-count={counts[id] ?? ""}>
              {counts[id] === undefined ? "…" : counts[id] === null ? "—" : formatNumber(counts[id]!, lang)}
            </span>
          </button>
        ))}
      </div>
      <div className="card">
        <div className="row" style={{ marginBottom: 8 }}>
          <label>
            {t("等级", "Level")}{" "}
            <select
              value={level}
              onChange={(e) => {
                setLevel(e.target.value);
                setCursors([null]);
              }}
              aria-label={t("按等级筛选", "Filter by level")}
            >
              <option value="">{t("全部", "All")}</option>
              {levels.map(([id, label]) => (
                <option key={id} value={id}>
                  {t(label)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("编号", "Number")}{" "}
            <input
              type="search"
              value={q}
              placeholder={t("按编号查找", "Search by number")}
              onChange={(e) => {
                setQ(e.target.value);
                setCursors([null]);
              }}
            />
          </label>
          <span className="muted" data-testid="sort">
            {t("按期限排序：最早到期在前", "Sorted by due: earliest first")}
          </span>
        </div>
        <Issues issues={issues} />
        <table data-testid="queue-table" aria-label={t(QUEUES.find(([id]) => id === queue)?.[1] ?? "")}>
          <thead>
            <tr>
              <th>{t("编号", "Number")}</th>
              <th>{t("事项", "Matter")}</th>
              <th>{t("等级", "Level")}</th>
              <th>{t("灯", "Light")}</th>
              <th aria-sort="ascending">{t("期限", "Due")}</th>
              <th>{t("倒计时", "Countdown")}</th>
              <th>{t("环节", "Stage")}</th>
              <th>{t("责任单位", "Unit")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-case={c.id} data-number={c.number ?? ""}>
                <td>
                  <a href={`#/case/${c.id}`}>{c.number ?? c.id.slice(0, 8)}</a>
                </td>
                <td>{c.title ?? "—"}</td>
                <td>
                  <LevelBadge level={c.level} />
                </td>
                <td>
                  <SlaLight light={c.light} />
                </td>
                <td>
                  <DateText iso={c.dueAt} due />
                  <Provisional on={c.provisional} />
                </td>
                <td>
                  <Countdown c={c} now={now} />
                </td>
                <td>{c.stage ? t(c.stage) : c.state}</td>
                <td>
                  <UnitName id={c.unitId} />
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  {page ? t("没有案件", "No cases") : t("载入中…", "Loading…")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="row" style={{ marginTop: 8 }}>
          <button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("上一页", "Previous")}
          </button>
          <button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])} data-testid="next-page">
            {t("下一页", "Next")}
          </button>
          <span className="muted">
            {t(`第 ${formatNumber(cursors.length, lang)} 页`, `Page ${formatNumber(cursors.length, lang)}`)}
          </span>
        </div>
      </div>
    </>
  );
}
