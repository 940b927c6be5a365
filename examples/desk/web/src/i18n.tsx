import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

export type Lang = "zh" | "en";
export interface Text {
  zh: string;
  en: string;
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  /** A `{ zh, en }` text, or two strings, in the current language. */
  t(text: Text | string | undefined | null, en?: string): string;
}

const Ctx = createContext<I18n>({ lang: "zh", setLang: () => {}, t: (x) => (typeof x === "string" ? x : (x?.zh ?? "")) });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem("desk.lang") === "en" ? "en" : "zh"));
  useEffect(() => {
    localStorage.setItem("desk.lang", lang);
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [lang]);
  const t: I18n["t"] = (text, en) => {
    if (text === undefined || text === null) return "";
    if (typeof text === "string") return lang === "zh" || en === undefined ? text : en;
    return lang === "zh" ? text.zh : text.en;
  };
  return <Ctx.Provider value={{ lang, setLang, t }}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
