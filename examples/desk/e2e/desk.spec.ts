import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { createEngine } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { ANKANG, api, daysAgo, drawsGlyph, focused, GUYUAN, LANXI, lintMarkerLines, login, parseCsv, PASSWORD, paste, shot, tabUntil, token, zhDay } from "./helpers.js";

const XIJI = "640422";
/** The rule-pack JSON Schema the playground's hover and completion come from. */
const SCHEMA = JSON.parse(readFileSync(new URL("../../../packages/core/schema/rule-pack.schema.json", import.meta.url), "utf8")) as {
  definitions: Record<string, { properties?: Record<string, { description?: string }>; defaultSnippets?: Array<{ label: string; body: Record<string, unknown> }> }>;
};

interface CaseBody {
  id: string;
  number: string;
  version: number;
  level: { id: string };
  state: string;
}

test.describe.configure({ mode: "serial" });

test("login: the demo users, and the header shows user, unit and role; Chinese first with an English toggle; nothing fetched from another origin (no CDN fonts)", async ({ page, baseURL }) => {
  const origins = new Set<string>();
  page.on("request", (r) => {
    if (!r.url().startsWith("data:") && !r.url().startsWith("blob:")) origins.add(new URL(r.url()).origin);
  });
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: /登录/ })).toBeVisible();
  await shot(page, "01-login", "login");
  expect(await drawsGlyph(page, "登")).toBe(true);
  await login(page, "intake");
  await expect(page.getByTestId("who")).toContainText("受理员");
  await expect(page.getByTestId("who")).toContainText("受理");
  await page.getByTestId("lang").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Queues" })).toBeVisible();
  await expect(page.getByTestId("who")).toContainText("Intake");
  await page.getByTestId("lang").click();
  await expect(page.getByRole("link", { name: "工作台" })).toBeVisible();
  for (const link of ["登记", "研判", "考核", "规则"]) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await expect(page.locator("main")).not.toContainText("载入中");
  }
  await expect(page.locator(".cm-content")).toBeVisible();
  expect([...origins]).toEqual([new URL(baseURL!).origin]);
  // 退出: the server ends the session — the old token is refused — and the page is back at the login.
  const old = await page.evaluate(() => sessionStorage.getItem("desk.token"));
  expect(old).toBeTruthy();
  await page.getByTestId("logout").click();
  await expect(page.getByRole("heading", { name: /登录/ })).toBeVisible();
  await expect(page.getByTestId("who")).toHaveCount(0);
  expect(await page.evaluate(() => sessionStorage.getItem("desk.token"))).toBeNull();
  const me = await page.request.get("/api/me", { headers: { authorization: `Bearer ${old}` } });
  expect(me.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole("heading", { name: /登录/ })).toBeVisible();
});

