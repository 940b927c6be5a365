import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { OpenAPIHono, createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import { caseEventJsonSchema, isJicengError, type JicengIssue } from "@jiceng/core";
import type { Context } from "hono";
import { authenticate, changeRole, listUsers, login, logout, ROLES, type Principal, type Role } from "../auth/index.js";
import { dashboard, getCase, caseEvents, ledger, listCases, queueCounts, scorecard, QUEUES } from "../cases/read.js";
import { applyEvent, intake, CHANNELS, type Answer } from "../cases/service.js";
import { bindPack, createDraft, getPack, listPacks, publishPack, submitPack, validatePack } from "../cases/packs.js";
import { COUNTIES, DEMO_PASSWORD, DEMO_USERS } from "../seed.js";
import { DeskError, deskIssue, sealAudit, verifyAudit, type Desk } from "../context.js";
import { health } from "./health.js";

const Issue = z
  .object({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.object({ zh: z.string(), en: z.string() }), severity: z.enum(["error", "warning"]), ruleId: z.string().optional() })
  .openapi("Issue");
const Issues = z.object({ issues: z.array(Issue) }).openapi("Issues");
const Text = z.object({ zh: z.string(), en: z.string() });
const CaseSummary = z
  .object({
    id: z.string().uuid(), number: z.string(), packId: z.string(), packVersion: z.string(), channel: z.enum(CHANNELS), title: z.string(),
    state: z.string(), stage: Text.nullable(), status: z.string(), level: z.object({ id: z.string(), label: Text, colour: z.string().nullable() }),
    light: z.enum(["red", "yellow", "green"]).nullable(), unitId: z.string(), intakeUnitId: z.string(),
    receivedAt: z.string().nullable(), dueAt: z.string().nullable(), warnAt: z.string().nullable(), nextTickAt: z.string().nullable(), lastEventAt: z.string().nullable(),
    overdue: z.boolean(), awaitingDecision: z.boolean(), toSignFor: z.boolean(), toFollowUp: z.boolean(), provisional: z.boolean().openapi({ description: "期限按暂定日历计算（当年放假安排未载入）/ deadlines counted on the provisional calendar" }), version: z.number().int(),
  })
  .openapi("CaseSummary");
const AllowedEvent = z.object({ type: z.string(), label: Text, needs: z.array(Issue), decisions: z.array(z.enum(["upgrade", "extend", "reject"])).optional() }).openapi("AllowedEvent");
const CaseDetail = CaseSummary.extend({
  reasons: z.array(z.any()),
  timeline: z.array(z.any()),
  allowedEvents: z.array(AllowedEvent),
  listRow: z.any(),
  snapshot: z.any(),
}).openapi("CaseDetail");

// zod is private to core: core publishes its events as JSON Schema, and the desk reads that into
// its own zod for the request checks and the OpenAPI contract. Core checks every event again
// (real calendar dates, the pack's required fields) and answers 422 with its issues.
type EventJson = ReturnType<typeof caseEventJsonSchema>["oneOf"][number];
const eventJson = caseEventJsonSchema().oneOf;
const eventType = (o: EventJson) => String(o.properties["type"]?.["const"]);
const eventZod = (o: EventJson) => z.fromJSONSchema(o as never) as unknown as z.ZodObject<Record<string, z.ZodType>>;
const intakeEvent = eventZod(eventJson.find((o) => eventType(o) === "intake")!);

/** Core's intake event shapes the request: facts as core validates them, time stamped by the server. */
const IntakeBody = z
  .object({
    packId: z.string().min(1).max(100),
    unitId: z.string().min(1).max(40),
    channel: z.enum(CHANNELS),
    title: z.string().min(1).max(200),
    facts: intakeEvent.shape["facts"]!,
    at: intakeEvent.shape["at"]!.optional().openapi({ description: "导入历史案件时的受理时间（仅管理员）/ intake time of an imported legacy case (admin only)" }),
    number: intakeEvent.shape["number"]!,
  })
  .openapi("IntakeRequest");

/** Core's case events, with `at` and `by` stamped by the server (given only by imports). */
const EventBody = z
  .discriminatedUnion(
    "type",
    eventJson
      .filter((o) => !["intake", "tick"].includes(eventType(o)))
      .map((o) => {
        const e = eventZod(o);
        return e.extend({ type: z.literal(eventType(o)), at: e.shape["at"]!.optional(), by: z.string().min(1).max(200).optional() });
      }) as unknown as [z.ZodObject<any>, ...z.ZodObject<any>[]],
  )
  .openapi("CaseEventRequest");

const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = {
  401: json(Issues, "未登录 / not signed in"),
  403: json(Issues, "无权限 / forbidden"),
  422: json(Issues, "请求被拒绝（核心的问题列表）/ refused, with core's issues"),
};
const bearer = [{ bearer: [] as string[] }];

/** Endpoints that need no sign-in. */
const PUBLIC = new Set(["/api/login", "/api/openapi.json", "/api/demo-users", "/api/counties"]);

type Vars = { Variables: { principal: Principal; requestId: string } };

function toIssues(err: z.ZodError): JicengIssue[] {
  return err.issues.map((i) => deskIssue("INVALID_REQUEST", i.path.map((x) => (typeof x === "number" ? x : String(x))), `请求字段 ${i.path.join(".") || "(根)"} 无效：${i.message}`, `Invalid request field ${i.path.join(".") || "(root)"}: ${i.message}`));
}

const send = (_c: Context, a: Answer, extra: Record<string, string> = {}) => {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...extra };
  const body = a.body as { version?: number };
  if (typeof body?.version === "number") headers["ETag"] = `"${body.version}"`;
  if (a.replayed) headers["Idempotent-Replayed"] = "true";
  return new Response(JSON.stringify(a.body), { status: a.status, headers });
};

