// The desk's HTTP API (its OpenAPI document, /api/openapi.json, is the contract): every call the
// pages make goes through here, so another front end can replace this one.
import type { Text } from "./i18n.js";

export interface Issue {
  code: string;
  path: Array<string | number>;
  message: Text;
  severity?: "error" | "warning";
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly issues: Issue[],
    readonly body: unknown,
  ) {
    super(issues[0]?.message.en ?? `HTTP ${status}`);
  }
}

const TOKEN = "desk.token";
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  set token(v: string | null) {
    if (v === null) sessionStorage.removeItem(TOKEN);
    else sessionStorage.setItem(TOKEN, v);
  },
};

function issuesOf(body: unknown, status: number): Issue[] {
  const b = body as { issues?: Issue[]; error?: { code?: string; message?: Text | string } } | null;
  if (b && Array.isArray(b.issues) && b.issues.length) return b.issues;
  if (b?.error) {
    const m = b.error.message;
    return [{ code: b.error.code ?? `HTTP_${status}`, path: [], message: typeof m === "string" ? { zh: m, en: m } : (m ?? { zh: `请求失败（${status}）`, en: `Request failed (${status})` }) }];
  }
  return [{ code: `HTTP_${status}`, path: [], message: { zh: `请求失败（${status}）`, en: `Request failed (${status})` } }];
}

export interface Sent {
  etag: string | null;
}

export async function request<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T & Sent> {
  const h: Record<string, string> = { accept: "application/json", ...headers };
  if (session.token) h["authorization"] = `Bearer ${session.token}`;
  if (body !== undefined) h["content-type"] = "application/json";
  const res = await fetch(url, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (res.status === 401 && !url.endsWith("/login")) {
    session.token = null;
    window.dispatchEvent(new Event("desk:logout"));
  }
  if (!res.ok) throw new ApiError(res.status, issuesOf(parsed, res.status), parsed);
  const out = (parsed && typeof parsed === "object" ? parsed : { value: parsed }) as T & Sent;
  Object.defineProperty(out, "etag", { value: res.headers.get("etag"), enumerable: false });
  return out;
}

export const get = <T>(url: string) => request<T>("GET", url);
export const post = <T>(url: string, body?: unknown, headers?: Record<string, string>) => request<T>("POST", url, body ?? {}, headers);

export async function download(url: string, filename: string): Promise<void> {
  const res = await fetch(url, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, issuesOf(await res.json().catch(() => null), res.status), null);
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  const text = await res.text();
  if (!res.ok) {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, issuesOf(body, res.status), body);
  }
  return text;
}

// ── shapes the pages read ──────────────────────────────────────────────────

export interface Me {
  county: string;
  login: string;
  name: string;
  roles: Array<{ role: string; unitId: string; label?: Text; unitName?: Text | string }>;
}

export interface CaseSummary {
  id: string;
  number: string | null;
  packId: string;
  packVersion: string;
  channel?: string | null;
  title?: string | null;
  state: string;
  stage?: Text | null;
  status: string;
  level: { id: string; label: Text; colour: string | null };
  light: "red" | "yellow" | "green" | null;
  unitId: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  warnAt: string | null;
  overdue: boolean;
  awaitingDecision: boolean;
  toSignFor: boolean;
  toFollowUp: boolean;
  provisional?: boolean;
  version: number;
}

export interface AllowedEvent {
  type: string;
  label: Text;
  needs: Issue[];
  decisions?: string[];
}

export interface TimelineEntry {
  at: string;
  type?: string;
  event?: string;
  by?: string;
  label?: Text;
  note?: string;
  [k: string]: unknown;
}

export interface CaseDetail extends CaseSummary {
  reasons: unknown[];
  timeline: TimelineEntry[];
  allowedEvents: AllowedEvent[];
  snapshot: { state: string; context: Record<string, unknown> };
}

export interface PackRow {
  packId: string;
  version: string;
  status: "draft" | "review" | "published" | "retired";
  createdBy?: string | null;
  publishedBy?: string | null;
}
