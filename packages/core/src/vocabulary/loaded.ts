/**
 * The mark `loadPack` sets on a pack it validated. It lives on the bottom floor so that a capability
 * can tell a loaded pack from raw JSON without importing the loader (which sits above it).
 * `Symbol.for`, so the mark holds across ESM / CJS copies of core.
 */
const LOADED = Symbol.for("jiceng.loadedPack");

/** Marks a pack as validated (non-enumerable: JSON and structuredClone do not carry it). */
export function markLoaded(pack: object): void {
  Object.defineProperty(pack, LOADED, { value: true, enumerable: false });
}

/** True if `value` carries the mark `loadPack` sets. */
export function hasLoadedMark(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[LOADED] === true;
}
