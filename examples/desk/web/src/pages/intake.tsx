import type { Engine } from "@jiceng/core";
import { useEffect, useMemo, useState } from "react";
import { get, post, type Issue, type Me, type PackRow } from "../api.js";
import { go } from "../app.js";
import { engineFor } from "../engines.js";
import { FactsForm, nestFacts, type FactValues } from "../facts-form.js";
import { GradingView, gradeLive } from "../grading-view.js";
import { useI18n } from "../i18n.js";
import { Card, IssueLine, Issues, issuesOf } from "../ui.js";

const CHANNELS = [
  ["visit", "来访", "Walk-in"],
  ["phone", "来电", "Phone"],
  ["grid", "网格员上报", "Grid worker"],
  ["hotline-12345", "12345", "12345 hotline"],
  ["referral", "上级转办", "Referred from above"],
] as const;

function nowLocalIso(): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 16)}:00+08:00`;
}

export function Intake({ me }: { me: Me }) {
  const { t } = useI18n();
  const [packs, setPacks] = useState<PackRow[]>([]);
  const [pick, setPick] = useState("");
  const [engine, setEngine] = useState<Engine | null>(null);
  const [values, setValues] = useState<FactValues>({});
  const [title, setTitle] = useState("");
  const [channel, setChannel] = useState("visit");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ packs: PackRow[]; bindings?: Array<{ packId: string; version: string }> }>("/api/packs").then(
      (r) => {
        // The county's bound versions (the latest binding of each pack), else every published one.
        const latest = new Map<string, { packId: string; version: string }>();
        for (const b of r.bindings ?? []) latest.set(b.packId, b);
        const bound = latest.size ? [...latest.values()] : r.packs.filter((p) => p.status === "published");
        const rows = bound.map((b) => ({ packId: b.packId, version: b.version, status: "published" as const }));
        setPacks(rows);
        if (rows[0]) setPick(`${rows[0].packId}@${rows[0].version}`);
      },
      (e) => setIssues(issuesOf(e)),
    );
  }, []);

  useEffect(() => {
    if (!pick) return;
    const [id, version] = pick.split("@") as [string, string];
    setEngine(null);
    engineFor(id, version).then(
      (e) => setEngine(e),
      (err) => setIssues(issuesOf(err)),
    );
  }, [pick]);

  // The start fact (receivedAt) is stamped by the server from the database clock; live grading
  // counts from now.
  const facts = useMemo(() => nestFacts(values), [values]);
  const live = useMemo(() => (engine ? gradeLive(engine, { ...facts, [engine.pack.startFact]: nowLocalIso() }) : null), [engine, facts]);

  const submit = async () => {
    if (!engine) return;
    setBusy(true);
    setIssues([]);
    try {
      const r = await post<{ id: string; number?: string }>("/api/cases", { packId: engine.pack.id, unitId: me.roles.find((r) => r.role === "intake")?.unitId ?? me.roles[0]?.unitId, facts, title, channel });
      go(`case/${r.id}`);
    } catch (e) {
      setIssues(issuesOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid2">
      <Card title={t("登记 · 首问登记", "Intake")}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          data-testid="intake-form"
        >
          <div className="row">
            <label className="field" style={{ flex: 1 }}>
              <span className="name">{t("规则包", "Rule pack")}</span>
              <select value={pick} onChange={(e) => setPick(e.target.value)} name="pack">
                {packs.map((p) => (
                  <option key={`${p.packId}@${p.version}`} value={`${p.packId}@${p.version}`}>
                    {p.packId} {p.version}
                  </option>
                ))}
              </select>
            </label>
            <label className="field" style={{ flex: 1 }}>
              <span className="name">{t("来源渠道", "Channel")}</span>
              <select value={channel} onChange={(e) => setChannel(e.target.value)} name="channel">
                {CHANNELS.map(([id, zh, en]) => (
                  <option key={id} value={id}>
                    {t(zh, en)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="field">
            <span className="name">
              {t("事项摘要", "Summary")}
              <span className="req">*</span>
            </span>
            <input type="text" name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} aria-invalid={issues.some((i) => i.path.includes("title"))} />
            {issues.filter((i) => i.path.includes("title")).map((i, n) => (
              <IssueLine key={n} issue={i} />
            ))}
          </label>
          {engine ? <FactsForm facts={engine.pack.facts} skip={[engine.pack.startFact]} values={values} onChange={setValues} issues={[...issues, ...(live?.issues ?? []).filter((i) => i.code !== "MISSING_FACT")]} /> : <p className="muted">{t("载入规则包…", "Loading the pack…")}</p>}
          <Issues issues={issues.filter((i) => !i.path.some((p) => p === "facts"))} />
          <button className="primary" type="submit" disabled={busy || !engine}>
            {t("登记并定级", "Register and grade")}
          </button>
        </form>
      </Card>
      <Card title={t("即时定级", "Live grading")}>{engine && live ? <GradingView live={live} engine={engine} /> : null}</Card>
    </div>
  );
}
