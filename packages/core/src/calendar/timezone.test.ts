import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJicengError } from "../errors/index.js";
import { formatInstant, formatLocalDate, localDate, parseInstant, parseLocalDate, startOfLocalDay, toLocalDateTime } from "./index.js";

const numRuns = process.env.JICENG_DEEP ? 20_000 : 300;

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isJicengError(e)) return e.code;
    throw e;
  }
  return "no error";
}

describe("parseInstant", () => {
  it("reads ISO 8601 with Z or an offset, in the forms people write", () => {
    const ms = Date.UTC(2024, 8, 29, 15, 59);
    expect(parseInstant("2024-09-29T23:59:00+08:00")).toBe(ms);
    expect(parseInstant("2024-09-29T23:59+08:00")).toBe(ms);
    expect(parseInstant("2024-09-29T23:59:00+0800")).toBe(ms);
    expect(parseInstant("2024-09-29T23:59:00+08")).toBe(ms);
    expect(parseInstant("2024-09-29 23:59:00+08:00")).toBe(ms);
    expect(parseInstant("2024-09-29T15:59:00Z")).toBe(ms);
    expect(parseInstant("2024-09-29t15:59:00z")).toBe(ms);
    expect(parseInstant("2024-09-29T12:29:00-03:30")).toBe(ms);
    expect(parseInstant("2024-09-29T15:59:00.250Z")).toBe(ms + 250);
    expect(parseInstant("2024-09-29T15:59:00.5Z")).toBe(ms + 500);
    expect(parseInstant("2024-09-29T15:59:00,123456789Z")).toBe(ms + 123);
    expect(parseInstant("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });

  it("rejects what is not an instant with INVALID_DATE", () => {
    for (const s of [
      "2024-09-29T23:59:00", // no offset: ambiguous
      "2024-09-29",
      "2023-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-09-29T24:00:00Z",
      "2024-09-29T23:60:00Z",
      "2024-09-29T23:59:60Z",
      "2024-09-29T23:59:00+24:00",
      "2024-09-29T23:59:00+08:60",
      "2024-09-29T23:59:00+8:00",
      "2024-09-29T23:59:00.Z",
      "2024-09-29T23:59:00Zjunk",
      "2024-09-29T23:59:",
      "0000-01-01T00:00:00Z",
      "+002024-09-29T00:00:00Z",
      "24-09-29T00:00:00Z",
      "2024/09/29T00:00:00Z",
      "",
    ]) {
      expect([s, code(() => parseInstant(s))]).toEqual([s, "INVALID_DATE"]);
    }
    expect(code(() => parseInstant(20240929 as unknown as string))).toBe("INVALID_DATE");
  });

  it("agrees with Date.parse on every instant it formats", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const s = new Date(ms).toISOString();
        expect(parseInstant(s)).toBe(ms);
        expect(parseInstant(s)).toBe(Date.parse(s));
      }),
      { numRuns },
    );
  });
});

