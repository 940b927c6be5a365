import { IssueCode, issue, type IssuePath, type JicengIssue } from "../errors/index.js";

/** Duplicate ids in a list, as issues at each later duplicate. */
export function duplicates(list: ReadonlyArray<{ id: string }>, path: IssuePath, what: string, out: JicengIssue[]): void {
  const seen = new Map<string, number>();
  list.forEach((x, i) => {
    const first = seen.get(x.id);
    if (first !== undefined) out.push(issue(IssueCode.DUPLICATE_ID, [...path, i, "id"], `重复的${what}标识 "${x.id}"（第 ${first + 1} 项已使用）`, `Duplicate ${what} id "${x.id}" (already used by item ${first + 1})`));
    else seen.set(x.id, i);
  });
}
