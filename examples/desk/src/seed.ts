import ankang from "@jiceng/rules-ankang";
import guyuan from "@jiceng/rules-guyuan";
import lanxi from "@jiceng/rules-lanxi";
import threeCenters from "@jiceng/rules-three-centers";
import xiji from "@jiceng/rules-xiji";
import { createEngine, loadPack, formatInstant, isJicengError, type Engine } from "@jiceng/core";
import { sql } from "kysely";
import { createUser, principalOf, type Principal, type Role } from "./auth/index.js";
import { applyEvent, intake } from "./cases/service.js";
import { DeskError, canonical, dbNow, engineFor, sha256, type Desk, type Tx } from "./context.js";

export const DEMO_PASSWORD = "jiceng-demo";

interface CountySeed {
  code: string;
  name: { zh: string; en: string };
  pack: { id: string; version: string };
  townships: Array<{ zh: string; en: string }>;
  facts: Array<Record<string, unknown>>;
  titles: string[];
}

/** The five published packs, in the form the packs table stores them. */
export const PACKS: unknown[] = [guyuan, xiji, lanxi, ankang, threeCenters];

export const COUNTIES: CountySeed[] = [
  {
    code: "640402", name: { zh: "原州区（固原“1+1+3”）", en: "Yuanzhou District (Guyuan 1+1+3)" }, pack: { id: "guyuan", version: "1.0.0" },
    townships: [{ zh: "开城镇", en: "Kaicheng" }, { zh: "三营镇", en: "Sanying" }],
    facts: [
      { source: "grid-worker", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "simple" },
      { source: "public", type: "petition", unitCode: "01", subunitCode: "01", risks: { petitionTo: "city" } },
      { source: "police-alert", type: "instability", unitCode: "02", subunitCode: "03", difficulty: "complex", risks: { massIncident: true } },
      { source: "public", type: "dispute", unitCode: "02", subunitCode: "01", risks: { criminalEscalation: true } },
    ],
    titles: ["邻里宅基地边界纠纷", "拖欠工资，扬言到市里上访", "征地拆迁，多户聚集", "婚恋家庭矛盾激化"],
  },
  {
    code: "640422", name: { zh: "西吉县（“1133”）", en: "Xiji County (1133)" }, pack: { id: "xiji", version: "1.0.0" },
    townships: [{ zh: "将台堡镇", en: "Jiangtaibao" }, { zh: "吉强镇", en: "Jiqiang" }],
    facts: [
      { township: "将台堡镇", category: "邻里纠纷·地界", area: "neighbour", peopleInvolved: 2 },
      { township: "吉强镇", category: "婚姻家庭", area: "marriage-family", escalating: true },
      { township: "将台堡镇", category: "拖欠农民工工资", area: "wage-arrears", peopleInvolved: 12, instability: ["petition"] },
      { township: "吉强镇", category: "征地补偿", area: "land-requisition", mediationFailed: true },
    ],
    titles: ["地界纠纷", "家庭矛盾升级", "拖欠农民工工资", "征地补偿调解未果"],
  },
  {
    code: "330781", name: { zh: "兰溪市（“三四五六”）", en: "Lanxi (3-4-5-6)" }, pack: { id: "lanxi", version: "1.0.0" },
    townships: [{ zh: "诸葛镇", en: "Zhuge" }, { zh: "游埠镇", en: "Youbu" }],
    facts: [
      { township: "诸葛镇", source: "grid-worker", category: "petition" },
      { township: "游埠镇", source: "grid-worker", category: "dispute" },
      { township: "诸葛镇", source: "higher-level", category: "food-drug" },
      { township: "游埠镇", source: "grid-worker", category: "environment" },
    ],
    titles: ["征地补偿款信访", "邻里纠纷", "无证食品经营", "河道污染"],
  },
  {
    code: "610902", name: { zh: "汉滨区（安康网格）", en: "Hanbin District (Ankang grids)" }, pack: { id: "ankang", version: "1.0.0" },
    townships: [{ zh: "新城街道", en: "Xincheng" }, { zh: "老城街道", en: "Laocheng" }],
    facts: [
      { category: "dispute", grid: "t1-v1-g1" },
      { category: "sanitation", grid: "t1-v1-g1" },
      { category: "emergency", grid: "t2-v1-g1" },
      { category: "errand", grid: "t2-v1-g1" },
    ],
    titles: ["邻里噪音纠纷", "垃圾堆放", "暴雨积水", "代办低保申请"],
  },
  {
    code: "999001", name: { zh: "示范区（三中心一平台，演示用代码）", en: "Demo district (3 centres + 1 platform; demo code)" }, pack: { id: "three-centers", version: "1.0.0" },
    townships: [{ zh: "东街道", en: "East street" }, { zh: "西街道", en: "West street" }],
    facts: [
      { source: "grid", category: "dispute" },
      { source: "village", category: "stability-petition" },
      { source: "grid", category: "drugs" },
      { source: "district", category: "emergency-report" },
    ],
    titles: ["邻里纠纷", "信访稳定事项", "涉毒线索", "应急事件报告"],
  },
];