describe("formatInstant", () => {
  it("writes the zone's offset at that instant", () => {
    expect(formatInstant(Date.UTC(2022, 5, 27, 16))).toBe("2022-06-28T00:00:00+08:00");
    expect(formatInstant(Date.UTC(2022, 5, 27, 16), "America/New_York")).toBe("2022-06-27T12:00:00-04:00");
    expect(formatInstant(Date.UTC(2022, 0, 27, 16), "America/New_York")).toBe("2022-01-27T11:00:00-05:00");
    expect(formatInstant(Date.UTC(2022, 0, 27, 16), "Asia/Kolkata")).toBe("2022-01-27T21:30:00+05:30");
    expect(formatInstant(Date.UTC(2022, 0, 27, 16), "UTC")).toBe("2022-01-27T16:00:00+00:00");
    expect(formatInstant(Date.UTC(2022, 0, 27, 16, 0, 0, 250))).toBe("2022-01-28T00:00:00.250+08:00");
  });

  it("Asia/Shanghai kept daylight saving until 1991: 1988-07-01 is +09:00, not the modern +08:00", () => {
    expect(formatInstant(Date.UTC(2024, 6, 1))).toBe("2024-07-01T08:00:00+08:00");
    expect(formatInstant(Date.UTC(1988, 6, 1))).toBe("1988-07-01T09:00:00+09:00");
    expect(formatInstant(Date.UTC(2024, 6, 1))).toBe("2024-07-01T08:00:00+08:00");
  });

  it("matches Intl's wall clock and round-trips through parseInstant, in zones with and without daylight saving", () => {
    const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo", "Africa/Casablanca", "Pacific/Apia", "UTC"];
    const intl = new Map(zones.map((z) => [z, new Intl.DateTimeFormat("en-US", { timeZone: z, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, ms) => {
        const s = formatInstant(ms, zone);
        expect(parseInstant(s)).toBe(ms);
        const p = Object.fromEntries(intl.get(zone)!.formatToParts(ms).map((x) => [x.type, x.value]));
        expect(s.slice(0, 19)).toBe(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`);
      }),
      { numRuns },
    );
  });

  it("rejects invalid instants and unknown zones", () => {
    expect(code(() => formatInstant(Number.NaN))).toBe("INVALID_DATE");
    expect(code(() => formatInstant(1e20))).toBe("INVALID_DATE");
    expect(code(() => formatInstant(0, "Nowhere/Town"))).toBe("INVALID_DATE");
  });
});

describe("local days", () => {
  it("toLocalDateTime and localDate give the local calendar day of an instant", () => {
    expect(toLocalDateTime("2024-09-29T15:59:00Z")).toEqual({ day: parseLocalDate("2024-09-29"), date: "2024-09-29", msOfDay: 86_340_000, offsetMs: 28_800_000 });
    expect(localDate("2024-09-29T16:30:00Z")).toBe("2024-09-30");
    expect(localDate("2024-09-29T16:30:00Z", "UTC")).toBe("2024-09-29");
    expect(localDate(new Date("2024-09-29T16:30:00Z"), "America/Los_Angeles")).toBe("2024-09-29");
  });

  it("startOfLocalDay is local midnight, or the end of a gap where clocks skip midnight", () => {
    expect(formatInstant(startOfLocalDay(parseLocalDate("2022-06-28")))).toBe("2022-06-28T00:00:00+08:00");
    // São Paulo began daylight saving at 00:00 on 2018-11-04: the day started at 01:00.
    expect(formatInstant(startOfLocalDay(parseLocalDate("2018-11-04"), "America/Sao_Paulo"), "America/Sao_Paulo")).toBe("2018-11-04T01:00:00-02:00");
    expect(formatInstant(startOfLocalDay(parseLocalDate("2024-03-10"), "America/New_York"), "America/New_York")).toBe("2024-03-10T00:00:00-05:00");
  });

  it("startOfLocalDay(day) falls on day, and the millisecond before it on an earlier day", () => {
    const zones = ["Asia/Shanghai", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata"];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: parseLocalDate("1970-01-01"), max: parseLocalDate("2099-12-31") }), (zone, day) => {
        const t = startOfLocalDay(day, zone);
        expect(toLocalDateTime(t, zone).day).toBe(day);
        expect(toLocalDateTime(t - 1, zone).day).toBeLessThan(day);
      }),
      { numRuns },
    );
  });

  it("parseLocalDate and formatLocalDate are inverse, and reject non-dates", () => {
    expect(parseLocalDate("1970-01-01")).toBe(0);
    expect(parseLocalDate("2024-10-01")).toBe(19_997);
    expect(formatLocalDate(19_997)).toBe("2024-10-01");
    expect(formatLocalDate(-1)).toBe("1969-12-31");
    fc.assert(
      fc.property(fc.integer({ min: parseLocalDate("0001-01-01"), max: parseLocalDate("9999-12-31") }), (day) => {
        expect(parseLocalDate(formatLocalDate(day))).toBe(day);
        expect(formatLocalDate(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
      }),
      { numRuns },
    );
    for (const bad of ["2024-02-30", "2024-9-1", "20240901", "2024-09-01T00:00:00Z", ""]) expect(code(() => parseLocalDate(bad))).toBe("INVALID_DATE");
    expect(code(() => formatLocalDate(1.5))).toBe("INVALID_DATE");
  });
});
