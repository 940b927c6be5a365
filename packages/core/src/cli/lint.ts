import { IssueCode, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The value a `local` marker stands on, without its provenance keys, in one short line. */
function summarise(node: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(node).filter(([k]) => k !== "local" && k !== "note" && k !== "cite" && k !== "label" && k !== "description"));
  const s = JSON.stringify(rest);
  return s.length > 120 ? s.slice(0, 117) + "..." : s;
}

/**
 * Lists what policy staff must set themselves: every value in a pack marked `local: true`,
 * with its JSON path and note, as warnings with code `LOCAL_VALUE`. Reads the pack as written
 * (no defaults applied), so a pack that does not load can still be linted.
 *
 * @example
 * for (const i of lintPack(JSON.parse(text))) console.log(formatPath(i.path), i.message.zh);
 * // $.levels[0].warn 本地值（文件未规定）：{"before":{"amount":7,"unit":"calendar-days"}}。文件未规定预警时间…
 * @see POLICY.md: document values vs local values.
 */
export function lintPack(pack: unknown): JicengIssue[] {
  const out: JicengIssue[] = [];
  const walk = (node: unknown, path: IssuePath) => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i]));
    else if (isObject(node)) {
      if (node["local"] === true) {
        const note = isObject(node["note"]) ? (node["note"] as Partial<Text>) : undefined;
        const value = summarise(node);
        out.push(
          issue(
            IssueCode.LOCAL_VALUE,
            path,
            `本地值（文件未规定，须由当地设定）：${value}。${note?.zh ?? "（缺少说明 note）"}`,
            `Local value (the document does not state it; the locality sets it): ${value}. ${note?.en ?? "(no note)"}`,
            { severity: "warning" },
          ),
        );
      }
      for (const [k, v] of Object.entries(node)) if (k !== "note") walk(v, [...path, k]);
    }
  };
  walk(pack, []);
  return out;
}
