import { autocompletion, snippet, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorSelection } from "@codemirror/state";
import { hoverTooltip } from "@codemirror/view";
import { basicSetup, EditorView } from "codemirror";
import { useEffect, useRef } from "react";
import { InsertTextFormat, MarkupContent, type CompletionItem } from "vscode-json-languageservice";
import type { Lang } from "../i18n.js";
import { docOf, lintText, ls } from "./json-tools.js";

const markup = (m: unknown): string => (typeof m === "string" ? m : MarkupContent.is(m) ? m.value : Array.isArray(m) ? m.map(markup).join("\n") : m && typeof m === "object" && "value" in m ? String((m as { value: unknown }).value) : "");

async function complete(ctx: CompletionContext): Promise<CompletionResult | null> {
  const text = ctx.state.doc.toString();
  const td = docOf(text);
  const list = await ls.doComplete(td, td.positionAt(ctx.pos), ls.parseJSONDocument(td));
  if (!list || list.items.length === 0) return null;
  let from = ctx.pos;
  const first = list.items.find((i) => i.textEdit);
  if (first?.textEdit && "range" in first.textEdit) from = td.offsetAt(first.textEdit.range.start);
  else {
    const w = ctx.matchBefore(/"?[\w$-]*/);
    if (w) from = w.from;
  }
  // The service replaces a key with its quotes ("ta" → "tables": …); CodeMirror matches what was typed
  // against the label, so match from after the opening quote and replace from the quote itself.
  const quoted = text[from] === '"';
  const matchFrom = quoted ? from + 1 : from;
  const options: Completion[] = list.items.map((item: CompletionItem) => {
    const insert = item.textEdit?.newText ?? item.insertText ?? item.label;
    const asSnippet = item.insertTextFormat === InsertTextFormat.Snippet;
    const doc = markup(item.documentation);
    return {
      label: item.label,
      ...(item.detail ? { detail: item.detail } : {}),
      ...(doc ? { info: doc } : {}),
      type: item.kind === 10 ? "property" : item.kind === 15 ? "text" : "keyword",
      apply: (view: EditorView, completion: Completion, f: number, t: number) => {
        const start = quoted ? f - 1 : f;
        const end = quoted && view.state.doc.sliceString(t, t + 1) === '"' ? t + 1 : t;
        if (asSnippet) snippet(insert.replace(/\\\$/g, "$").replace(/\$\{(\d+)\}/g, "${$1:}").replace(/\$(\d+)/g, "${$1:}"))(view, completion, start, end);
        else view.dispatch({ changes: { from: start, to: end, insert }, selection: { anchor: start + insert.length } });
      },
    };
  });
  return { from: matchFrom, options, filter: true };
}

const hover = hoverTooltip(async (view, pos) => {
  const td = docOf(view.state.doc.toString());
  const h = await ls.doHover(td, td.positionAt(pos), ls.parseJSONDocument(td));
  if (!h) return null;
  const text = markup(h.contents);
  if (!text.trim()) return null;
  const start = h.range ? td.offsetAt(h.range.start) : pos;
  return {
    pos: start,
    end: h.range ? td.offsetAt(h.range.end) : pos,
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-json-hover";
      dom.style.cssText = "max-width:480px;padding:6px 8px;white-space:pre-wrap;font-size:13px";
      dom.textContent = text.replace(/```\w*\n?|```/g, "");
      return { dom };
    },
  };
});

export function PackEditor({ value, onChange, lang, jumpTo }: { value: string; onChange: (v: string) => void; lang: Lang; jumpTo?: { at: number; n: number } | null }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const langRef = useRef(lang);
  langRef.current = lang;
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const packLinter = linter(
      (v) =>
        lintText(v.state.doc.toString()).issues.map(
          (r): Diagnostic => ({
            from: Math.min(r.from, v.state.doc.length),
            to: Math.min(r.to, v.state.doc.length),
            severity: r.issue.severity === "warning" ? "warning" : "error",
            source: r.issue.code,
            message: langRef.current === "zh" ? `${r.issue.message.zh}（${r.issue.message.en}）` : `${r.issue.message.en} (${r.issue.message.zh})`,
          }),
        ),
      { delay: 300 },
    );
    const v = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        packLinter,
        autocompletion({ override: [complete] }),
        hover,
        EditorView.updateListener.of((u) => {
          if (u.docChanged) change.current(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "pack.json" }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  // A new pack version loaded from outside replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v && jumpTo) {
      const at = Math.min(jumpTo.at, v.state.doc.length);
      v.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: "center" }) });
      v.focus();
    }
  }, [jumpTo]);

  return <div className="cm-host" ref={host} data-testid="editor" />;
}