test("intake: a form from the pack's facts grades live — level, rule, clause with the quoted words, why not a more severe level — and submits to the case page", async ({ page }) => {
  await login(page, "intake");
  await page.getByRole("link", { name: "登记" }).click();
  const form = page.getByTestId("intake-form");
  await expect(form.locator("[data-fact=source] select")).toBeVisible();
  // required marked, enums as selects, booleans as switches, nested facts grouped
  await expect(form.locator("[data-fact=source] .req")).toBeVisible();
  await expect(form.locator("fieldset[data-group=risks] [data-fact='risks.homicide'] input[role=switch]")).toBeVisible();
  await form.locator("input[name=title]").fill("邻里纠纷，扬言伤人");
  await form.locator("[data-fact=source] select").selectOption("public");
  await form.locator("[data-fact=type] select").selectOption("dispute");
  await form.locator("[data-fact=area] select").selectOption("neighbour");
  await form.locator("[data-fact=unitCode] input").fill("01");
  await form.locator("[data-fact=subunitCode] input").fill("01");
  const grading = page.getByTestId("grading");
  await expect(grading).toHaveAttribute("data-level", "yellow");
  await expect(grading.locator("[data-rejected=red]")).toBeVisible();
  // typing a red risk regrades at once, with the rule's clause and its quoted words
  await form.locator("[data-fact='risks.homicide'] input").check();
  await expect(grading).toHaveAttribute("data-level", "red");
  await expect(grading.locator("[data-rule=red-homicide] [data-testid=cite]")).toContainText("§二(三)7");
  await expect(grading.locator("[data-rule=red-homicide] blockquote")).toContainText("命案");
  await shot(page, "02-intake-red", "intake");
  await form.locator("[data-fact='risks.homicide'] input").uncheck();
  await expect(grading).toHaveAttribute("data-level", "yellow");
  await page.getByRole("button", { name: "登记并定级" }).click();
  await expect(page).toHaveURL(/#\/case\//);
  await expect(page.getByTestId("case-number")).toHaveText(/^\d+/);
  await expect(page.getByTestId("timeline").locator("li")).toHaveCount(1);
  await shot(page, "03-case-new");
});

test("keyboard only: sign in, reach 登记, fill the intake and submit it, then an event form — Tab order, bound labels, visible focus, Enter submits", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await expect(page.locator("input[name=county]")).toBeVisible();
  // The login form in Tab order, each stop labelled and drawn with a focus ring.
  const order = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    order.push(await focused(page));
  }
  expect(order.map((f) => f.testid || f.name || f.label)).toEqual(["lang", "county", "login", "password", "登录"]);
  for (const f of order) {
    expect(f.label, JSON.stringify(f)).not.toBe("");
    expect(f.ring, `${f.name || f.label} shows its focus`).toBe(true);
  }
  await tabUntil(page, (f) => f.name === "county", { back: true });
  await page.keyboard.press("Control+A");
  await page.keyboard.type(GUYUAN);
  await page.keyboard.press("Tab");
  await page.keyboard.type("admin");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("who")).toContainText(GUYUAN);

  // The first stop skips to the content; the navigation is links in order.
  await page.keyboard.press("Tab");
  expect((await focused(page)).label).toBe("跳到正文");
  await tabUntil(page, (f) => f.tag === "a" && f.label === "登记");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/intake/);
  await expect(page.locator("[data-fact=source] select")).toBeVisible();

  // Walk the whole intake form with Tab, filling it as a clerk would.
  const want: Record<string, string> = { source: "public", type: "dispute", area: "neighbour" };
  const stops = await tabUntil(page, (f) => f.formTestid === "intake-form" && f.name === "title", { max: 40 });
  await page.keyboard.type("键盘登记：邻里纠纷");
  const walked = [stops.at(-1)!];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (f.formTestid !== "intake-form") break;
    walked.push(f);
    if (f.tag === "select" && want[f.name]) {
      for (let k = 0; k < 30 && (await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)) !== want[f.name]; k++) await page.keyboard.press("ArrowDown");
      expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).toBe(want[f.name]);
    }
    if (f.name === "unitCode" || f.name === "subunitCode") await page.keyboard.type("01");
    if (f.name === "risks.homicide") await page.keyboard.press("Space");
    if (f.tag === "button") break;
  }
  for (const f of walked) {
    expect(f.label, `${f.tag} ${f.name} has a bound label`).not.toBe("");
    expect(f.ring, `${f.name || f.label} shows its focus`).toBe(true);
  }
  expect(walked.map((f) => f.name)).toEqual(expect.arrayContaining(["title", "source", "type", "area", "unitCode", "subunitCode", "risks.homicide"]));
  expect(walked.at(-1)!.label).toBe("登记并定级");
  await expect(page.getByTestId("grading")).toHaveAttribute("data-level", "red");
  // Enter in a text field submits the form.
  await tabUntil(page, (f) => f.tag === "input" && f.type === "text", { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/case\//);
  await expect(page.getByTestId("case-version")).toHaveText("1");

  // An event form from its button: Enter opens it with the focus inside, Enter in a field submits it.
  await tabUntil(page, (f) => f.action === "assign", { max: 60 });
  await page.keyboard.press("Enter");
  await expect(page.locator("[data-event-form=assign]")).toBeVisible();
  const first = await focused(page);
  expect(first.eventForm).toBe("assign");
  const fill: Record<string, string> = { leadUnit: "开城镇", responsiblePerson: "赵六" };
  const seen = [first];
  let dated = false;
  for (let f = first, i = 0; f.eventForm === "assign" && f.tag !== "button" && i < 20; i++) {
    if (fill[f.name]) await page.keyboard.type(fill[f.name]!);
    if (f.name === "deadline" && !dated) {
      await typeDate(page, withinYellowLimit());
      dated = true;
    }
    await page.keyboard.press("Tab");
    f = await focused(page);
    seen.push(f);
  }
  for (const f of seen) {
    expect(f.label, `${f.name} has a bound label`).not.toBe("");
    expect(f.ring, `${f.name || f.label} shows its focus`).toBe(true);
  }
  await expect(page.locator("[data-event-form=assign] [data-field=deadline] input")).toHaveValue(withinYellowLimit());
  await tabUntil(page, (f) => f.name === "responsiblePerson", { back: true });
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("case-version")).toHaveText("2");
  await expect(page.getByTestId("timeline").locator("li[data-type=assign]")).toHaveCount(1);
});

/** How many days ago a Guyuan case with these facts must have come in to be due soon now: warned, and due more than an hour from now. */
function dueSoonDaysAgo(facts: Record<string, unknown>): number {
  const engine = createEngine(guyuan);
  for (let days = 30; days <= 45; days++) {
    const { warnAt, dueAt } = engine.assess({ ...facts, receivedAt: daysAgo(days) } as Parameters<typeof engine.assess>[0]);
    if (warnAt !== undefined && Date.parse(warnAt) <= Date.now() && Date.parse(dueAt) > Date.now() + 3_600_000) return days;
  }
  throw new Error("no intake 30–45 days ago makes a red Guyuan case due soon today");
}

