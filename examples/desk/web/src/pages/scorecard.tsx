import { useEffect, useState } from "react";
import { download, fetchText, get, type Issue, type PackRow } from "../api.js";
import { useI18n } from "../i18n.js";
import { Card, Issues, issuesOf } from "../ui.js";

/** The period a user most likely wants: the current quarter, e.g. 2026Q4. */
function thisQuarter(): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

export function Scorecard() {
  const { t } = useI18n();
  const [packs, setPacks] = useState<string[]>([]);
  const [pack, setPack] = useState("");
  const [period, setPeriod] = useState(thisQuarter);
  const [html, setHtml] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ packs: PackRow[]; bindings?: Array<{ packId: string }> }>("/api/packs").then(
      (r) => {
        // The county's own packs first (its bindings), then the other published ones.
        const bound = (r.bindings ?? []).map((b) => b.packId);
        const ids = [...new Set([...bound, ...r.packs.filter((p) => p.status === "published").map((p) => p.packId)])];
        setPacks(ids);
        if (ids[0]) setPack((p) => p || ids[0]!);
      },
      () => {},
    );
  }, []);

  const query = (format: string) => `/api/scorecard?${new URLSearchParams({ period, format, ...(pack ? { packId: pack } : {}) })}`;
  const show = async () => {
    setBusy(true);
    setIssues([]);
    try {
      setHtml(await fetchText(query("html")));
    } catch (e) {
      setHtml(null);
      setIssues(issuesOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Card title={t("考核", "Scorecard")}>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void show();
          }}
        >
          <label className="field">
            <span className="name">{t("规则包", "Pack")}</span>
            <select value={pack} onChange={(e) => setPack(e.target.value)} name="pack">
              {packs.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="name">{t("考核时段（如 2022Q3、2022-07、2022）", "Period (e.g. 2022Q3, 2022-07, 2022)")}</span>
            <input type="text" name="period" value={period} onChange={(e) => setPeriod(e.target.value)} />
          </label>
          <button className="primary" type="submit" disabled={busy} style={{ marginBottom: 10 }}>
            {t("生成", "Show")}
          </button>
          <button type="button" onClick={() => download(query("html"), `scorecard-${pack}-${period}.html`).catch((e) => setIssues(issuesOf(e)))} style={{ marginBottom: 10 }}>
            {t("下载 HTML", "Download HTML")}
          </button>
          <button type="button" onClick={() => download(query("csv"), `scorecard-${pack}-${period}.csv`).catch((e) => setIssues(issuesOf(e)))} style={{ marginBottom: 10 }}>
            {t("下载 CSV", "Download CSV")}
          </button>
          <button type="button" data-testid="ledger" onClick={() => download("/api/export/ledger.xlsx", "台账.xlsx").catch((e) => setIssues(issuesOf(e)))} style={{ marginBottom: 10 }}>
            {t("导出台账（Excel）", "Export the ledger (Excel)")}
          </button>
        </form>
        <Issues issues={issues} />
      </Card>
      {html ? <iframe className="scorecard" title={t("考核报表", "Scorecard")} srcDoc={html} sandbox="allow-same-origin" data-testid="scorecard-frame" /> : null}
    </>
  );
}