export const DEMO_USERS: Array<{ login: string; name: string; roles: Array<{ role: Role; unit: "county" | "t1" }> }> = [
  { login: "admin", name: "管理员 Admin", roles: [{ role: "admin", unit: "county" }] },
  { login: "intake", name: "受理员 Intake clerk", roles: [{ role: "intake", unit: "county" }] },
  { login: "dispatch", name: "分流员 Dispatcher", roles: [{ role: "dispatch", unit: "county" }] },
  { login: "handler", name: "承办人 Handler", roles: [{ role: "handler", unit: "county" }] },
  { login: "town", name: "乡镇承办 Township handler", roles: [{ role: "handler", unit: "t1" }, { role: "unit_head", unit: "t1" }, { role: "intake", unit: "t1" }] },
  { login: "head", name: "中心负责人 Centre head", roles: [{ role: "centre_head", unit: "county" }] },
  { login: "supervisor", name: "督办 Supervisor", roles: [{ role: "supervisor", unit: "county" }] },
  { login: "editor", name: "规则编辑 Rule editor", roles: [{ role: "rule_editor", unit: "county" }] },
  { login: "reviewer", name: "规则审核 Rule reviewer", roles: [{ role: "rule_reviewer", unit: "county" }] },
  { login: "auditor", name: "审计 Auditor", roles: [{ role: "auditor", unit: "county" }] },
];

/** The five packs, published under four eyes (author ≠ publisher), once. */
export async function seedPacks(db: Tx): Promise<void> {
  for (const content of PACKS) {
    const p = content as { id: string; version: string };
    const text = canonical(content);
    await sql`insert into packs (pack_id, version, status, content, sha256, created_by, submitted_at, reviewed_by, reviewed_at, published_by, published_at)
      values (${p.id}, ${p.version}, 'published', ${text}::jsonb, ${sha256(text)}, 'seed:editor', now(), 'seed:reviewer', now(), 'seed:reviewer', now())
      on conflict (pack_id, version) do nothing`.execute(db);
  }
}