test("time passes: red cases taken in earlier (the import path) show in 超期 and 临期 with their lights, countdown and clause", async ({ page, request }) => {
  const admin = await token(request, "admin");
  const facts = { source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01", risks: { massIncident: true } };
  // Red gives 45 days and warns 7 days before: 50 days ago is overdue. Which day makes a case due soon
  // today depends on the calendar (a deadline on a rest day moves to the next working day), so it is
  // computed on the pack's own calendar, not assumed (40 days ago was not due soon on 7 December 2026).
  const overdue = await api<CaseBody>(request, admin, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "import", title: "群体性事件苗头（导入）", facts, at: daysAgo(50) });
  expect(overdue.status, JSON.stringify(overdue.body)).toBe(201);
  expect(overdue.body.level.id).toBe("red");
  const soon = await api<CaseBody>(request, admin, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "import", title: "群体性事件苗头（临期）", facts, at: daysAgo(dueSoonDaysAgo(facts)) });
  expect(soon.status, JSON.stringify(soon.body)).toBe(201);

  await login(page, "head");
  await page.locator("[data-queue=overdue]").click();
  const row = page.locator(`[data-case="${overdue.body.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-light=red]")).toBeVisible();
  await expect(row.locator("[data-level=red]")).toBeVisible();
  await expect(row).toContainText(/超期 \d+天/);
  await shot(page, "04-queues-overdue", "queues");
  await page.locator("[data-queue=due_soon]").click();
  const soonRow = page.locator(`[data-case="${soon.body.id}"]`);
  await expect(soonRow).toBeVisible();
  await expect(soonRow.locator("[data-light=yellow]")).toBeVisible();
  await expect(soonRow).toContainText(/剩 \d+天/);
  // the counts on the tabs are numbers, and the case page keeps the reason and clause
  await expect(page.locator("[data-queue=overdue] .count")).toHaveText(/^[\d,]+$/);
  await row.or(soonRow).first().locator("a").first().click().catch(() => {});
  await page.goto(`/#/case/${overdue.body.id}`);
  await expect(page.locator("[data-rule=red-mass-incident] [data-testid=cite]")).toContainText("§二(三)7");
});

