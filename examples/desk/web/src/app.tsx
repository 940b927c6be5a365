import { lazy, Suspense, useEffect, useState } from "react";
import { get, post, session, type Me } from "./api.js";
import { useI18n, type Text } from "./i18n.js";
import { CasePage } from "./pages/case.js";
import { Dashboard } from "./pages/dashboard.js";
import { Intake } from "./pages/intake.js";
import { Queues } from "./pages/queues.js";
import { Scorecard } from "./pages/scorecard.js";
import { Issues, issuesOf, useUnitNames } from "./ui.js";
import type { Issue } from "./api.js";

// The playground (CodeMirror, the JSON language service) is its own chunk, loaded on first visit.
const Playground = lazy(() => import("./playground/playground.js"));

export const ROLE_LABELS: Record<string, Text> = {
  intake: { zh: "受理", en: "Intake" },
  dispatch: { zh: "分流", en: "Dispatch" },
  handler: { zh: "承办", en: "Handler" },
  unit_head: { zh: "单位负责人", en: "Unit head" },
  centre_head: { zh: "中心负责人", en: "Centre head" },
  supervisor: { zh: "督办", en: "Supervisor" },
  rule_editor: { zh: "规则编辑", en: "Rule editor" },
  rule_reviewer: { zh: "规则审核", en: "Rule reviewer" },
  auditor: { zh: "审计", en: "Auditor" },
  admin: { zh: "管理员", en: "Administrator" },
};

function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, "") || "queues").split("/").map(decodeURIComponent);
  const [r, setR] = useState(read);
  useEffect(() => {
    const on = () => setR(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return r;
}

export const go = (path: string) => {
  location.hash = `#/${path}`;
};

export function App() {
  const { t, lang, setLang } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const route = useRoute();
  const units = useUnitNames(me !== null);

  useEffect(() => {
    const out = () => setMe(null);
    addEventListener("desk:logout", out);
    if (session.token) get<Me>("/api/me").then(setMe, () => (session.token = null)).finally(() => setChecked(true));
    else setChecked(true);
    return () => removeEventListener("desk:logout", out);
  }, []);

  if (!checked) return null;
  if (!me) return <Login onIn={setMe} />;

  const [page, ...args] = route;
  const nav: Array<[string, Text]> = [
    ["queues", { zh: "工作台", en: "Queues" }],
    ["intake", { zh: "登记", en: "Intake" }],
    ["dashboard", { zh: "研判", en: "Dashboard" }],
    ["scorecard", { zh: "考核", en: "Scorecard" }],
    ["rules", { zh: "规则", en: "Rules" }],
  ];
  const role = me.roles[0];
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById("main")?.focus();
      }}>
        {t("跳到正文", "Skip to content")}
      </a>
      <header className="top">
        <h1>{t("综治中心案件台", "Case desk")}</h1>
        <nav aria-label={t("页面", "Pages")}>
          {nav.map(([id, label]) => (
            <a key={id} href={`#/${id}`} className={page === id || (page === "case" && id === "queues") ? "active" : ""} aria-current={page === id ? "page" : undefined}>
              {t(label)}
            </a>
          ))}
        </nav>
        <div className="who" data-testid="who">
          <div>
            <strong>{me.name}</strong> · {me.county}
          </div>
          <div>
            {me.roles.map((r) => `${t(ROLE_LABELS[r.role] ?? { zh: r.role, en: r.role })}${r.unitName ? `（${t(typeof r.unitName === "string" ? { zh: r.unitName, en: r.unitName } : r.unitName)}）` : r.unitId ? `（${units[r.unitId] ? t(units[r.unitId]) : r.unitId}）` : ""}`).join("、")}
          </div>
        </div>
        <button onClick={() => setLang(lang === "zh" ? "en" : "zh")} aria-label={t("切换到英文", "Switch to Chinese")} data-testid="lang">
          {lang === "zh" ? "English" : "中文"}
        </button>
        <button
          data-testid="logout"
          onClick={() => {
            // The server ends the session (the token stops working), then the page forgets it.
            void post("/api/logout")
              .catch(() => {})
              .finally(() => {
                session.token = null;
                setMe(null);
              });
          }}
        >
          {t("退出", "Sign out")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page === "queues" && <Queues me={me} />}
        {page === "intake" && <Intake me={me} />}
        {page === "case" && args[0] && <CasePage id={args[0]} me={me} />}
        {page === "dashboard" && <Dashboard />}
        {page === "scorecard" && <Scorecard />}
        {page === "rules" && (
          <Suspense fallback={<p>{t("正在载入规则编辑器…", "Loading the rules editor…")}</p>}>
            <Playground me={me} />
          </Suspense>
        )}
        {!["queues", "intake", "case", "dashboard", "scorecard", "rules"].includes(page ?? "") && <p>{t("页面不存在", "No such page")}</p>}
        {role ? null : <p className="muted">{t("此账号没有角色", "This account has no role")}</p>}
      </main>
    </>
  );
}