export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/** The bearer token of a request (Authorization header, else the desk_token cookie). */
function tokenOf(c: Context<Vars>): string | undefined {
  const h = c.req.header("authorization");
  const cookie = c.req.header("cookie")?.match(/(?:^|;\s*)desk_token=([^;]+)/)?.[1];
  return h?.startsWith("Bearer ") ? h.slice(7) : cookie ? decodeURIComponent(cookie) : undefined;
}

/** The desk's HTTP API (and the built pages, when web/dist exists). */
export function createApp(desk: Desk, options: { webDist?: string } = {}) {
  const app = new OpenAPIHono<Vars>({
    defaultHook: (result) => {
      if (!result.success) throw new DeskError(422, toIssues(result.error as z.ZodError));
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "POST /api/login 返回的令牌 / the token from POST /api/login" });

  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 100) || randomUUID());
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });
  app.use("/api/*", async (c, next) => {
    if (PUBLIC.has(c.req.path)) return next();
    c.set("principal", await authenticate(desk, tokenOf(c)));
    return next();
  });
  app.onError((err, c) => {
    if (err instanceof DeskError) return c.json({ issues: err.issues, ...err.extra }, err.status as 400, err.headers);
    if (isJicengError(err)) return c.json({ issues: err.issues }, 422);
    if ((err as { code?: string }).code === "23514") {
      return c.json({ issues: [deskIssue("CONSTRAINT", [], `数据库约束拒绝：${(err as { constraint?: string }).constraint ?? ""}`, `Refused by a database constraint: ${(err as { constraint?: string }).constraint ?? ""}`)] }, 422);
    }
    console.error(err);
    return c.json({ issues: [deskIssue("INTERNAL", [], "服务器内部错误，已记录", "Internal error; it has been logged")] }, 500);
  });

  const route = <R extends RouteConfig>(config: R, handler: (c: Context<Vars>) => Promise<Response> | Response) => app.openapi(config, handler as never);

  route(createRoute({ method: "get", path: "/healthz", summary: "健康检查：数据库、迁移、日历覆盖 / health: database, migrations, calendar coverage", responses: { 200: json(z.any(), "ok"), 503: json(z.any(), "not ready") } }), async (c) => {
    const h = await health(desk);
    return c.json(h, h.ok ? 200 : 503);
  });

  const County = z.object({ code: z.string(), name: Text }).openapi("County");
  route(
    createRoute({
      method: "post", path: "/api/login",
      summary: "登录：账号 + 密码，县（区）代码可省略（账号只在一个县时）/ sign in: login + password; the county code may be left out when the login exists in one county",
      request: {
        body: {
          content: {
            "application/json": {
              schema: z
                .object({
                  county: z.string().min(2).max(20).optional().openapi({ description: "县（区）代码；省略时按账号查找，多个县都有此账号且密码都对时返回 409 COUNTY_REQUIRED 与可选的县 / county code; when left out and the login with this password exists in several counties: 409 COUNTY_REQUIRED with the counties to choose from" }),
                  login: z.string().min(1).max(40),
                  password: z.string().min(1).max(200),
                })
                .openapi("LoginRequest"),
            },
          },
        },
      },
      responses: {
        200: json(z.object({ token: z.string(), expiresAt: z.string(), user: z.any() }), "令牌 / token"),
        401: errors[401],
        409: json(z.object({ issues: z.array(Issue), counties: z.array(County) }), "请选择县（区）/ choose the county"),
      },
    }),
    async (c) => {
      const r = await login(desk, await c.req.json());
      c.header("Set-Cookie", `desk_token=${encodeURIComponent(r.token)}; Path=/; HttpOnly; SameSite=Strict`);
      return c.json({ token: r.token, expiresAt: r.expiresAt.toISOString(), user: { ...r.principal, roles: r.principal.roles.map((x) => ({ ...x, label: ROLES[x.role] })) } });
    },
  );

  route(createRoute({ method: "post", path: "/api/logout", security: bearer, summary: "退出登录：令牌立即失效，清除 Cookie / sign out: the token stops working, the cookie is cleared", responses: { 204: { description: "signed out" }, 401: errors[401] } }), async (c) => {
    await logout(desk, tokenOf(c), c.get("principal"));
    c.header("Set-Cookie", "desk_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return c.body(null, 204);
  });

  route(createRoute({ method: "get", path: "/api/counties", summary: "县（区）列表（登录页的选择框）/ the counties (the login page's picker)", responses: { 200: json(z.object({ counties: z.array(County) }), "counties") } }), async (c) => {
    const rows = await desk.store.db.selectFrom("counties").select(["county_code", "name_zh", "name_en"]).orderBy("county_code").execute();
    return c.json({ counties: rows.map((r) => ({ code: r.county_code, name: { zh: r.name_zh, en: r.name_en } })) });
  });

  route(createRoute({ method: "get", path: "/api/demo-users", summary: "演示账号（登录页列出；DESK_DEMO_LOGINS=0 关闭）/ the demo logins the login page lists (off with DESK_DEMO_LOGINS=0)", responses: { 200: json(z.object({ users: z.array(z.any()) }), "demo users") } }), (c) => {
    if (process.env["DESK_DEMO_LOGINS"] === "0") return c.json({ users: [] });
    return c.json({ users: COUNTIES.flatMap((county) => DEMO_USERS.map((u) => ({ county: county.code, countyName: county.name, login: u.login, name: u.name, roles: u.roles.map((r) => r.role), password: DEMO_PASSWORD }))) });
  });

  route(createRoute({ method: "get", path: "/api/me", security: bearer, summary: "当前用户 / the signed-in user", responses: { 200: json(z.any(), "user"), 401: errors[401] } }), (c) => {
    const p = c.get("principal");
    return c.json({ ...p, roles: p.roles.map((x) => ({ ...x, label: ROLES[x.role] })) });
  });

  route(createRoute({ method: "get", path: "/api/units", security: bearer, summary: "本县（区）单位树 / the county's units", responses: { 200: json(z.any(), "units") } }), async (c) => {
    const p = c.get("principal");
    const rows = await desk.store.db.selectFrom("units").selectAll().where("county_code", "=", p.county).orderBy("path").execute();
    return c.json({ units: rows.map((u) => ({ id: u.unit_id, parentId: u.parent_id, kind: u.kind, name: { zh: u.name_zh, en: u.name_en }, path: u.path })) });
  });

  route(createRoute({ method: "get", path: "/api/packs", security: bearer, summary: "规则包版本 / pack versions", responses: { 200: json(z.any(), "packs") } }), async (c) => {
    const p = c.get("principal");
    const bindings = await desk.store.db.selectFrom("pack_bindings").selectAll().where("county_code", "=", p.county).orderBy("valid_from").execute();
    return c.json({ packs: await listPacks(desk), bindings: bindings.map((b) => ({ packId: b.pack_id, version: b.version, validFrom: b.valid_from })) });
  });

  route(
    createRoute({
      method: "post", path: "/api/cases", security: bearer, summary: "受理登记：定级、编号、计时 / intake: grade, number, time",
      request: {
        headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
        body: { content: { "application/json": { schema: IntakeBody } } },
      },
      responses: { 201: json(CaseDetail, "已受理 / taken in"), ...errors, 409: json(Issues, "编号冲突 / number conflict") },
    }),
    async (c) => {
      const body = c.req.valid("json" as never) as z.infer<typeof IntakeBody>;
      return send(c, await intake(desk, c.get("principal"), body as never, { idempotencyKey: c.req.header("idempotency-key"), requestId: c.get("requestId") }));
    },
  );

  route(
    createRoute({
      method: "get", path: "/api/cases", security: bearer, summary: "案件队列 / case queues",
      request: {
        query: z.object({
          queue: z.enum(QUEUES).optional(), state: z.string().optional(), level: z.string().optional(), unit: z.string().optional(),
          overdue: z.enum(["true", "false"]).optional(), dueBefore: z.string().optional(), q: z.string().max(100).optional(), cursor: z.string().max(300).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(CaseSummary), nextCursor: z.string().nullable() }), "cases"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query" as never) as Record<string, string | undefined>;
      return c.json(await listCases(desk, c.get("principal"), { ...q, overdue: q["overdue"] === undefined ? undefined : q["overdue"] === "true", limit: q["limit"] === undefined ? undefined : Number(q["limit"]) } as never));
    },
  );

  route(createRoute({ method: "get", path: "/api/cases/counts", security: bearer, summary: "各队列件数（工作台）/ how many cases each queue holds", responses: { 200: json(z.object({ counts: z.record(z.string(), z.number().int()) }), "counts") } }), async (c) =>
    c.json(await queueCounts(desk, c.get("principal"))),
  );

  const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
  route(createRoute({ method: "get", path: "/api/cases/{id}", security: bearer, summary: "案件：快照、状态、时间线、可办事件 / one case", request: { params: IdParam }, responses: { 200: json(CaseDetail, "case"), 404: json(Issues, "not found") } }), async (c) => {
    const d = await getCase(desk, c.get("principal"), c.req.param("id")!);
    return send(c, { status: 200, body: d });
  });

  route(
    createRoute({
      method: "post", path: "/api/cases/{id}/events", security: bearer, summary: "办理事件（须带 If-Match）/ apply an event (If-Match required)",
      request: {
        params: IdParam,
        headers: z.object({ "if-match": z.string().optional().openapi({ description: '案件版本，如 "3" / the case version, e.g. "3"' }), "idempotency-key": z.string().min(1).max(200).optional() }),
        body: { content: { "application/json": { schema: EventBody } } },
      },
      responses: { 200: json(CaseDetail, "applied"), ...errors, 404: json(Issues, "not found"), 409: json(Issues, "案件已被他人更新 / updated by someone else"), 428: json(Issues, "If-Match required") },
    }),
    async (c) => {
      const event = (await c.req.json()) as Record<string, unknown>;
      return send(c, await applyEvent(desk, c.get("principal"), c.req.param("id")!, { event, ifMatch: c.req.header("if-match"), idempotencyKey: c.req.header("idempotency-key"), requestId: c.get("requestId") }));
    },
  );

  route(createRoute({ method: "get", path: "/api/cases/{id}/events", security: bearer, summary: "事件记录 / the event log", request: { params: IdParam }, responses: { 200: json(z.any(), "events"), 404: json(Issues, "not found") } }), async (c) =>
    c.json(await caseEvents(desk, c.get("principal"), c.req.param("id")!)),
  );

  route(createRoute({ method: "get", path: "/api/dashboard", security: bearer, summary: "总览：临期、超期、待决定、已上报 / dashboard", responses: { 200: json(z.any(), "dashboard") } }), async (c) => c.json(await dashboard(desk, c.get("principal"))));

  route(
    createRoute({
      method: "get", path: "/api/scorecard", security: bearer, summary: "考核 / scorecard",
      request: { query: z.object({ period: z.string().min(4).max(40), format: z.enum(["html", "json", "csv"]).optional(), packId: z.string().optional() }) },
      responses: { 200: { description: "scorecard", content: { "text/html": { schema: z.string() }, "application/json": { schema: z.any() }, "text/csv": { schema: z.string() } } }, ...errors },
    }),
    async (c) => {
      const r = await scorecard(desk, c.get("principal"), c.req.query("period")!, (c.req.query("format") ?? "json") as "json", c.req.query("packId"));
      return new Response(r.body, { headers: { "content-type": r.type } });
    },
  );

  route(
    createRoute({ method: "get", path: "/api/export/ledger.xlsx", security: bearer, summary: "台账导出（问题清单、责任清单）/ ledger export", responses: { 200: { description: "xlsx", content: { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string() } } }, 403: errors[403] } }),
    async (c) => {
      const buf = await ledger(desk, c.get("principal"));
      return new Response(new Uint8Array(buf), { headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "content-disposition": 'attachment; filename="ledger.xlsx"' } });
    },
  );

  route(createRoute({ method: "get", path: "/api/notifications", security: bearer, summary: "站内通知 / in-app notifications", responses: { 200: json(z.any(), "notifications") } }), async (c) => {
    const p = c.get("principal");
    const { visibleUnits } = await import("../auth/index.js");
    const units = await visibleUnits(desk, desk.store.db, p);
    let q = desk.store.db.selectFrom("notifications").selectAll().where("county_code", "=", p.county);
    if (units !== null) q = units.length ? q.where("unit_id", "in", units) : q.where("unit_id", "=", "\u0000");
    return c.json({ items: (await q.orderBy("id", "desc").limit(100).execute()).map((n) => ({ id: n.id, unitId: n.unit_id, caseId: n.case_id, message: n.message, createdAt: n.created_at })) });
  });

  const PackParams = z.object({ packId: z.string().openapi({ param: { name: "packId", in: "path" } }), version: z.string().openapi({ param: { name: "version", in: "path" } }) });
  route(createRoute({ method: "get", path: "/api/packs/{packId}/{version}", security: bearer, summary: "规则包的一个版本：内容、状态、核心的检查结果 / one pack version: content, status, core's issues", request: { params: PackParams }, responses: { 200: json(z.object({ packId: z.string(), version: z.string(), status: z.string(), content: z.any(), valid: z.boolean(), issues: z.array(Issue) }).passthrough(), "pack"), 404: json(Issues, "not found") } }), async (c) =>
    c.json(await getPack(desk, c.req.param("packId")!, c.req.param("version")!)),
  );
  route(createRoute({ method: "post", path: "/api/packs/validate", security: bearer, summary: "校验规则包 / validate a pack", request: { body: { content: { "application/json": { schema: z.object({ content: z.any() }) } } } }, responses: { 200: json(z.object({ ok: z.boolean(), issues: z.array(Issue) }), "result") } }), async (c) =>
    c.json(validatePack(((await c.req.json()) as { content: unknown }).content)),
  );
  route(createRoute({ method: "post", path: "/api/packs", security: bearer, summary: "新建草稿 / create a draft", request: { body: { content: { "application/json": { schema: z.object({ content: z.any() }) } } } }, responses: { 201: json(z.any(), "draft"), ...errors, 409: json(Issues, "exists") } }), async (c) =>
    c.json(await createDraft(desk, c.get("principal"), ((await c.req.json()) as { content: unknown }).content), 201),
  );
  route(createRoute({ method: "post", path: "/api/packs/{packId}/{version}/submit", security: bearer, summary: "提交审核 / submit for review", request: { params: PackParams }, responses: { 200: json(z.any(), "in review"), ...errors, 409: json(Issues, "not a draft") } }), async (c) =>
    c.json(await submitPack(desk, c.get("principal"), c.req.param("packId")!, c.req.param("version")!)),
  );
  route(createRoute({ method: "post", path: "/api/packs/{packId}/{version}/publish", security: bearer, summary: "审核发布（四眼原则）/ approve and publish (four eyes)", request: { params: PackParams }, responses: { 200: json(z.any(), "published"), ...errors, 409: json(Issues, "not in review") } }), async (c) =>
    c.json(await publishPack(desk, c.get("principal"), c.req.param("packId")!, c.req.param("version")!)),
  );
  route(
    createRoute({ method: "post", path: "/api/bindings", security: bearer, summary: "启用规则包版本 / bind a pack version to the county", request: { body: { content: { "application/json": { schema: z.object({ packId: z.string(), version: z.string(), validFrom: z.string().optional() }) } } } }, responses: { 200: json(z.any(), "bound"), ...errors } }),
    async (c) => {
      const b = (await c.req.json()) as { packId: string; version: string; validFrom?: string };
      return c.json(await bindPack(desk, c.get("principal"), b.packId, b.version, b.validFrom));
    },
  );

  route(createRoute({ method: "get", path: "/api/users", security: bearer, summary: "本县（区）用户与角色（管理员）/ the county's users and their roles (admin)", responses: { 200: json(z.any(), "users"), ...errors } }), async (c) =>
    c.json(await listUsers(desk, c.get("principal"))),
  );
  const RoleChange = z.object({ role: z.enum(Object.keys(ROLES) as [Role, ...Role[]]), unitId: z.string().min(1).max(40).openapi({ description: "范围：该单位及其下级；县根单位 county = 全县 / scope: this unit and its subtree; the root unit `county` = the whole county" }) }).openapi("RoleChange");
  const RoleResult = z.object({ userId: z.string(), login: z.string(), change: z.enum(["grant", "revoke"]), role: z.string(), unitId: z.string(), changed: z.boolean(), roles: z.array(z.any()) }).openapi("RoleChangeResult");
  const UserParam = z.object({ userId: z.string().openapi({ param: { name: "userId", in: "path" } }) });
  route(
    createRoute({
      method: "post", path: "/api/users/{userId}/roles", security: bearer, summary: "授予角色（含单位范围），记入审计 role_change / grant a role over a unit scope (audited as role_change)",
      request: { params: UserParam, body: { content: { "application/json": { schema: RoleChange } } } },
      responses: { 200: json(RoleResult, "granted (changed: false when the user already had it)"), ...errors, 404: json(Issues, "no such user") },
    }),
    async (c) => {
      const b = c.req.valid("json" as never) as z.infer<typeof RoleChange>;
      return c.json(await changeRole(desk, c.get("principal"), { userId: c.req.param("userId")!, role: b.role, unitId: b.unitId, change: "grant" }));
    },
  );
  route(
    createRoute({
      method: "delete", path: "/api/users/{userId}/roles/{role}/{unitId}", security: bearer, summary: "撤销角色，记入审计 role_change / revoke a role (audited as role_change)",
      request: { params: UserParam.extend({ role: z.string().openapi({ param: { name: "role", in: "path" } }), unitId: z.string().openapi({ param: { name: "unitId", in: "path" } }) }) },
      responses: { 200: json(RoleResult, "revoked (changed: false when the user did not have it)"), ...errors, 404: json(Issues, "no such user"), 409: json(Issues, "the county's last administrator") },
    }),
    async (c) => c.json(await changeRole(desk, c.get("principal"), { userId: c.req.param("userId")!, role: c.req.param("role")!, unitId: c.req.param("unitId")!, change: "revoke" })),
  );

  route(createRoute({ method: "get", path: "/api/audit/verify", security: bearer, summary: "校验审计日志哈希链 / verify the audit hash chain", responses: { 200: json(z.any(), "result"), ...errors } }), async (c) => {
    const p = c.get("principal");
    const { requireRole } = await import("../auth/index.js");
    requireRole(p, ["auditor", "admin"]);
    // What has committed is sealed first, so the verdict covers every entry written so far.
    await sealAudit(desk.store.db, p.county);
    return c.json(await verifyAudit(desk.store.db, p.county));
  });

  app.doc31("/api/openapi.json", { openapi: "3.1.0", info: { title: "jiceng 综治中心案件台 API / jiceng case desk API", version: "0.1.0", description: "错误统一为核心的问题格式 { code, path, message: { zh, en }, severity } / errors come in core's issue shape" } });

  // The built pages (examples/desk/web/dist), when present: files as they are, index.html for the rest.
  const dist = options.webDist ?? WEB_DIST;
  app.get("*", (c) => {
    if (c.req.path.startsWith("/api/")) return c.json({ issues: [deskIssue("NOT_FOUND", ["path"], "没有此接口", "No such endpoint")] }, 404);
    if (!existsSync(join(dist, "index.html"))) {
      return c.text("页面尚未构建：在 examples/desk/web 运行 npm run build。API 见 /api/openapi.json\nThe pages are not built yet (npm run build in examples/desk/web). The API is at /api/openapi.json\n", 404);
    }
    const rel = normalize(decodeURIComponent(c.req.path)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, rel);
    const target = file.startsWith(dist) && existsSync(file) && statSync(file).isFile() ? file : join(dist, "index.html");
    const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2" };
    return new Response(readFileSync(target), { headers: { "content-type": types[extname(target)] ?? "application/octet-stream" } });
  });
  return app;
}