test("a case through the buttons: assign → 签收 → progress → resolve → close (Guyuan assigns by hand; Lanxi dispatches automatically, then 签收)", async ({ page, request }) => {
  // Guyuan: the 责任清单 assignment through its form.
  const gt = await token(request, "intake");
  const g = await api<CaseBody>(request, gt, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "visit", title: "土地承包纠纷", facts: { source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "02" } });
  expect(g.status, JSON.stringify(g.body)).toBe(201);
  await login(page, "admin");
  await page.goto(`/#/case/${g.body.id}`);
  await page.locator("[data-action=assign]").click();
  await page.locator("[data-event-form=assign] [data-field=leadUnit] input").fill("开城镇");
  await page.locator("[data-event-form=assign] [data-field=responsiblePerson] input").fill("王五");
  await page.locator("[data-event-form=assign] [data-field=deadline] input").fill(withinYellowLimit());
  await page.getByTestId("submit-event").click();
  await expect(page.getByTestId("case-version")).toHaveText("2");
  await expect(page.getByTestId("timeline").locator("li[data-type=assign]")).toHaveCount(1);
  await shot(page, "05-case-assigned");
  const tok = await token(request, "intake", LANXI);
  const c = await api<CaseBody>(request, tok, "POST", "/api/cases", { packId: "lanxi", unitId: "county", channel: "grid", title: "河道污染", facts: { township: "诸葛镇", source: "grid-worker", category: "environment" } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  await login(page, "admin", LANXI);
  await page.goto(`/#/case/${c.body.id}`);
  const steps: Array<[string, (p: typeof page) => Promise<void>]> = [
    ["acknowledge", async () => {}],
    ["progress", async (p) => p.locator("[data-event-form=progress] [data-field=note] textarea").fill("已约谈排污企业")],
    // Lanxi's 日常督办 (§四(三)2): the command room's supervision record comes before the report back.
    ["supervise", async (p) => p.locator("[data-event-form=supervise] [data-field=note] textarea").fill("日常督办：要求三日内反馈")],
    ["resolve", async (p) => p.locator("[data-event-form=resolve] [data-field=note] textarea").fill("企业停止排放，河道清理完毕")],
  ];
  for (const [type, fill] of steps) {
    const before = Number(await page.getByTestId("case-version").textContent());
    await page.locator(`[data-action=${type}]`).click();
    await fill(page);
    await page.getByTestId("submit-event").click();
    await expect(page.getByTestId("case-version")).toHaveText(String(before + 1));
  }
  await page.locator("[data-action=close]").click();
  await page.getByTestId("submit-event").click();
  await expect(page.getByTestId("case-state")).toHaveAttribute("data-state", "closed");
  await expect(page.getByTestId("timeline").locator("li[data-type=acknowledge]")).toHaveCount(1);
  await shot(page, "06-case-closed");
});

test("an incomplete action shows core's Chinese issue at its field and changes nothing", async ({ page, request }) => {
  const tok = await token(request, "intake");
  const c = await api<CaseBody>(request, tok, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "visit", title: "宅基地纠纷", facts: { source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01" } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  await login(page, "dispatch");
  await page.goto(`/#/case/${c.body.id}`);
  await page.locator("[data-action=assign]").click();
  // Guyuan's 责任清单 needs the lead unit, the person and the time limit: give only the lead unit.
  await page.locator("[data-event-form=assign] [data-field=leadUnit] input").fill("开城镇");
  await page.getByTestId("submit-event").click();
  const issue = page.locator("[data-event-form=assign] [data-field=responsiblePerson] .issue");
  await expect(issue).toBeVisible();
  await expect(issue).toContainText(/[\u4e00-\u9fff]/);
  await expect(page.locator("[data-event-form=assign] [data-field=leadUnit] input")).toHaveValue("开城镇");
  await expect(page.getByTestId("case-version")).toHaveText("1");
  await shot(page, "07-case-refused", "case");
  const after = await api<CaseBody>(request, tok, "GET", `/api/cases/${c.body.id}`);
  expect(after.body.version).toBe(1);
  expect(after.body.state).toBe(c.body.state);
});

test("two pages on one case: the second gets 案件已被他人更新, keeps what it typed, and reloads", async ({ browser, request }) => {
  const tok = await token(request, "intake");
  const c = await api<CaseBody>(request, tok, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "phone", title: "婚姻家庭矛盾", facts: { source: "public", type: "dispute", area: "marriage-family", unitCode: "02", subunitCode: "01" } });
  expect(c.status).toBe(201);
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await login(a, "admin");
  await login(b, "admin");
  await a.goto(`/#/case/${c.body.id}`);
  await b.goto(`/#/case/${c.body.id}`);
  for (const p of [a, b]) {
    await p.locator("[data-action=assign]").click();
    await p.locator("[data-event-form=assign] [data-field=leadUnit] input").fill("三营镇");
    await p.locator("[data-event-form=assign] [data-field=responsiblePerson] input").fill(p === a ? "张三" : "李四");
    await p.locator("[data-event-form=assign] [data-field=deadline] input").fill(withinYellowLimit());
  }
  await a.getByTestId("submit-event").click();
  await expect(a.getByTestId("case-version")).toHaveText("2");
  await b.getByTestId("submit-event").click();
  await expect(b.getByTestId("conflict")).toContainText("案件已被他人更新");
  await expect(b.locator("[data-event-form=assign] [data-field=responsiblePerson] input")).toHaveValue("李四");
  await shot(b, "08-case-conflict");
  await b.getByRole("button", { name: "重新载入" }).click();
  await expect(b.getByTestId("case-version")).toHaveText("2");
  await expect(b.getByTestId("conflict")).toHaveCount(0);
});

test("研判 dashboard: counts by level, unit and state; overdue and awaiting-decision lists; the meeting lists", async ({ page }) => {
  await login(page, "head");
  await page.getByRole("link", { name: "研判" }).click();
  await expect(page.locator("[data-pack^=guyuan]")).toBeVisible();
  await expect(page.locator("[data-list=overdue] a").first()).toBeVisible();
  await expect(page.locator("[data-agenda=weekly]")).toBeVisible();
  await expect(page.locator("[data-agenda=monthly]")).toBeVisible();
  await expect(page.locator("[data-agenda=quarterly]")).toBeVisible();
  // One row per state, each with its own name (two states once both read 正在化解).
  const g = page.locator("[data-pack^=guyuan]");
  const stateRows = g.locator("[data-count-by=state] tbody tr");
  expect(await stateRows.count()).toBeGreaterThan(1);
  const stateNames = await stateRows.locator("td:first-child").allTextContents();
  expect(new Set(stateNames).size, stateNames.join(" · ")).toBe(stateNames.length);
  // Units by name, not id.
  await expect(g.locator("[data-count-by=unit] tbody tr").first().locator("td").first()).toHaveText(/[\u4e00-\u9fff]/);
  // The meetings' periods end on their last day: a week is Monday–Sunday (7 days, the end inclusive).
  for (const kind of ["weekly", "monthly", "quarterly"]) {
    const range = g.locator(`[data-agenda=${kind}]`).locator("xpath=ancestor::section[1]").locator("[data-range]");
    const [from, to] = (await range.getAttribute("data-range"))!.split("/") as [string, string];
    const last = Date.parse(to) - 1;
    await expect(range).toHaveText(`${zhDay(Date.parse(from))} – ${zhDay(last)}`);
    if (kind === "weekly") expect(Math.round((last - Date.parse(from)) / 86_400_000)).toBe(7);
  }
  await expect(page.getByTestId("as-of")).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  await shot(page, "09-dashboard", "dashboard");
});

test("考核: the scorecard renders its charts with Chinese glyphs (not tofu); the CSV and 台账 the download buttons fetch", async ({ page, request }) => {
  await login(page, "head");
  await page.getByRole("link", { name: "考核" }).click();
  await page.locator("input[name=period]").fill(String(new Date().getFullYear()));
  await page.getByRole("button", { name: "生成" }).click();
  const frame = page.frameLocator("[data-testid=scorecard-frame]");
  await expect(frame.locator("svg").first()).toBeVisible();
  const svgText = await frame.locator("svg text").allTextContents();
  const chinese = svgText.join("").match(/[\u4e00-\u9fff]/g) ?? [];
  expect(chinese.length).toBeGreaterThan(0);
  for (const ch of new Set(chinese.slice(0, 20))) expect(await drawsGlyph(page, ch), ch).toBe(true);
  await shot(page, "10-scorecard", "scorecard");
  const year = String(new Date().getFullYear());
  const tok = await token(request, "head");

  // 下载 CSV: the file the browser saves, parsed, holds the scorecard's units and counts (as its JSON says).
  const [csvFile] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 CSV" }).click()]);
  expect(csvFile.suggestedFilename()).toMatch(/^scorecard-guyuan-\d{4}\.csv$/);
  const rows = parseCsv(readFileSync((await csvFile.path())!, "utf8"));
  const card = (await api<{ kpis: Array<{ id: string; kind: string }>; units: Array<{ key: string; kpis: Record<string, { kind: string; value: number | null }> }>; total: { key: string } }>(request, tok, "GET", `/api/scorecard?period=${year}&format=json&packId=guyuan`)).body;
  const head = rows[0]!;
  expect(head[0]).toBe("unit");
  const body = rows.slice(1);
  expect(body.map((r) => r[0])).toEqual(expect.arrayContaining([...card.units.map((u) => u.key), card.total.key]));
  const counts = card.kpis.filter((k) => k.kind === "count");
  expect(counts.length).toBeGreaterThan(0);
  for (const k of counts) {
    const col = head.findIndex((h) => h.endsWith(`[${k.id}]`));
    expect(col, k.id).toBeGreaterThan(1);
    for (const u of card.units) expect(body.find((r) => r[0] === u.key)![col], `${u.key} ${k.id}`).toBe(String(u.kpis[k.id]!.value));
  }

  // 导出台账: the .xlsx the browser saves opens in exceljs; each level cell is filled in its level's colour.
  const [xlsxFile] = await Promise.all([page.waitForEvent("download"), page.getByTestId("ledger").click()]);
  expect(xlsxFile.suggestedFilename()).toMatch(/\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await xlsxFile.path())!);
  const sheet = wb.worksheets.find((w) => w.name.startsWith("问题清单"))!;
  expect(sheet).toBeDefined();
  const levelCol = (sheet.getRow(1).values as unknown[]).findIndex((v) => String(v).startsWith("等级"));
  expect(levelCol).toBeGreaterThan(0);
  const guyuan = (await api<{ content: { levels: Array<{ label: { zh: string }; colour?: string }> } }>(request, tok, "GET", "/api/packs/guyuan/1.0.0")).body.content;
  const rgb = (argb: string) => [1, 3, 5].map((i) => parseInt(argb.slice(2).slice(i - 1, i + 1), 16)) as [number, number, number];
  const hue: Record<string, (c: [number, number, number]) => boolean> = {
    red: ([r, g, b]) => r > 0xc0 && g < 0x70 && b < 0x70,
    orange: ([r, g, b]) => r > 0xc0 && g >= 0x70 && g < 0xc0 && b < 0x60,
    yellow: ([r, g, b]) => r > 0xc0 && g >= 0xc0 && b < 0x80,
  };
  let checked = 0;
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cell = row.getCell(levelCol);
    const level = guyuan.levels.find((l) => String(cell.value).startsWith(l.label.zh));
    if (!level?.colour || !hue[level.colour]) return;
    const argb = (cell.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
    expect(argb, `row ${n} ${String(cell.value)}`).toBeDefined();
    expect(hue[level.colour]!(rgb(argb!)), `row ${n}: ${String(cell.value)} filled ${argb}`).toBe(true);
    checked++;
  });
  expect(checked).toBeGreaterThan(0);
});

