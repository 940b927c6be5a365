import { mkdirSync } from "node:fs";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const PASSWORD = "jiceng-demo";
/** The seeded counties (examples/desk/src/seed.ts): Guyuan grades red / orange / yellow; Lanxi signs for. */
export const GUYUAN = "640402";
export const LANXI = "330781";
export const ANKANG = "610902";

const SHOTS = new URL("../test-results/screens/", import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** A full-page screenshot under examples/desk/test-results/screens/ (ignored by git). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
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
