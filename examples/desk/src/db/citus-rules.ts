import { REFERENCE_TABLES, TENANT_TABLES } from "./types.js";

/**
 * The Citus rules, read from migration SQL: every table is classified (tenant or reference); a
 * tenant table has county_code, its primary key starts with it, every unique constraint and every
 * foreign key to another tenant table includes it; identity columns are bigint; no serial, no
 * SEQUENCE, no trigger or rule; the append-only tables get no UPDATE / DELETE grant.
 * Returns one message per broken rule.
 */
export function checkCitusRules(sqlText: string, options: { tenant?: readonly string[]; reference?: readonly string[]; appendOnly?: readonly string[] } = {}): string[] {
  const tenant = new Set(options.tenant ?? TENANT_TABLES);
  const reference = new Set(options.reference ?? REFERENCE_TABLES);
  const appendOnly = options.appendOnly ?? ["case_events", "audit_log", "audit_seal"];
  const text = sqlText.replace(/--[^\n]*/g, "");
  const out: string[] = [];
  if (/\bcreate\s+(or\s+replace\s+)?(constraint\s+)?trigger\b/i.test(text)) out.push("a trigger (Citus does not support triggers on distributed tables)");
  if (/\bcreate\s+(or\s+replace\s+)?rule\b/i.test(text)) out.push("a rule");
  if (/\bcreate\s+sequence\b/i.test(text)) out.push("a SEQUENCE (case numbers come from counter rows)");
  if (/\b(small|big)?serial\b/i.test(text)) out.push("a serial column (use bigint GENERATED ALWAYS AS IDENTITY)");
  for (const m of text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?"?(\w+)"?\s*\(([\s\S]*?)\n\);/gi)) {
    const name = m[1]!.toLowerCase();
    const body = m[2]!;
    const items = splitTopLevel(body);
    if (!tenant.has(name) && !reference.has(name)) {
      out.push(`${name}: neither a tenant nor a reference table (classify it)`);
      continue;
    }
    for (const it of items) {
      if (/generated\s+(always|by\s+default)\s+as\s+identity/i.test(it) && !/^\s*"?\w+"?\s+bigint\b/i.test(it)) out.push(`${name}: identity column not bigint: ${it.trim()}`);
    }
    if (!tenant.has(name)) continue;
    const columns = items.filter((i) => !/^\s*(primary\s+key|unique|foreign\s+key|check|constraint)\b/i.test(i));
    if (!columns.some((c) => /^\s*county_code\s+text\s+not\s+null/i.test(c))) out.push(`${name}: no county_code text NOT NULL column`);
    for (const c of columns) {
      const col = c.trim().split(/\s+/)[0];
      if (col !== "county_code" && /\bprimary\s+key\b/i.test(c)) out.push(`${name}: inline primary key on ${col}`);
      if (/\bunique\b/i.test(c)) out.push(`${name}: inline unique on ${col} (must include county_code)`);
      if (col !== "county_code" && /\breferences\s+"?(\w+)"?/i.test(c) && tenant.has(c.match(/\breferences\s+"?(\w+)"?/i)![1]!.toLowerCase())) out.push(`${name}: foreign key on ${col} to a tenant table without county_code`);
    }
    const pk = items.find((i) => /^\s*primary\s+key\s*\(/i.test(i)) ?? columns.find((c) => /\bprimary\s+key\b/i.test(c));
    const pkCols = pk ? (pk.match(/primary\s+key\s*\(([^)]*)\)/i)?.[1] ?? pk.trim().split(/\s+/)[0]!).split(",").map((s) => s.trim().replace(/"/g, "")) : [];
    if (pkCols[0] !== "county_code") out.push(`${name}: primary key does not start with county_code (${pkCols.join(", ") || "none"})`);
    for (const u of items.filter((i) => /^\s*(constraint\s+\w+\s+)?unique\s*\(/i.test(i))) {
      if (!/\bcounty_code\b/.test(u)) out.push(`${name}: unique constraint without county_code: ${u.trim()}`);
    }
    for (const f of items.filter((i) => /^\s*(constraint\s+\w+\s+)?foreign\s+key/i.test(i))) {
      const target = f.match(/references\s+"?(\w+)"?/i)?.[1]?.toLowerCase();
      if (target && tenant.has(target) && !/foreign\s+key\s*\(\s*county_code\b/i.test(f)) out.push(`${name}: foreign key to ${target} does not start with county_code`);
    }
  }
  // Keys and identities added later by ALTER TABLE follow the same rules.
  for (const a of text.matchAll(/alter\s+table\s+(?:only\s+)?"?(\w+)"?\s+([^;]*);/gi)) {
    const name = a[1]!.toLowerCase();
    const body = a[2]!;
    for (const c of body.matchAll(/add\s+column\s+(?:if\s+not\s+exists\s+)?"?(\w+)"?\s+(\w+)[^,]*?generated\s+(?:always|by\s+default)\s+as\s+identity/gi)) {
      if (c[2]!.toLowerCase() !== "bigint") out.push(`${name}: identity column not bigint: ${c[1]} ${c[2]}`);
    }
    if (!tenant.has(name)) continue;
    for (const k of body.matchAll(/add\s+(?:constraint\s+\w+\s+)?(primary\s+key|unique)\s*\(([^)]*)\)/gi)) {
      const cols = k[2]!.split(",").map((x) => x.trim().replace(/"/g, ""));
      if (/primary/i.test(k[1]!) && cols[0] !== "county_code") out.push(`${name}: primary key does not start with county_code (${cols.join(", ")})`);
      if (/unique/i.test(k[1]!) && !cols.includes("county_code")) out.push(`${name}: unique constraint without county_code: ${cols.join(", ")}`);
    }
  }
  for (const g of text.matchAll(/grant\s+([^;]*?)\s+on\s+(?:table\s+)?([^;]*?)\s+to\s+[^;]*;/gi)) {
    const privs = g[1]!.toLowerCase();
    const tables = g[2]!.toLowerCase().split(",").map((s) => s.trim());
    for (const t of appendOnly) {
      if ((tables.includes(t) || tables.includes("all tables in schema public")) && /\b(update|delete|truncate|all)\b/.test(privs)) out.push(`${t}: append-only, but granted ${privs}`);
    }
  }
  return out;
}

function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of body) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