test("规则 playground: a typo flagged at its line, grading against the edited pack, a broken pack saved as a draft but never published, four eyes", async ({ browser, request }) => {
  const tok = await token(request, "editor");
  const original = (await api<{ content: unknown }>(request, tok, "GET", "/api/packs/guyuan/1.0.0")).body.content;
  const pretty = JSON.stringify(original, null, 2);
  const page = await (await browser.newContext()).newPage();
  await login(page, "editor");
  await page.getByRole("link", { name: "规则" }).click();
  await page.getByTestId("pack-version").selectOption("guyuan@1.0.0");
  const editor = page.locator(".cm-content");
  await expect(editor).toContainText('"id": "guyuan"');
  // A misspelled key: flagged by core's loader at the line of the key, in Chinese and English.
  const typo = pretty.replace('"version": "1.0.0"', '"versoin": "1.0.1-broken"');
  await paste(page, editor, typo);
  const typoLine = typo.split("\n").findIndex((l) => l.includes('"versoin"')) + 1;
  const flagged = page.getByTestId("lint-list").locator("li", { hasText: "versoin" }).first();
  await expect(flagged).toBeVisible();
  await expect(flagged).toHaveAttribute("data-line", String(typoLine));
  // The lint gutter marks that line (jump there first: the editor draws only the lines in view).
  await flagged.getByRole("button").click();
  await expect.poll(() => lintMarkerLines(page)).toContain(typoLine);
  await shot(page, "11-playground-typo");

  // Hover and completion come from the rule-pack JSON Schema (what VS Code shows): a key's zh/en description…
  const root = SCHEMA.definitions["RulePack"]!.properties!;
  await paste(page, editor, pretty);
  await page.keyboard.press("Control+Home");
  await expect(page.locator(".cm-line", { hasText: '"id": "guyuan"' })).toBeVisible();
  await hoverKey(page, "id", '"id": "guyuan"');
  const [zhId, enId] = root["id"]!.description!.split(" / ") as [string, string];
  await expect(page.locator(".cm-tooltip-hover")).toContainText(zhId);
  await expect(page.locator(".cm-tooltip-hover")).toContainText(enId);
  // …the keys a pack may still have (not those it has), completed as the user types…
  await paste(page, editor, '{\n  "id": "x",\n  \n}');
  await page.locator(".cm-line").nth(2).click();
  await page.keyboard.press("End");
  await page.keyboard.type('"le');
  await page.keyboard.press("Control+Space");
  const options = page.locator(".cm-tooltip-autocomplete li");
  await expect(options.filter({ hasText: /^levels/ })).toHaveCount(1);
  await expect(options.filter({ hasText: /^id$/ })).toHaveCount(0);
  await acceptCompletion(page, /^levels/);
  await expect(editor).toContainText('"levels"');
  // …and the schema's snippets: a new level inside "levels".
  const snippet = SCHEMA.definitions["Level"]!.defaultSnippets![0]!;
  await paste(page, editor, '{\n  "levels": [\n    \n  ]\n}');
  await page.locator(".cm-line").nth(2).click();
  await page.keyboard.press("Control+Space");
  await expect(options.filter({ hasText: snippet.label })).toHaveCount(1);
  await shot(page, "11b-playground-completion");
  await acceptCompletion(page, snippet.label);
  for (const key of Object.keys(snippet.body)) await expect(editor).toContainText(`"${key}"`);
  // The editor does not trap the keyboard: Tab leaves it.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  expect((await focused(page)).inEditor).toBe(false);
  // Broken (no version at all): saved as a draft is refused without an id and version, so give
  // one and keep an unknown operator instead — a draft, never published.
  const broken = pretty.replace('"version": "1.0.0"', '"version": "1.0.1-broken"').replace('"operator": "equal"', '"operator": "equals"');
  await paste(page, editor, broken);
  await expect(page.getByTestId("lint-list").locator("li[data-code=UNKNOWN_OPERATOR]").first()).toBeVisible();
  await page.getByTestId("save-draft").click();
  await expect(page.getByTestId("pack-note")).toContainText("草稿");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("pack-note")).toContainText("待审核");
  const reviewer = await (await browser.newContext()).newPage();
  await login(reviewer, "reviewer");
  await reviewer.getByRole("link", { name: "规则" }).click();
  await reviewer.getByTestId("pack-version").selectOption("guyuan@1.0.1-broken");
  // The playground's buttons by keyboard: after the version picker, in order, each with its focus ring.
  await reviewer.getByTestId("pack-version").focus();
  const buttons = [];
  for (let i = 0; i < 2; i++) {
    await reviewer.keyboard.press("Tab");
    buttons.push(await focused(reviewer));
  }
  expect(buttons.map((b) => b.testid)).toEqual(["save-draft", "publish"]);
  for (const b of buttons) expect(b.ring, b.testid).toBe(true);
  await reviewer.keyboard.press("Enter");
  await expect(reviewer.locator(".banner.error")).toBeVisible();
  // A good edit: major → complex makes a complex case red; graded live against the edited pack.
  await page.getByTestId("pack-version").selectOption("guyuan@1.0.0");
  await expect(page.getByTestId("diff")).toContainText("与已发布版本相同");
  // The local values core's lint lists (values the document does not give, each with its note).
  await expect(page.getByTestId("locals").locator("li").first()).toBeVisible();
  await expect(page.getByTestId("locals").locator("li").first()).toContainText(/[\u4e00-\u9fff]/);
  // Edit the rule red-major-complex itself (the fact's enum also lists "major" earlier in the file).
  const rule = pretty.indexOf('"id": "red-major-complex"');
  const at = pretty.indexOf('"value": "major"', rule);
  expect(rule).toBeGreaterThan(-1);
  expect(at).toBeGreaterThan(rule);
  const edited = (pretty.slice(0, at) + '"value": "complex"' + pretty.slice(at + '"value": "major"'.length)).replace('"version": "1.0.0"', '"version": "1.1.0"');
  await paste(page, editor, edited);
  await expect(page.getByTestId("lint-list").locator("li[data-code]")).toHaveCount(0);
  await page.locator("[data-fact=source] select").selectOption("public");
  await page.locator("[data-fact=type] select").selectOption("dispute");
  await page.locator("[data-fact=area] select").selectOption("neighbour");
  await page.locator("[data-fact=unitCode] input").fill("01");
  await page.locator("[data-fact=subunitCode] input").fill("01");
  await page.locator("[data-fact=difficulty] select").selectOption("complex");
  await expect(page.getByTestId("grading")).toHaveAttribute("data-level", "red");
  await expect(page.getByTestId("diff").locator("li[data-kind=changed]").first()).toBeVisible();
  await shot(page, "12-playground-graded", "playground");
  await page.getByTestId("save-draft").click();
  await expect(page.getByTestId("pack-note")).toContainText("1.1.0");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("pack-note")).toContainText("待审核");
  // The author cannot publish (four eyes); the reviewer can.
  await page.getByTestId("publish").click();
  await expect(page.locator(".banner.error")).toBeVisible();
  await reviewer.reload();
  await reviewer.getByTestId("pack-version").selectOption("guyuan@1.1.0");
  await reviewer.getByTestId("publish").click();
  await expect(reviewer.getByTestId("pack-note")).toContainText("已发布");
  await shot(reviewer, "13-playground-published");
});

