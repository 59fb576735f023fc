/**
 * §2 Contact retriever — `POST /talkdesk/contacts` (docs/contracts/talkdesk-bridge.md), served from
 * the tenant's directory, never from Talemetry.
 *
 * | checkpoint | offset  | page                                                        |
 * | ---------- | ------- | ----------------------------------------------------------- |
 * | absent     | absent  | initial sync: fix H = the directory's highest seq; rows ≤ H  |
 * | absent     | present | next page of the run: rows after the offset's seq, ≤ its H   |
 * | present    | absent  | incremental sync: fix H; rows after the checkpoint, ≤ H      |
 * | present    | present | next page of the run (the offset carries everything needed)  |
 *
 * Rows go out ascending by seq; every page carries `synchronization_checkpoint` = H; `next_offset` only
 * while rows remain. A row that changes during a run moves above H and arrives in the next incremental
 * run, so nothing is skipped and nothing repeats within a run.
 */
import type { Hono } from "hono";
import { AppError } from "../../platform/errors";
import { candidateUrl } from "../../tenants/settings";
import { buildContactPage, type ContactPagePlan, type ContactRow, planContactPage } from "../contact-sync";
import { readEnvelope, type TalkdeskEnv } from "../envelope";
import { contactsRequestSchema } from "../schemas";

/** The directory serves at most 1,000 rows a call (`MAX_CHANGES_PAGE`) and we read one extra row. */
export const MAX_CONTACT_PAGE_SIZE = 999;

/** Registers `POST /contacts`. */
export function registerContactRetriever(app: Hono<TalkdeskEnv>): void {
  app.post("/contacts", async (c) => {
    const { meta } = readEnvelope(c, contactsRequestSchema);
    const plan = planContactPage(meta);
    if (!plan.ok) throw new AppError("bad_request", plan.message);

    const tenant = c.get("tenant");
    const directory = c.var.services.directory;
    const pageSize = Math.min(MAX_CONTACT_PAGE_SIZE, c.var.settings.talkdeskPageSize);
    const read = async (p: Extract<ContactPagePlan, { ok: true }>) => {
      // One row more than a page: it only tells whether another page remains.
      const page = await directory.changes(p.after, p.highWater, pageSize + 1);
      // The link template is tenant config, applied at read time so a template change needs no re-index.
      const rows: ContactRow[] = page.rows.map((row) => ({
        seq: row.seq,
        person: { ...row.person, url: candidateUrl(tenant.settings, row.person.id) },
        extras: {
          address: typeof row.extras?.address === "string" ? row.extras.address : null,
          websites: Array.isArray(row.extras?.websites) ? row.extras.websites.filter((w): w is string => typeof w === "string") : [],
        },
      }));
      return buildContactPage(p, { highWater: page.highWater, rows }, pageSize);
    };

    let outcome = await read(plan);
    // A checkpoint above the directory's highest seq: the directory was rebuilt; start the run over.
    if (outcome.restart) outcome = await read(outcome.plan);
    if (outcome.restart) throw new Error("contact sync restarted twice");
    return c.json(outcome.body, 200);
  });
}