interface DemoUser {
  county: string;
  countyName?: Text;
  login: string;
  password?: string;
  name?: string;
  roles?: string[];
}

function Login({ onIn }: { onIn: (me: Me) => void }) {
  const { t, lang, setLang } = useI18n();
  const [demo, setDemo] = useState<DemoUser[]>([]);
  const [county, setCounty] = useState("");
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  // The form appears once the demo list has settled, so its county default never lands in the middle
  // of what someone is typing.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    get<{ users: DemoUser[] }>("/api/demo-users")
      .then(
        (r) => {
          setDemo(r.users);
          if (r.users[0]) setCounty((c) => c || r.users[0]!.county);
        },
        () => {},
      )
      .finally(() => setReady(true));
  }, []);
  const submit = async (u?: DemoUser) => {
    setBusy(true);
    setIssues([]);
    try {
      const body = u ? { county: u.county, login: u.login, password: u.password ?? "" } : { county, login, password };
      const r = await post<{ token: string; principal?: Me; user?: Me }>("/api/login", body);
      session.token = r.token;
      onIn(r.principal ?? r.user ?? (await get<Me>("/api/me")));
      if (!location.hash) location.hash = "#/queues";
    } catch (e) {
      setIssues(issuesOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <div className="card login">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2>{t("登录 · 综治中心案件台", "Sign in · Case desk")}</h2>
          <button onClick={() => setLang(lang === "zh" ? "en" : "zh")} data-testid="lang">
            {lang === "zh" ? "English" : "中文"}
          </button>
        </div>
        {ready ? null : <p className="muted">{t("载入中…", "Loading…")}</p>}
        <form
          hidden={!ready}
          aria-label={t("登录", "Sign in")}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label className="field">
            <span className="name">{t("县（区）代码", "County code")}</span>
            <input type="text" name="county" value={county} onChange={(e) => setCounty(e.target.value)} required autoComplete="organization" />
          </label>
          <label className="field">
            <span className="name">{t("账号", "Login")}</span>
            <input type="text" name="login" value={login} onChange={(e) => setLogin(e.target.value)} required autoComplete="username" />
          </label>
          <label className="field">
            <span className="name">{t("密码", "Password")}</span>
            <input type="password" name="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
          </label>
          <Issues issues={issues} />
          <button className="primary" type="submit" disabled={busy}>
            {t("登录", "Sign in")}
          </button>
        </form>
        {demo.length > 0 && (
          <div className="demo-users" style={{ marginTop: 16 }}>
            <p className="muted">{t("演示账号（密码均为 jiceng-demo，点击即登录）：", "Demo users (password jiceng-demo; click to sign in):")}</p>
            <label className="field">
              <span className="name">{t("演示县（区）", "Demo county")}</span>
              <select value={county} onChange={(e) => setCounty(e.target.value)} data-testid="demo-county">
                {[...new Map(demo.map((u) => [u.county, u])).values()].map((u) => (
                  <option key={u.county} value={u.county}>
                    {u.county} {u.countyName ? t(u.countyName) : ""}
                  </option>
                ))}
              </select>
            </label>
            {demo
              .filter((u) => u.county === county)
              .map((u) => (
                <button key={`${u.county}/${u.login}`} type="button" onClick={() => void submit(u)} data-login={u.login} disabled={busy}>
                  {u.name ?? u.login} · {(u.roles ?? []).map((r) => t(ROLE_LABELS[r] ?? { zh: r, en: r })).join("、")}
                </button>
              ))}
          </div>
        )}
      </div>
    </main>
  );
}
