import { analyzeTables, createEngine, lintPack, loadPack, safeLoadPack, type Engine, type TableAnalysis } from "@jiceng/core";
import { useEffect, useMemo, useState } from "react";
import { get, post, type Issue, type Me, type PackRow } from "../api.js";
import { FactsForm, nestFacts, type FactValues } from "../facts-form.js";
import { GradingView, gradeLive } from "../grading-view.js";
import { useI18n } from "../i18n.js";
import { Card, Issues, issuesOf } from "../ui.js";
import { diffJson } from "./diff.js";
import { PackEditor } from "./editor.js";
import { lintText } from "./json-tools.js";

const STATUS: Record<string, [string, string]> = { draft: ["草稿", "draft"], review: ["待审核", "in review"], published: ["已发布", "published"], retired: ["已停用", "retired"] };

export default function Playground({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<PackRow[]>([]);
  const [pick, setPick] = useState("");
  const [loaded, setLoaded] = useState("");
  const [text, setText] = useState("");
  const [published, setPublished] = useState<unknown>(undefined);
  const [values, setValues] = useState<FactValues>({});
  const [tables, setTables] = useState<TableAnalysis[] | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [jump, setJump] = useState<{ at: number; n: number } | null>(null);
  const [lintNow, setLintNow] = useState(() => lintText(""));

  const refresh = () =>
    get<{ packs: PackRow[] }>("/api/packs").then(
      (r) => {
        setRows(r.packs);
        return r.packs;
      },
      (e) => {
        setIssues(issuesOf(e));
        return [] as PackRow[];
      },
    );
  useEffect(() => {
    void refresh().then((ps) => {
      const first = ps.find((p) => p.status === "published") ?? ps[0];
      // Unless someone already picked one while the list was loading.
      if (first) setPick((p) => p || `${first.packId}@${first.version}`);
    });
  }, []);

  useEffect(() => {
    if (!pick) return;
    const [id, version] = pick.split("@") as [string, string];
    setTables(null);
    get<{ content: unknown; text?: string }>(`/api/packs/${encodeURIComponent(id)}/${encodeURIComponent(version)}`).then(
      (r) => {
        const s = r.text ?? JSON.stringify(r.content, null, 2);
        setLoaded(s);
        setText(s);
      },
      (e) => setIssues(issuesOf(e)),
    );
    const pub = rows.filter((r) => r.packId === id && r.status === "published").at(-1);
    if (pub) get<{ content: unknown }>(`/api/packs/${encodeURIComponent(id)}/${encodeURIComponent(pub.version)}`).then((r) => setPublished(r.content), () => setPublished(undefined));
    else setPublished(undefined);
  }, [pick, rows.length]);

  useEffect(() => {
    const h = setTimeout(() => setLintNow(lintText(text)), 250);
    return () => clearTimeout(h);
  }, [text]);

  const engine: Engine | null = useMemo(() => {
    if (!lintNow.valid) return null;
    try {
      return createEngine(loadPack(lintNow.json));
    } catch {
      return null;
    }
  }, [lintNow]);
  const locals = useMemo(() => {
    if (!lintNow.valid) return [];
    try {
      return lintPack(lintNow.json).filter((i) => i.code === "LOCAL_VALUE");
    } catch {
      return [];
    }
  }, [lintNow]);
  const changes = useMemo(() => (published !== undefined && lintNow.json !== undefined ? diffJson(published, lintNow.json) : []), [published, lintNow]);
  const live = useMemo(() => (engine ? gradeLive(engine, nestFacts(values)) : null), [engine, values]);
  const current = rows.find((r) => `${r.packId}@${r.version}` === pick);
  const errors = lintNow.issues.filter((i) => i.issue.severity !== "warning");

  const act = async (what: "draft" | "submit" | "publish") => {
    setIssues([]);
    setNote(null);
    try {
      if (what === "draft") {
        const body = lintNow.json !== undefined ? { content: lintNow.json } : { text };
        const r = await post<{ packId: string; version: string; status: string; valid?: boolean }>("/api/packs", body);
        await refresh();
        setPick(`${r.packId}@${r.version}`);
        setNote(t(`已保存草稿 ${r.packId} ${r.version}${r.valid === false ? "（有错误，只能保存为草稿，不能发布）" : ""}`, `Saved draft ${r.packId} ${r.version}${r.valid === false ? " (it has errors: it can stay a draft but never be published)" : ""}`));
      } else if (current) {
        const r = await post<{ status: string }>(`/api/packs/${encodeURIComponent(current.packId)}/${encodeURIComponent(current.version)}/${what}`);
        await refresh();
        setNote(t(`${current.packId} ${current.version}：${STATUS[r.status]?.[0] ?? r.status}`, `${current.packId} ${current.version}: ${STATUS[r.status]?.[1] ?? r.status}`));
      }
    } catch (e) {
      setIssues(issuesOf(e));
    }
  };

  return (
    <>
      <Card title={t("规则（试验场）", "Rules (playground)")}>
        <div className="row">
          <label className="field">
            <span className="name">{t("规则包版本", "Pack version")}</span>
            <select value={pick} onChange={(e) => setPick(e.target.value)} data-testid="pack-version">
              {rows.map((r) => (
                <option key={`${r.packId}@${r.version}`} value={`${r.packId}@${r.version}`}>
                  {r.packId} {r.version} · {t(...(STATUS[r.status] ?? [r.status, r.status]))}
                </option>
              ))}
            </select>
          </label>
          <div style={{ marginBottom: 10 }} className="row">
            <button onClick={() => void act("draft")} data-testid="save-draft">
              {t("保存草稿", "Save draft")}
            </button>
            <button onClick={() => void act("submit")} disabled={current?.status !== "draft"} data-testid="submit-review">
              {t("提交审核", "Submit for review")}
            </button>
            <button className="primary" onClick={() => void act("publish")} disabled={current?.status !== "review"} data-testid="publish">
              {t("审核并发布", "Approve and publish")}
            </button>
          </div>
        </div>
        <p className="muted">
          {t(`当前用户：${me.name}。发布须由起草人以外的规则审核人完成（四眼原则）；有错误的规则包可以保存为草稿，但不能发布。`, `Signed in as ${me.name}. Publishing needs a rule reviewer other than the author (four eyes); a pack with errors can be saved as a draft but never published.`)}
        </p>
        {note ? (
          <div className="banner ok" role="status" data-testid="pack-note">
            {note}
          </div>
        ) : null}
        <Issues issues={issues} />
      </Card>
      <div className="grid2">
        <div>
          <PackEditor value={loaded} onChange={setText} lang={lang} jumpTo={jump} />
          <Card title={`${t("检查结果", "Problems")}（${errors.length}）`}>
            <ul className="lint-list" data-testid="lint-list">
              {lintNow.issues.length === 0 ? <li className="muted">{t("没有问题", "No problems")}</li> : null}
              {lintNow.issues.map((r, n) => (
                <li key={n} data-line={r.line} data-code={r.issue.code}>
                  <button onClick={() => setJump({ at: r.from, n: Date.now() })} aria-label={t(`跳到第 ${r.line} 行`, `Go to line ${r.line}`)}>
                    {t(`第 ${r.line} 行`, `line ${r.line}`)}
                  </button>{" "}
                  <strong>{r.issue.severity === "warning" ? t("警告", "warning") : t("错误", "error")}</strong> {r.issue.message.zh}
                  <span className="muted"> / {r.issue.message.en}</span> <code className="muted">{r.issue.code}</code>
                </li>
              ))}
            </ul>
          </Card>
        </div>
        <div>
          <Card title={t("事实与即时定级（按编辑中的规则包）", "Facts and live grading (against the edited pack)")}>
            {engine ? (
              <>
                <FactsForm facts={engine.pack.facts} values={values} onChange={setValues} issues={live?.issues ?? []} />
                {live ? <GradingView live={live} engine={engine} /> : null}
              </>
            ) : (
              <p className="muted">{t("规则包有错误，修正后即可定级。", "The pack has errors; fix them to grade.")}</p>
            )}
          </Card>
          <Card title={`${t("本地值", "Local values")}（${locals.length}）`}>
            <ul data-testid="locals" style={{ fontSize: 13 }}>
              {locals.map((i, n) => (
                <li key={n}>
                  <code>{i.path.join(".")}</code> {t(i.message)}
                </li>
              ))}
            </ul>
          </Card>
          <Card title={t("决策表的空白与重叠", "Decision-table gaps and overlaps")}>
            {engine?.pack.tables ? (
              <>
                <button
                  onClick={() => {
                    const r = safeLoadPack(lintNow.json);
                    if (r.success) setTables(analyzeTables(r.data));
                  }}
                  data-testid="analyze"
                >
                  {t("分析决策表", "Analyse the tables")}
                </button>
                {tables?.map((a) => (
                  <div key={a.table} data-table={a.table}>
                    <h3 style={{ fontSize: 15 }}>
                      {a.table}：{t(`${a.findings.length} 项发现`, `${a.findings.length} findings`)}
                    </h3>
                    {a.findings.map((f, n) => (
                      <details key={n} data-finding={f.kind}>
                        <summary>
                          {{ gap: t("空白", "gap"), overlap: t("重叠", "overlap"), shadowed: t("被遮蔽", "shadowed"), unreachable: t("不可达", "unreachable") }[f.kind]} · {t(f.message)}
                        </summary>
                        {f.cases.map((c, i) => (
                          <div key={i} style={{ fontSize: 13, marginLeft: 12 }}>
                            {t(c.where)}
                            <pre style={{ margin: 2, whiteSpace: "pre-wrap" }}>{JSON.stringify(c.example)}</pre>
                          </div>
                        ))}
                      </details>
                    ))}
                  </div>
                ))}
              </>
            ) : (
              <p className="muted">{t("本规则包没有决策表（安康规则包有）。", "This pack has no decision tables (the Ankang pack does).")}</p>
            )}
          </Card>
          <Card title={`${t("与已发布版本的差异", "Changes against the published version")}（${changes.length}）`}>
            <ul data-testid="diff" style={{ fontSize: 13 }}>
              {published === undefined ? <li className="muted">{t("没有已发布的版本", "No published version")}</li> : changes.length === 0 ? <li className="muted">{t("与已发布版本相同", "Same as published")}</li> : null}
              {changes.slice(0, 200).map((c, n) => (
                <li key={n} data-kind={c.kind}>
                  <code>{c.path}</code> {{ added: t("新增", "added"), removed: t("删除", "removed"), changed: t("修改", "changed") }[c.kind]}
                  {c.kind === "changed" ? (
                    <>
                      ：<del>{JSON.stringify(c.before)}</del> → <ins>{JSON.stringify(c.after)}</ins>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}
