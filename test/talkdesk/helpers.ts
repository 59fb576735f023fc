// Shared by the Talkdesk contract tests: calling /talkdesk/* through the Worker's own fetch the way
// Talkdesk does (POST, JSON envelope), tenants on freshly seeded simulator accounts with their directory
// backfilled, a contact-sync walker, and Talkdesk's own sample payloads from the contract file.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { directoryOf, drainBackfill } from "../helpers/directory";
import { createAccount, seedAccount } from "../helpers/sandbox";
import { BRIDGE, createTenant, type TestTenant } from "../helpers/tenants";

/** A parsed answer: status, headers and JSON body (null when the body is not JSON). */
export interface TalkdeskAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** POSTs a JSON body (an object is stringified; a string goes as it is) to `/talkdesk<path>`. */
export function talkdeskFetch(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`${BRIDGE}/talkdesk${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** `talkdeskFetch` and parse: every Talkdesk answer must be JSON. */
export async function talkdesk<T = any>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<TalkdeskAnswer<T>> {
  const res = await talkdeskFetch(path, body, headers);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

export { directoryOf, drainBackfill };

/** A tenant on its own simulator account. */
export interface SyncedTenant {
  tenant: TestTenant;
  /** The simulator account (Talemetry client id). */
  clientId: string;
}

/**
 * A tenant on a fresh simulator account seeded with `count` candidates (the demo candidates first),
 * its directory backfilled.
 */
export async function syncedTenant(
  count: number,
  opts: { region?: string; settings?: Record<string, unknown>; label?: string } = {},
): Promise<SyncedTenant> {
  const { client_id: clientId } = await createAccount(opts.label ?? "td");
  await seedAccount(clientId, count);
  const tenant = await createTenant({ talemetryClientId: clientId, region: opts.region ?? "US", settings: opts.settings });
  await drainBackfill(tenant.id);
  return { tenant, clientId };
}

/** `{"auth": {"api_key": …}}` plus the rest of an envelope. */
export function envelope(apiKey: string, rest: { meta?: unknown; data?: unknown } = {}): Record<string, unknown> {
  return { auth: { api_key: apiKey }, ...rest };
}

/** One contact-sync page as Talkdesk receives it. */
export interface ContactPage {
  next_offset?: string;
  synchronization_checkpoint: string;
  contacts: Array<{ id: string; name: string; phones?: string[]; emails?: string[]; [k: string]: unknown }>;
}

/**
 * Runs one contact-sync run the way Talkdesk does: the first page with `checkpoint` (or none), then
 * every `next_offset` at once. `between` runs after each page but the last (to change data mid-run).
 */
export async function contactSyncRun(
  apiKey: string,
  checkpoint?: string,
  between?: (pageIndex: number) => Promise<void>,
): Promise<{ pages: ContactPage[]; ids: string[]; checkpoint: string }> {
  const pages: ContactPage[] = [];
  let offset: string | undefined;
  for (let i = 0; i < 500; i++) {
    const meta: Record<string, string> = {};
    if (checkpoint !== undefined) meta.synchronization_checkpoint = checkpoint;
    if (offset !== undefined) meta.offset = offset;
    const res = await talkdesk<ContactPage>("/contacts", envelope(apiKey, { meta }));
    expect(res.status).toBe(200);
    pages.push(res.body);
    expect(typeof res.body.synchronization_checkpoint).toBe("string");
    offset = res.body.next_offset;
    if (offset === undefined) break;
    if (between) await between(i);
  }
  const last = pages[pages.length - 1]!;
  return { pages, ids: pages.flatMap((p) => p.contacts.map((contact) => contact.id)), checkpoint: last.synchronization_checkpoint };
}

/** Talkdesk's own sample bodies (docs/contracts/talkdesk-bridge.md), `auth` replaced by ours. */
export const TALKDESK_SAMPLES = {
  /** §3: the interaction retriever's request. */
  interactions: (apiKey: string, contactExternalId: string) => ({
    auth: { api_key: apiKey },
    meta: { interaction_types: ["case", "note"] },
    data: {
      contact_external_id: contactExternalId,
      contact_name: "Jane",
      contact_emails: ["jane.doe@example.com", "jane@example.com"],
      contact_phones: ["+15555555555"],
    },
  }),
  /** §4: the agent retriever's request. */
  agents: (apiKey: string) => ({ auth: { api_key: apiKey }, meta: { offset: 5 } }),
  /** §5: the action executor's request. */
  action: (apiKey: string, contactExternalId: string, agentExternalId: string) => ({
    auth: { api_key: apiKey },
    meta: { contact_external_id: contactExternalId, agent_external_id: agentExternalId },
    data: { subject: "Call missed in Talkdesk", description: "A call from Jane Doe was missed." },
  }),
} as const;
