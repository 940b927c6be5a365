import { duplicateIssue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";

export { duplicateIssue };

/** Duplicate ids in a list, as issues at each later duplicate, naming the first by its path. */
export function duplicates(list: ReadonlyArray<{ id: string }>, path: IssuePath, what: Text, out: JicengIssue[]): void {
  const seen = new Map<string, number>();
  list.forEach((x, i) => {
    const first = seen.get(x.id);
    if (first !== undefined) out.push(duplicateIssue([...path, i, "id"], [...path, first, "id"], { zh: `重复的${what.zh}标识 "${x.id}"`, en: `Duplicate ${what.en} id "${x.id}"` }));
    else seen.set(x.id, i);
  });
}