test("Ankang in the playground: the table gaps and overlaps with their counter-examples", async ({ page }) => {
  await login(page, "editor", ANKANG);
  await page.getByRole("link", { name: "规则" }).click();
  await page.getByTestId("pack-version").selectOption("ankang@1.0.0");
  await page.getByTestId("analyze").click();
  await expect(page.locator("[data-finding=gap]").first()).toBeVisible({ timeout: 60_000 });
  await page.locator("[data-finding=gap] summary").first().click();
  await expect(page.locator("[data-finding=gap] pre").first()).toContainText("{");
  await shot(page, "14-playground-tables");
});

test("numbers and dates: thousands separators; 2022年6月20日 10:00 in Chinese (20 Jun 2022, 10:00 in English) in the queues and the timeline; deadlines end at 24:00 of their last day", async ({ page }) => {
  await login(page, "head", GUYUAN);
  await page.goto("/#/queues");
  await page.locator("[data-queue=overdue]").click();
  const due = page.locator("[data-case] td [data-iso]").first();
  await expect(due).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  // A period ends at 24:00 of its last day (core stores 00:00 of the next): the day shown is the last day.
  const iso = (await due.getAttribute("data-iso"))!;
  const midnight = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso)) === "00:00";
  if (midnight) await expect(due).toHaveText(`${zhDay(Date.parse(iso) - 1)} 24:00`);
  // The timeline speaks dates, never ISO strings, in both languages.
  await due.locator("xpath=ancestor::tr[1]").locator("a").first().click();
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator("li").first()).toBeVisible();
  await expect(timeline).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(timeline.locator("time").first()).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  await expect(timeline.locator("li").first()).toContainText(/\d{4}年\d{1,2}月\d{1,2}日 24:00/);
  await page.getByTestId("lang").click();
  await expect(timeline.locator("time").first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
  await expect(timeline).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await page.getByTestId("lang").click();
});

