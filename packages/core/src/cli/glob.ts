import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";

/** True when an argument is a glob pattern rather than a path or a pack id. */
export const isGlob = (arg: string): boolean => /[*?[{]/.test(arg);

/** `*` `?` `[…]` `{a,b}` of one path segment as a regular expression. */
function segmentRegex(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        re += `[${seg.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = seg.indexOf("}", i + 1);
      if (end === -1) re += "\\{";
      else {
        re += `(?:${seg.slice(i + 1, end).split(",").map((x) => x.replace(/[.+^$()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")).join("|")})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The files matching a glob, sorted, as given relative to `cwd` (or absolute when the pattern
 * is). `**` spans any number of directories but never enters `node_modules` or dot-directories;
 * `*` does not match a leading dot (as in a shell).
 */
export function expandGlob(pattern: string, cwd: string): string[] {
  const abs = isAbsolute(pattern);
  const parts = pattern.split(/[\\/]+/).filter((p, i) => p !== "" || i === 0);
  const root = abs ? sep : cwd;
  if (abs) parts.shift();
  const out = new Set<string>();
  const walk = (dir: string, rest: readonly string[]): void => {
    if (rest.length === 0) {
      out.add(dir);
      return;
    }
    const [seg, ...tail] = rest as [string, ...string[]];
    if (seg === "**") {
      walk(dir, tail);
      for (const name of list(dir)) if (!name.startsWith(".") && name !== "node_modules" && isDir(join(dir, name))) walk(join(dir, name), rest);
      return;
    }
    if (!isGlob(seg)) {
      const next = join(dir, seg);
      if (tail.length === 0 ? statOk(next) : isDir(next)) walk(next, tail);
      return;
    }
    const re = segmentRegex(seg);
    for (const name of list(dir).sort()) {
      if (name.startsWith(".") && !seg.startsWith(".")) continue;
      if (!re.test(name)) continue;
      const next = join(dir, name);
      if (tail.length === 0 ? !isDir(next) : isDir(next)) walk(next, tail);
    }
  };
  walk(root, parts);
  return [...out].filter((f) => !isDir(f)).sort().map((f) => (abs ? f : relative(cwd, f) || f));
}

function statOk(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
