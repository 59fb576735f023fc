// The bridge answers /healthz and reaches the simulator through its service binding.
import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";

it("answers /healthz", async () => {
  const res = await exports.default.fetch("http://bridge/healthz");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

it("reaches the simulator over the service binding", async () => {
  const res = await env.TALEMETRY_SANDBOX!.fetch("http://sandbox/healthz");
  expect(await res.json()).toMatchObject({ service: "talemetry-sandbox" });
});