test("the provisional mark: a deadline counted past the last loaded holiday notice is marked in the queue and on the case page", async ({ page, request }) => {
  const tok = await token(request, "intake");
  // Red: 45 days — into next year, whose State Council notice may not be loaded yet.
  const c = await api<CaseBody & { provisional: boolean }>(request, tok, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "visit", title: "暂定日历", facts: { source: "public", type: "dispute", area: "neighbour", unitCode: "03", subunitCode: "01", risks: { homicide: true } } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const health = (await (await request.get("/healthz")).json()) as { calendars: Array<{ packId?: string; pack?: string; provisionalLevels: string[] }> };
  const cal = health.calendars.find((x) => (x.packId ?? x.pack ?? "").startsWith("guyuan"));
  expect(cal, JSON.stringify(health.calendars)).toBeDefined();
  const provisional = cal!.provisionalLevels.includes("red");
  expect(c.body.provisional).toBe(provisional);
  await login(page, "head");
  await page.locator("[data-queue=mine]").click();
  await page.getByPlaceholder("按编号查找").fill(c.body.number);
  const row = page.locator(`[data-case="${c.body.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator(".provisional")).toHaveCount(provisional ? 1 : 0);
  await page.goto(`/#/case/${c.body.id}`);
  await expect(page.getByTestId("case-version")).toHaveText("1");
  await expect(page.locator(".provisional")).toHaveCount(provisional ? 1 : 0);
});

test("Xiji: the assignment form asks for the 四定 by the pack's names; closing asks for the 五不放过 and refuses without them", async ({ page, request }) => {
  const tok = await token(request, "intake", XIJI);
  const c = await api<CaseBody>(request, tok, "POST", "/api/cases", { packId: "xiji", unitId: "county", channel: "visit", title: "地界纠纷", facts: { township: "将台堡镇", category: "邻里纠纷·地界", area: "neighbour", peopleInvolved: 2 } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  await login(page, "admin", XIJI);
  await page.goto(`/#/case/${c.body.id}`);
  await page.locator("[data-action=assign]").click();
  const form = page.locator("[data-event-form=assign]");
  await expect(form.getByTestId("assignment-label")).toContainText("四定");
  await expect(form.getByTestId("duties")).toContainText("包风险化解");
  for (const [field, name] of [["responsibleLeader", "责任领导"], ["responsiblePerson", "责任人"], ["measures", "化解措施"], ["deadline", "化解时限"]] as const) {
    await expect(form.locator(`[data-field=${field}] .name`)).toContainText(name);
    await expect(form.locator(`[data-field=${field}] .req`)).toBeVisible();
  }
  await form.getByLabel("责任领导").fill("马镇长");
  await form.getByLabel("责任人").fill("李四");
  await form.getByLabel("化解措施").fill("现场勘界，调解");
  await form.getByLabel("化解时限").fill(withinYellowLimit());
  await page.getByTestId("submit-event").click();
  await expect(page.getByTestId("case-version")).toHaveText("2");
  await expect(page.getByTestId("timeline").locator("li[data-type=assign]")).toHaveCount(1);
  // Through the buttons to closing.
  for (let i = 0; i < 4 && (await page.locator("[data-action=close]").count()) === 0; i++) {
    const next = (await page.locator("[data-action=resolve]").count()) ? "resolve" : (await page.locator("[data-action=acknowledge]").count()) ? "acknowledge" : "follow-up";
    const before = Number(await page.getByTestId("case-version").textContent());
    await page.locator(`[data-action=${next}]`).click();
    const note = page.locator(`[data-event-form=${next}] [data-field=note] textarea`);
    if (await note.count()) await note.fill("双方签订调解协议，界桩已立");
    await page.getByTestId("submit-event").click();
    await expect(page.getByTestId("case-version")).toHaveText(String(before + 1));
  }
  await page.locator("[data-action=close]").click();
  const close = page.locator("[data-event-form=close]");
  const checklist = close.locator("fieldset[data-field=confirmations]");
  await expect(checklist.locator("legend")).toContainText("五不放过");
  await expect(checklist.locator("input[type=checkbox]")).toHaveCount(5);
  const version = await page.getByTestId("case-version").textContent();
  await page.getByTestId("submit-event").click();
  await expect(checklist.locator(".issue")).toContainText(/[\u4e00-\u9fff]/);
  await expect(page.getByTestId("case-version")).toHaveText(version!);
  for (const box of await checklist.locator("input[type=checkbox]").all()) await box.check();
  await page.getByTestId("submit-event").click();
  await expect(page.getByTestId("case-state")).toHaveAttribute("data-state", "closed");
  await shot(page, "15-xiji-closed");
});

/** A 办结时限 three days from today in Beijing: within the yellow limit (7 days, 固原 §二(三)8), which the pack now holds an assignment to. */
function withinYellowLimit(): string {
  return new Date(Date.now() + 8 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
}

/** Moves the mouse over a key of pack.json in the editor, on the first drawn line holding `lineHas`. */
async function hoverKey(page: Page, key: string, lineHas: string): Promise<void> {
  const at = await page.evaluate(
    ([k, has]) => {
      for (const line of document.querySelectorAll(".cm-content .cm-line")) {
        if (!line.textContent?.includes(has!)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = n.textContent!.indexOf(`"${k}"`);
          if (i < 0) continue;
          const r = document.createRange();
          r.setStart(n, i + 1);
          r.setEnd(n, i + 1 + k!.length);
          const b = r.getBoundingClientRect();
          return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        }
      }
      return null;
    },
    [key, lineHas],
  );
  expect(at, `"${key}" drawn in the editor`).not.toBeNull();
  await page.mouse.move(at!.x, at!.y);
}

/**
 * Types a date into the focused date field by keyboard. Its segments follow the browser's locale:
 * month/day/year (the en-US default of a headless Chromium) or year/month/day (zh-CN).
 */
async function typeDate(page: Page, iso: string): Promise<void> {
  const [y, m, d] = iso.split("-") as [string, string, string];
  const value = () => page.evaluate(() => (document.activeElement as HTMLInputElement).value);
  await page.keyboard.type(m + d + y);
  if ((await value()) === iso) return;
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(y);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.type(m + d);
  expect(await value()).toBe(iso);
}

/** Accepts the completion option by keyboard: select it with the arrows, then Enter once the list has settled. */
async function acceptCompletion(page: Page, option: string | RegExp): Promise<void> {
  const list = page.locator(".cm-tooltip-autocomplete");
  for (let i = 0; i < 20; i++) {
    const selected = list.locator("li[aria-selected=true]");
    if ((await selected.count()) && (typeof option === "string" ? (await selected.textContent())!.includes(option) : option.test((await selected.textContent())!))) break;
    await page.keyboard.press("ArrowDown");
  }
  // CodeMirror ignores Enter for a moment after the list (re)opens (interactionDelay).
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await expect(list).toHaveCount(0);
}
