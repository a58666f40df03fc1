import { describe, expect, it } from "vitest";
import { parseKernelVersion, parseSeries } from "../../lib/domain/kernel-version";
import { route } from "../../lib/http/route";
import { AppError, toAppError } from "../../lib/services/errors";

const call = (handler: () => Promise<unknown>) => route(handler)(new Request("http://test/x"), { params: Promise.resolve({}) });

describe("domain errors map to statuses in one place (toAppError)", () => {
  it("a kernel string or series the domain cannot parse is a 422 with the input quoted", async () => {
    for (const thrower of [() => parseSeries("123.1"), () => parseKernelVersion("six")]) {
      const res = await call(async () => thrower());
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.message).toMatch(/^cannot parse kernel version "/);
    }
  });
  it("keeps AppErrors and leaves anything else unmapped (a 500 that hides internals)", () => {
    const e = new AppError("not_found", "x not found");
    expect(toAppError(e)).toBe(e);
    expect(toAppError(new Error("boom"))).toBeNull();
  });
});
