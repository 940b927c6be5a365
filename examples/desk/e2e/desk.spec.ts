import { expect, test } from "@playwright/test";
import { ANKANG, api, daysAgo, drawsGlyph, GUYUAN, LANXI, login, shot, token } from "./helpers.js";

interface CaseBody {
  id: string;
  number: string;
  version: number;
  level: { id: string };
  state: string;
}

test.describe.configure({ mode: "serial" });

test("login: the demo users, and the header shows user, unit and role; Chinese first with an English toggle", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: /登录/ })).toBeVisible();
  await shot(page, "01-login");
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
  await shot(page, "02-intake-red");
  await form.locator("[data-fact='risks.homicide'] input").uncheck();
  await expect(grading).toHaveAttribute("data-level", "yellow");
  await page.getByRole("button", { name: "登记并定级" }).click();
  await expect(page).toHaveURL(/#\/case\//);
  await expect(page.getByTestId("case-number")).toHaveText(/^\d+/);
  await expect(page.getByTestId("timeline").locator("li")).toHaveCount(1);
  await shot(page, "03-case-new");
});

test("time passes: red cases taken in earlier (the import path) show in 超期 and 临期 with their lights, countdown and clause", async ({ page, request }) => {
  const admin = await token(request, "admin");
  const facts = { source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01", risks: { massIncident: true } };
  // Red gives 45 days and warns 7 days before: 50 days ago is overdue, 40 days ago is due soon.
  const overdue = await api<CaseBody>(request, admin, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "import", title: "群体性事件苗头（导入）", facts, at: daysAgo(50) });
  expect(overdue.status, JSON.stringify(overdue.body)).toBe(201);
  expect(overdue.body.level.id).toBe("red");
  const soon = await api<CaseBody>(request, admin, "POST", "/api/cases", { packId: "guyuan", unitId: "county", channel: "import", title: "群体性事件苗头（临期）", facts, at: daysAgo(40) });
  expect(soon.status, JSON.stringify(soon.body)).toBe(201);

  await login(page, "head");
  await page.locator("[data-queue=overdue]").click();
  const row = page.locator(`[data-case="${overdue.body.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-light=red]")).toBeVisible();
  await expect(row.locator("[data-level=red]")).toBeVisible();
  await expect(row).toContainText(/超期 \d+天/);
  await shot(page, "04-queues-overdue");
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
  await shot(page, "07-case-refused");
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
  await shot(page, "09-dashboard");
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
  await shot(page, "10-scorecard");
  await expect(page.getByRole("button", { name: "下载 CSV" })).toBeVisible();
  await expect(page.getByTestId("ledger")).toBeVisible();
  // What the two buttons fetch (the same URLs, the same token).
  const tok = await token(request, "head");
  const year = String(new Date().getFullYear());
  const csv = await request.get(`/api/scorecard?period=${year}&format=csv&packId=guyuan`, { headers: { authorization: `Bearer ${tok}` } });
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
  const xlsx = await request.get("/api/export/ledger.xlsx", { headers: { authorization: `Bearer ${tok}` } });
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
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
  await editor.fill(typo);
  const typoLine = typo.split("\n").findIndex((l) => l.includes('"versoin"')) + 1;
  const flagged = page.getByTestId("lint-list").locator("li", { hasText: "versoin" }).first();
  await expect(flagged).toBeVisible();
  await expect(flagged).toHaveAttribute("data-line", String(typoLine));
  await shot(page, "11-playground-typo");
  // Broken (no version at all): saved as a draft is refused without an id and version, so give
  // one and keep an unknown operator instead — a draft, never published.
  const broken = pretty.replace('"version": "1.0.0"', '"version": "1.0.1-broken"').replace('"operator": "equal"', '"operator": "equals"');
  await editor.fill(broken);
  await expect(page.getByTestId("lint-list").locator("li[data-code=UNKNOWN_OPERATOR]").first()).toBeVisible();
  await page.getByTestId("save-draft").click();
  await expect(page.getByTestId("pack-note")).toContainText("草稿");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("pack-note")).toContainText("待审核");
  const reviewer = await (await browser.newContext()).newPage();
  await login(reviewer, "reviewer");
  await reviewer.getByRole("link", { name: "规则" }).click();
  await reviewer.getByTestId("pack-version").selectOption("guyuan@1.0.1-broken");
  await reviewer.getByTestId("publish").click();
  await expect(reviewer.locator(".banner.error")).toBeVisible();
  // A good edit: major → complex makes a complex case red; graded live against the edited pack.
  await page.getByTestId("pack-version").selectOption("guyuan@1.0.0");
  await expect(page.getByTestId("diff")).toContainText("与已发布版本相同");
  // Edit the rule red-major-complex itself (the fact's enum also lists "major" earlier in the file).
  const rule = pretty.indexOf('"id": "red-major-complex"');
  const at = pretty.indexOf('"value": "major"', rule);
  expect(rule).toBeGreaterThan(-1);
  expect(at).toBeGreaterThan(rule);
  const edited = (pretty.slice(0, at) + '"value": "complex"' + pretty.slice(at + '"value": "major"'.length)).replace('"version": "1.0.0"', '"version": "1.1.0"');
  await editor.fill(edited);
  await expect(page.getByTestId("lint-list").locator("li[data-code]")).toHaveCount(0);
  await page.locator("[data-fact=source] select").selectOption("public");
  await page.locator("[data-fact=type] select").selectOption("dispute");
  await page.locator("[data-fact=area] select").selectOption("neighbour");
  await page.locator("[data-fact=unitCode] input").fill("01");
  await page.locator("[data-fact=subunitCode] input").fill("01");
  await page.locator("[data-fact=difficulty] select").selectOption("complex");
  await expect(page.getByTestId("grading")).toHaveAttribute("data-level", "red");
  await expect(page.getByTestId("diff").locator("li[data-kind=changed]").first()).toBeVisible();
  await shot(page, "12-playground-graded");
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

test("numbers and dates: thousands separators and 2022年6月20日 style in Chinese", async ({ page }) => {
  await login(page, "head", GUYUAN);
  await page.goto("/#/queues");
  await page.locator("[data-queue=overdue]").click();
  const due = page.locator("[data-case] td [data-iso]").first();
  await expect(due).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日$/);
});

/** A 办结时限 three days from today in Beijing: within the yellow limit (7 days, 固原 §二(三)8), which the pack now holds an assignment to. */
function withinYellowLimit(): string {
  return new Date(Date.now() + 8 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
}
