import * as z from "zod";

/** JSON Schema description in both languages: `中文 / English`. */
export const d = (zh: string, en: string) => ({ description: `${zh} / ${en}` });

const SAFE_ID = /^[a-z][a-z0-9-]{0,63}$/;
export { SAFE_FACT_NAME } from "./names.js";

export const TextSchema = z
  .strictObject({
    zh: z.string().min(1).meta(d("中文", "Chinese")),
    en: z.string().min(1).meta(d("英文", "English")),
  })
  .meta({ id: "Text", ...d("中英文文本", "A text in Chinese and English") });

export const IdSchema = z.string().regex(SAFE_ID).meta(d("标识：小写字母、数字、连字符", "Identifier: lowercase letters, digits, hyphens"));
