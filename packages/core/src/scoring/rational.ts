import { IssueCode, fail, type IssuePath } from "../errors/index.js";

/**
 * An exact fraction `n / d` (d > 0, lowest terms). Scores and rates are computed with these, so
 * 0.6 × 80 + 0.4 × 90 is exactly 84 and 949/1000 is exactly below 95/100: binary floating point
 * rounds only once, when a result is turned into a `number` for the data, and decimal rounding
 * happens only for display.
 */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** `n / d` in lowest terms. */
export function rat(n: bigint | number, d: bigint | number = 1n): Rational {
  let N = BigInt(n);
  let D = BigInt(d);
  if (D === 0n) fail(IssueCode.INTERNAL, [], "内部错误：分母为零", "Internal error: zero denominator");
  if (D < 0n) {
    N = -N;
    D = -D;
  }
  const g = gcd(N, D);
  return g > 1n ? { n: N / g, d: D / g } : { n: N, d: D };
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

/**
 * The exact decimal a JS number is written as (its shortest round-trip text), as a fraction:
 * `0.6` → 3/5, not the binary double nearest to 0.6.
 * @throws JicengError for NaN or ±Infinity.
 */
export function fromDecimal(x: number, path: IssuePath = []): Rational {
  if (!Number.isFinite(x)) fail(IssueCode.SCHEMA, path, `不是有限数：${String(x)}`, `Not a finite number: ${String(x)}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!m) fail(IssueCode.INTERNAL, path, `内部错误：无法读取数字 ${String(x)}`, `Internal error: cannot read the number ${String(x)}`);
  const frac = m[3] ?? "";
  let exp = Number(m[4] ?? 0) - frac.length;
  let n = BigInt(m[2]! + frac);
  if (m[1] === "-") n = -n;
  if (exp >= 0) return rat(n * 10n ** BigInt(exp), 1n);
  exp = -exp;
  return rat(n, 10n ** BigInt(exp));
}

export const add = (a: Rational, b: Rational): Rational => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational): Rational => rat(a.n * b.d, a.d * b.n);
/** -1, 0 or 1. */
export const cmp = (a: Rational, b: Rational): -1 | 0 | 1 => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const min = (a: Rational, b: Rational): Rational => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Rational, b: Rational): Rational => (cmp(a, b) >= 0 ? a : b);
export const sum = (xs: readonly Rational[]): Rational => xs.reduce(add, ZERO);
export const isOne = (a: Rational): boolean => a.n === a.d;

/** The double nearest to the fraction (IEEE division rounds once when both parts are exact). */
export function toNumber(a: Rational): number {
  const LIMIT = 2n ** 53n;
  if (abs(a.n) <= LIMIT && a.d <= LIMIT) return Number(a.n) / Number(a.d);
  // Scale down keeping 60 significant bits of the quotient.
  const shift = BigInt(Math.max(0, a.d.toString(2).length - 60));
  return Number(a.n >> shift) / Number(a.d >> shift);
}

/** `"421/5"`, or `"84"` for a whole number: the exact value, for the record. */
export function toFractionString(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}

/**
 * Rounds half away from zero (四舍五入) to `decimals` places and writes it out, exactly:
 * 2942/2953 → "0.996" with 3 places; never a binary-rounding surprise such as 1.005 → "1.00".
 */
export function formatDecimal(a: Rational, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const neg = a.n < 0n;
  const n = abs(a.n) * scale;
  let q = n / a.d;
  if ((n % a.d) * 2n >= a.d) q += 1n;
  const s = q.toString().padStart(decimals + 1, "0");
  const body = decimals > 0 ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s;
  return neg && q !== 0n ? `-${body}` : body;
}

/** `2942/2953` with 1 place → `"99.6%"`. */
export function formatPercent(a: Rational, decimals: number): string {
  return `${formatDecimal(mul(a, rat(100n)), decimals)}%`;
}