/** A county with its unit tree (county → townships → villages → grids; departments), demo users and binding. */
export async function seedCounty(desk: Desk, c: CountySeed, options: { users?: boolean } = {}): Promise<boolean> {
  const owner = desk.store.owner;
  const inserted = await owner.insertInto("counties").values({ county_code: c.code, name_zh: c.name.zh, name_en: c.name.en }).onConflict((oc) => oc.column("county_code").doNothing()).returning("county_code").executeTakeFirst();
  if (!inserted) return false;
  const db = desk.store.db;
  await db.transaction().execute(async (trx) => {
    const unit = async (id: string, parent: string | null, kind: string, zh: string, en: string, parentPath: string) => {
      await trx.insertInto("units").values({ county_code: c.code, unit_id: id, parent_id: parent, kind, name_zh: zh, name_en: en, path: `${parentPath}${id}/` }).execute();
      return `${parentPath}${id}/`;
    };
    const root = await unit("county", null, "county", c.name.zh, c.name.en, "/");
    for (const [i, t] of c.townships.entries()) {
      const tid = `t${i + 1}`;
      const tp = await unit(tid, "county", "township", t.zh, t.en, root);
      for (const v of [1, 2]) {
        const vp = await unit(`${tid}-v${v}`, tid, "village", `${t.zh}第${v}村`, `${t.en} village ${v}`, tp);
        await unit(`${tid}-v${v}-g1`, `${tid}-v${v}`, "grid", `${t.zh}第${v}村一网格`, `${t.en} village ${v} grid 1`, vp);
      }
    }
    const engine = createEngine(loadPack(PACKS.find((p) => (p as { id: string }).id === c.pack.id)));
    const routing = engine.pack.routing;
    const departments = routing ? [...routing.departments, routing.coordinator, ...(routing.coordinators ?? [])] : [
      { id: "justice-office", label: { zh: "司法所", en: "Justice office" } },
      { id: "police-station", label: { zh: "派出所", en: "Police station" } },
    ];
    for (const d of departments) await unit(d.id, "county", d.id.includes("command") ? "platform" : "department", d.label.zh, d.label.en, root);
    await trx.insertInto("pack_bindings").values({ county_code: c.code, pack_id: c.pack.id, version: c.pack.version, valid_from: "2020-01-01T00:00:00+08:00", bound_by: "seed" }).execute();
    if (options.users !== false) {
      for (const u of DEMO_USERS) await createUser(trx, c.code, { login: u.login, name: u.name, password: DEMO_PASSWORD, roles: u.roles.map((r) => ({ role: r.role, unitId: r.unit })) }, "seed");
    }
  });
  return true;
}

const ORDER = ["assign", "acknowledge", "progress", "supervise", "resolve", "verify", "evaluate", "followUp", "close"] as const;

/** Fills the form of an event the way a clerk would, for seeding and tests. */
export function formFor(engine: Engine, type: string, at: Date, unitId: string): Record<string, unknown> {
  const lc = engine.pack.lifecycle;
  const checklist = (before: string) => (lc.checklists ?? []).filter((c) => c.before === before).flatMap((c) => c.items.map((i) => i.id));
  const day = formatInstant(at.getTime() + 5 * 86_400_000, engine.pack.timezone).slice(0, 10);
  switch (type) {
    case "assign":
      return { type, leadUnit: unitId, responsibleUnit: unitId, responsibleLeader: "分管领导", responsiblePerson: "承办人", cooperatingUnits: ["county"], deadline: day, measures: "上门走访，组织调解" };
    case "progress":
      return { type, note: "已上门走访，双方同意调解" };
    case "supervise":
      return { type, note: "指挥室督办：按期化解" };
    case "resolve":
      return { type, note: "调解达成协议", confirmations: checklist("resolve") };
    case "close":
      return { type, note: "回访满意，结案", confirmations: checklist("close") };
    case "verify":
      return { type, passed: true };
    case "evaluate":
      return { type, rating: lc.evaluation?.ratings[0]?.value ?? "satisfied" };
    case "followUp":
      return { type, agreementKept: true, note: "回访：协议履行" };
    default:
      return { type };
  }
}

/** How far along its lifecycle a seeded case is brought. */
export type SeedTarget = "graded" | "assigned" | "resolving" | "resolved" | "closed";
const PROGRESS: Record<string, number> = { received: 0, graded: 1, assigned: 2, resolving: 3, supervised: 3, "escalation-pending": 3, resolved: 4, closed: 5 };

/**
 * Moves a case along its lifecycle until it reaches `target` (or a stage past it: a pack without
 * acknowledgement goes from graded straight to resolving), as the admin importing history with times.
 * Returns the number of events applied.
 */
