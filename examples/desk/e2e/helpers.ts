import { mkdirSync } from "node:fs";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

export const PASSWORD = "jiceng-demo";
/** The seeded counties (examples/desk/src/seed.ts): Guyuan grades red / orange / yellow; Lanxi signs for. */
export const GUYUAN = "640402";
export const LANXI = "330781";
export const ANKANG = "610902";

const SHOTS = new URL("../test-results/screens/", import.meta.url).pathname;
mkdirSync(`${SHOTS}readme`, { recursive: true });

/**
 * A full-page screenshot under examples/desk/test-results/screens/ (ignored by git); with `readme`,
 * also the visible part as test-results/screens/readme/<readme>.png — the one per page the READMEs
 * show (copy them to web/screens/ to refresh the committed ones).
 */
export async function shot(page: Page, name: string, readme?: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  if (readme) await page.screenshot({ path: `${SHOTS}readme/${readme}.png`, animations: "disabled" });
}

export interface Focused {
  tag: string;
  name: string;
  type: string;
  testid: string;
  /** The accessible name a screen reader announces: its bound label, aria-label or text. */
  label: string;
  /** Drawn with a visible focus ring: an outline at least 2px wide while it has the focus. */
  ring: boolean;
  inEditor: boolean;
  formTestid: string;
  eventForm: string;
  /** data-action of a case page's action button. */
  action: string;
}

/** What has the keyboard focus now. */
export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", name: "", type: "", testid: "", label: "", ring: false, inEditor: false, formTestid: "", eventForm: "", action: "" };
    const input = el as HTMLInputElement;
    const byLabels = input.labels ? [...input.labels].map((l) => l.textContent ?? "").join(" ") : "";
    const byRef = (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
    const label = (el.getAttribute("aria-label") ?? "") || byRef || byLabels || (["BUTTON", "A", "SUMMARY"].includes(el.tagName) ? (el.textContent ?? "") : "");
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return {
      tag: el.tagName.toLowerCase(),
      name: input.name ?? "",
      type: input.type ?? "",
      testid: el.dataset["testid"] ?? "",
      label: label.replace(/\s+/g, " ").trim(),
      ring: ring || el.closest(".cm-editor.cm-focused") !== null,
      inEditor: el.closest(".cm-editor") !== null,
      formTestid: (el.closest("form") as HTMLElement | null)?.dataset["testid"] ?? "",
      eventForm: (el.closest("form") as HTMLElement | null)?.dataset["eventForm"] ?? "",
      action: el.dataset["action"] ?? "",
    };
  });
}

/** Presses Tab (Shift+Tab with `back`) until `want` holds for the focused element; every stop on the way is returned. */
export async function tabUntil(page: Page, want: (f: Focused) => boolean, opts: { max?: number; back?: boolean } = {}): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.back ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    seen.push(f);
    if (want(f)) return seen;
  }
  throw new Error(`focus never reached the target; stops: ${seen.map((f) => f.testid || f.name || f.label || f.tag).join(" → ")}`);
}

/** RFC 4180 CSV (quoted cells, doubled quotes, CRLF), without a leading BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** The line numbers the lint gutter marks with an error, among the lines the editor draws. */
export async function lintMarkerLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const nums = [...document.querySelectorAll(".cm-lineNumbers .cm-gutterElement")].map((e) => ({ n: Number(e.textContent), top: e.getBoundingClientRect().top }));
    const marks = [...document.querySelectorAll(".cm-gutter-lint .cm-gutterElement")].filter((e) => e.querySelector(".cm-lint-marker-error")).map((e) => e.getBoundingClientRect().top);
    return marks.map((t) => nums.find((x) => Math.abs(x.top - t) < 2)?.n ?? -1);
  });
}

/** 2022年6月20日 for an instant, in Shanghai (computed here independently of the page's formatter). */
export function zhDay(ms: number): string {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms)).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** Signs in through the login form and waits for the header to show the user. */
export async function login(page: Page, login: string, county = GUYUAN): Promise<void> {
  await page.goto("/");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.locator("input[name=county]").fill(county);
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByTestId("who")).toContainText(county);
}

/** A bearer token for setting up data through the API (the pages' own contract). */
export async function token(request: APIRequestContext, login: string, county = GUYUAN): Promise<string> {
  const r = await request.post("/api/login", { data: { county, login, password: PASSWORD } });
  expect(r.status(), await r.text()).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

export async function api<T = unknown>(request: APIRequestContext, tok: string, method: "GET" | "POST", url: string, data?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await request.fetch(url, { method, headers: { authorization: `Bearer ${tok}`, ...headers }, ...(data !== undefined ? { data } : {}) });
  const text = await r.text();
  return { status: r.status(), body: (text ? JSON.parse(text) : null) as T };
}

/** An ISO instant `days` days before now, in +08:00. */
export function daysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000 + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

/** Is a character drawn with a real glyph (not the .notdef box) in the page's fonts? */
export async function drawsGlyph(page: Page, ch: string, font = "16px sans-serif"): Promise<boolean> {
  return page.evaluate(
    ([c, f]) => {
      const draw = (s: string) => {
        const canvas = document.createElement("canvas");
        canvas.width = 40;
        canvas.height = 40;
        const g = canvas.getContext("2d")!;
        g.font = f!;
        g.fillStyle = "#000";
        g.fillText(s, 4, 28);
        return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
      };
      // U+E000 (private use) has no glyph in any system font: it draws the tofu box.
      return draw(c!) !== draw("\uE000");
    },
    [ch, font],
  );
}

/**
 * Replaces the editor's text as a user does with a large pack: select all, paste. (Typing 60 kB
 * through `fill` takes Chromium most of a minute; a paste is one edit.)
 */
export async function paste(page: Page, editor: Locator, text: string): Promise<void> {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  await page.evaluate((s) => navigator.clipboard.writeText(s), text);
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+V");
  await expect.poll(() => editor.evaluate((e) => (e.textContent ?? "").length > 0)).toBe(true);
}
