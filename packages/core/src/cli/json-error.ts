import type { Text } from "../errors/index.js";
import { displayWidth } from "./io.js";

/** Where a JSON text first breaks the grammar, and what was expected there. */
export interface JsonSyntaxError {
  /** 0-based UTF-16 offset. */
  offset: number;
  /** 1-based line and column (column in characters). */
  line: number;
  column: number;
  message: Text;
  /** The line the error is on, and a caret under the column (terminal widths: CJK counts two). */
  excerpt: string;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const HEX = /^[0-9a-fA-F]$/;

const shown = (c: string) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : c);

/**
 * Finds the first syntax error of a JSON text (RFC 8259), or `undefined` if it is valid. Node's
 * `JSON.parse` messages give a character offset at best (and sometimes none); this gives the line,
 * the column and what was expected. Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string, options: { firstLine?: number } = {}): JsonSyntaxError | undefined {
  const n = text.length;
  const stack: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  type Mode = "value" | "valueOrEnd" | "key" | "keyOrEnd" | "colon" | "after";
  let mode: Mode = "value";
  const at = (zh: string, en: string) => locate(text, i, { zh, en }, options.firstLine ?? 1);
  // Scans a string starting at `"`; returns an error message or undefined.
  const string = (): JsonSyntaxError | undefined => {
    i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          let k = 0;
          while (k < 4 && HEX.test(text[i + 2 + k] ?? "")) k++;
          if (k < 4) {
            i += 2 + k;
            return at("\\u 后须为 4 位十六进制数", "\\u must be followed by 4 hex digits");
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return at(`无效的转义 \\${e ?? ""}`, `invalid escape \\${e ?? ""}`);
        }
        continue;
      }
      if (c < " ") return at(`字符串中不能直接出现控制字符 ${shown(c)}（换行须写成 \\n）`, `a control character ${shown(c)} inside a string (write a newline as \\n)`);
      i++;
    }
    return at("字符串没有结束的引号", "the string has no closing quote");
  };
  const digits = (): boolean => {
    const from = i;
    while (i < n && text[i]! >= "0" && text[i]! <= "9") i++;
    return i > from;
  };
  // Scans a number; an error points where a digit was wanted (as V8 does).
  const number = (): JsonSyntaxError | undefined => {
    const wantDigit = () => at(`此处应为数字，而不是 ${i < n ? `“${shown(text[i]!)}”` : "结尾"}`, `expected a digit, not ${i < n ? `"${shown(text[i]!)}"` : "the end"}`);
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return wantDigit();
    if (text[i] === ".") {
      i++;
      if (!digits()) return wantDigit();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return wantDigit();
    }
    return undefined;
  };
  for (;;) {
    while (i < n && WS.has(text[i]!)) i++;
    if (mode === "after" && stack.length === 0) return i < n ? at(`JSON 值之后还有多余的内容 “${shown(text[i]!)}”`, `unexpected "${shown(text[i]!)}" after the JSON value`) : undefined;
    if (i >= n) {
      const top = stack[stack.length - 1];
      return at(
        top === "{" ? "JSON 意外结束：缺少 “}”" : top === "[" ? "JSON 意外结束：缺少 “]”" : "JSON 意外结束：缺少值",
        top === "{" ? 'unexpected end of JSON: missing "}"' : top === "[" ? 'unexpected end of JSON: missing "]"' : "unexpected end of JSON: a value is missing",
      );
    }
    const c = text[i]!;
    switch (mode) {
      case "valueOrEnd":
      case "value": {
        if (mode === "valueOrEnd" && c === "]") {
          stack.pop();
          i++;
          mode = "after";
          break;
        }
        if (c === "{") {
          stack.push("{");
          i++;
          mode = "keyOrEnd";
        } else if (c === "[") {
          stack.push("[");
          i++;
          mode = "valueOrEnd";
        } else if (c === '"') {
          const e = string();
          if (e) return e;
          mode = "after";
        } else if (c === "-" || (c >= "0" && c <= "9")) {
          const e = number();
          if (e) return e;
          mode = "after";
        } else if (c === "t" || c === "f" || c === "n") {
          const word = c === "t" ? "true" : c === "f" ? "false" : "null";
          let k = 0;
          while (k < word.length && text[i + k] === word[k]) k++;
          if (k < word.length) {
            i += k;
            return at(`此处应为 ${word}`, `expected ${word}`);
          }
          i += k;
          mode = "after";
        } else if (c === "]" || c === "}") return at(`此处应为一个值，而不是 “${c}”（多余的逗号？）`, `expected a value, not "${c}" (a trailing comma?)`);
        else if (c === "'") return at("字符串须用双引号", "strings take double quotes");
        else return at(`此处应为一个值，而不是 “${shown(c)}”`, `expected a value, not "${shown(c)}"`);
        break;
      }
      case "keyOrEnd":
      case "key": {
        if (mode === "keyOrEnd" && c === "}") {
          stack.pop();
          i++;
          mode = "after";
          break;
        }
        if (c !== '"') return at(`此处应为用双引号括起的键名，而不是 “${shown(c)}”${c === "}" ? "（多余的逗号？）" : ""}`, `expected a key in double quotes, not "${shown(c)}"${c === "}" ? " (a trailing comma?)" : ""}`);
        const e = string();
        if (e) return e;
        mode = "colon";
        break;
      }
      case "colon":
        if (c !== ":") return at(`键名之后应为 “:”，而不是 “${shown(c)}”`, `expected ":" after the key, not "${shown(c)}"`);
        i++;
        mode = "value";
        break;
      case "after": {
        const top = stack[stack.length - 1]!;
        const close = top === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          mode = top === "{" ? "key" : "value";
        } else if (c === close) {
          stack.pop();
          i++;
          mode = "after";
        } else return at(`此处应为 “,” 或 “${close}”，而不是 “${shown(c)}”（缺少逗号？）`, `expected "," or "${close}", not "${shown(c)}" (a missing comma?)`);
        break;
      }
    }
  }
}

/** Line, column and an excerpt with a caret for an offset into `text`. */
export function locate(text: string, offset: number, message: Text, firstLine = 1): JsonSyntaxError {
  let line = firstLine;
  let start = 0;
  for (let j = text.indexOf("\n"); j !== -1 && j < offset; j = text.indexOf("\n", j + 1)) {
    line++;
    start = j + 1;
  }
  let end = text.indexOf("\n", start);
  if (end === -1) end = text.length;
  const full = text.slice(start, end).replace(/\r$/, "");
  const column = [...text.slice(start, offset)].length + 1;
  // Long lines (a minified file): a window of about 60 characters either side.
  const from = Math.max(0, offset - start - 60);
  const to = Math.min(full.length, offset - start + 60);
  const shownLine = (from > 0 ? "…" : "") + full.slice(from, to) + (to < full.length ? "…" : "");
  const before = (from > 0 ? "…" : "") + full.slice(from, offset - start);
  const gutter = `${line} | `;
  const excerpt = `${gutter}${shownLine.replace(/\t/g, " ")}\n${" ".repeat(gutter.length - 2)}| ${" ".repeat(displayWidth(before.replace(/\t/g, " ")))}^`;
  return { offset, line, column, message, excerpt };
}