export async function advance(desk: Desk, p: Principal, caseId: string, target: SeedTarget, from: Date, unitId: string): Promise<number> {
  let at = from.getTime();
  let done = 0;
  const used = new Set<string>();
  for (let i = 0; i < ORDER.length; i++) {
    const d = (await desk.store.db.selectFrom("cases").select(["version", "state", "snapshot", "pack_id", "pack_version"]).where("county_code", "=", p.county).where("case_id", "=", caseId).executeTakeFirstOrThrow());
    if ((PROGRESS[d.state] ?? 3) >= PROGRESS[target]!) break;
    const engine = await engineFor(desk, desk.store.db, d.pack_id, d.pack_version);
    const offered = new Set(engine.allowedEvents(d.snapshot as never).map((e) => e.type));
    // Progress, supervision and follow-up stay on offer while a case is worked on: each once, then move on.
    const type = ORDER.find((t) => offered.has(t) && !used.has(t));
    if (!type) break;
    used.add(type);
    at += (6 + i * 11) * 3_600_000;
    const r = await applyEvent(desk, p, caseId, { event: { ...formFor(engine, type, new Date(at), unitId), at: formatInstant(at, engine.pack.timezone) }, ifMatch: `"${d.version}"`, requestId: "seed" });
    if (r.status !== 200) {
      const issues = (r.body as { issues?: Array<{ message: { zh: string } }> }).issues ?? [];
      console.warn(`[seed] ${caseId} ${type}: ${issues.map((x) => x.message.zh).join("；")}`);
      break;
    }
    done++;
  }
  return done;
}

/** Everything `npm start` needs, idempotently: packs, counties, units, users, a few dozen cases. */
export async function seed(desk: Desk, options: { cases?: boolean; counties?: CountySeed[] } = {}): Promise<{ counties: string[]; cases: number }> {
  await seedPacks(desk.store.owner);
  const created: string[] = [];
  let cases = 0;
  const now = await dbNow(desk.store.db);
  for (const c of options.counties ?? COUNTIES) {
    if (!(await seedCounty(desk, c))) continue;
    created.push(c.code);
    if (options.cases === false) continue;
    const admin = await principalOf(desk.store.db, c.code, (await desk.store.db.selectFrom("users").select("user_id").where("county_code", "=", c.code).where("login", "=", "admin").executeTakeFirstOrThrow()).user_id);
    const engine = await engineFor(desk, desk.store.db, c.pack.id, c.pack.version);
    // Spread over their lifecycles: old and closed, resolved, in progress, overdue, new.
    const plan: Array<[days: number, target: SeedTarget]> = [[60, "closed"], [45, "closed"], [30, "resolved"], [21, "resolving"], [14, "resolving"], [9, "assigned"], [6, "graded"], [3, "resolving"], [2, "assigned"], [1, "graded"]];
    for (const [i, [days, target]] of plan.entries()) {
      const start = new Date(now.getTime() - days * 86_400_000 - (i % 3) * 3_600_000);
      const at = formatInstant(start.getTime(), engine.pack.timezone);
      const facts = { ...c.facts[i % c.facts.length]!, [engine.pack.startFact]: at };
      const unitId = `t${(i % 2) + 1}-v1`;
      try {
        const r = await intake(desk, admin, { packId: c.pack.id, unitId, channel: "import", title: c.titles[i % c.titles.length]!, facts, at }, { requestId: "seed" });
        cases++;
        const id = (r.body as { id: string }).id;
        await advance(desk, admin, id, target, start, `t${(i % 2) + 1}`);
      } catch (err) {
        if (err instanceof DeskError || isJicengError(err)) {
          console.warn(`[seed] ${c.code} case ${i}: ${(err as DeskError).issues?.map((x) => x.message.zh).join("；")}`);
          continue;
        }
        throw err;
      }
    }
  }
  return { counties: created, cases };
}
