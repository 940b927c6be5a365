/** One difference between two JSON values, at a path. */
export interface Change {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The paths where `b` differs from `a`: arrays item by item (ids name items where they have them). */
export function diffJson(a: unknown, b: unknown, path = "$", out: Change[] = []): Change[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = `${path}.${k}`;
      if (!(k in a)) out.push({ path: p, kind: "added", after: b[k] });
      else if (!(k in b)) out.push({ path: p, kind: "removed", before: a[k] });
      else diffJson(a[k], b[k], p, out);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const idOf = (x: unknown) => (isObj(x) && typeof (x["id"] ?? x["name"]) === "string" ? String(x["id"] ?? x["name"]) : undefined);
    const keyed = a.every((x) => idOf(x) !== undefined) && b.every((x) => idOf(x) !== undefined);
    if (keyed) {
      const am = new Map(a.map((x) => [idOf(x)!, x]));
      const bm = new Map(b.map((x) => [idOf(x)!, x]));
      for (const [id, x] of am) {
        const p = `${path}[${id}]`;
        if (!bm.has(id)) out.push({ path: p, kind: "removed", before: x });
        else diffJson(x, bm.get(id), p, out);
      }
      for (const [id, x] of bm) if (!am.has(id)) out.push({ path: `${path}[${id}]`, kind: "added", after: x });
      return out;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length) out.push({ path: `${path}[${i}]`, kind: "added", after: b[i] });
      else if (i >= b.length) out.push({ path: `${path}[${i}]`, kind: "removed", before: a[i] });
      else diffJson(a[i], b[i], `${path}[${i}]`, out);
    }
    return out;
  }
  out.push({ path, kind: "changed", before: a, after: b });
  return out;
}
