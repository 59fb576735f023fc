// Agent sync (contract §4) through the Worker against the simulator's users: active users only, ordered
// by id, `id` as a string, integer offset paging with the first call's offset absent or null, Talkdesk's
// own sample (offset 5), and an upstream outage. TALKDESK_PAGE_SIZE is 4 in tests (vitest.config.ts).
import { describe, expect, it } from "vitest";
import { SANDBOX_USERS } from "../../sandbox/demo-data";
import { clearFaults, createAccount, setFaults } from "../helpers/sandbox";
import { createTenant } from "../helpers/tenants";
import { envelope, TALKDESK_SAMPLES, talkdesk } from "./helpers";

interface AgentPage {
  agents: Array<{ id: string; name: string; email: string }>;
  next_offset?: number;
}

const ACTIVE = SANDBOX_USERS.filter((u) => u.Active)
  .map((u) => ({ id: u.Id, name: u.Name, email: u.Email }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

/** Walks agent sync from a first request whose meta is `firstMeta`. */
async function agentRun(apiKey: string, firstMeta: Record<string, unknown>): Promise<AgentPage[]> {
  const pages: AgentPage[] = [];
  let meta = firstMeta;
  for (let i = 0; i < 20; i++) {
    const res = await talkdesk<AgentPage>("/agents", envelope(apiKey, { meta }));
    expect(res.status).toBe(200);
    pages.push(res.body);
    if (res.body.next_offset === undefined) return pages;
    expect(Number.isInteger(res.body.next_offset)).toBe(true);
    meta = { offset: res.body.next_offset };
  }
  throw new Error("agent sync did not end");
}

describe("POST /talkdesk/agents", () => {
  it.each([
    ["absent", {}],
    ["null", { offset: null }],
  ])("pages through every active user once when the first offset is %s", async (_form, firstMeta) => {
    const tenant = await createTenant();
    const pages = await agentRun(tenant.api_key, firstMeta);
    expect(pages.flatMap((p) => p.agents)).toEqual(ACTIVE);
    expect(pages).toHaveLength(Math.ceil(ACTIVE.length / 4));
    expect(pages[0]!.next_offset).toBe(4);
    for (const agent of pages.flatMap((p) => p.agents)) expect(typeof agent.id).toBe("string");
  });

  it("answers Talkdesk's sample (offset 5) with the agents from index 5, and no next_offset at the end", async () => {
    const tenant = await createTenant();
    const res = await talkdesk<AgentPage>("/agents", TALKDESK_SAMPLES.agents(tenant.api_key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ agents: ACTIVE.slice(5, 9) });
    const beyond = await talkdesk<AgentPage>("/agents", envelope(tenant.api_key, { meta: { offset: 50 } }));
    expect(beyond.body).toEqual({ agents: [] });
  });

  it("accepts a numeric-string offset and refuses a negative or fractional one, naming meta.offset", async () => {
    const tenant = await createTenant();
    const text = await talkdesk<AgentPage>("/agents", envelope(tenant.api_key, { meta: { offset: "4" } }));
    expect(text.body.agents[0]!.id).toBe(ACTIVE[4]!.id);
    for (const offset of [-1, 1.5, "four"]) {
      const res = await talkdesk("/agents", envelope(tenant.api_key, { meta: { offset } }));
      expect(res.status).toBe(400);
      expect(res.body.message).toContain("meta.offset");
    }
  });

  it("answers 503 with Retry-After when Talemetry's users call keeps failing", async () => {
    const { client_id: clientId } = await createAccount("agents-outage");
    const tenant = await createTenant({ talemetryClientId: clientId });
    await setFaults(clientId, [{ op: "users", status: 503 }]);
    const res = await talkdesk("/agents", envelope(tenant.api_key));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: expect.any(String) });
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    await clearFaults(clientId);
  });
});
