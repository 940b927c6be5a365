/**
 * The pack compiled (validated once, with the core version and a digest): what
 * `createGrader` from `@jiceng/core/grade` takes, and `createEngine` takes without validating again.
 * In the repository it is compiled when imported; the published package ships compiled.js, made
 * by its build with `compilePack`.
 *
 * @example
 * import compiled from "@jiceng/rules-lanxi/compiled";
 * import { createGrader } from "@jiceng/core/grade";
 * const grader = createGrader(compiled);
 */
import { compilePack, type CompiledPack } from "@jiceng/core";
import packJson from "../pack.json" with { type: "json" };

export const compiled: CompiledPack = compilePack(packJson);
export default compiled;
