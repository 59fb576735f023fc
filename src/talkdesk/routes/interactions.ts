/**
 * §3 Interaction retriever ("Contact Activity") — `POST /talkdesk/interactions`
 * (docs/contracts/talkdesk-bridge.md). Called whenever a contact is shown to an agent.
 *
 * The contact is `data.contact_external_id` when the contact came from this bridge, else the one
 * candidate its emails or phones point to in the directory. Its notes (`note`) and applications
 * (`application`) are read fresh from Talemetry, filtered by `meta.interaction_types` (absent or empty:
 * all), newest first, dated `YYYY-MM-DD HH:MM:SS UTC`, as a bare array. No such contact → `200 []`.
 */
import type { Hono } from "hono";
import type { ProfileInclude } from "../../talemetry";
import { candidateUrl } from "../../tenants/settings";
import { findContactId } from "../contact-lookup";
import { readEnvelope, type TalkdeskEnv } from "../envelope";
import { talkdeskCall } from "../errors";
import { type TalkdeskInteraction, toInteractions } from "../mapping";
import { interactionsRequestSchema } from "../schemas";

/** What the profile read must include for each of our interaction types. */
const INCLUDE_FOR_TYPE: Record<string, ProfileInclude> = { note: "notes", application: "ats_application_histories" };

/** Registers `POST /interactions`. */
export function registerInteractionRetriever(app: Hono<TalkdeskEnv>): void {
  app.post("/interactions", async (c) => {
    const { meta, data } = readEnvelope(c, interactionsRequestSchema);
    const tenant = c.get("tenant");
    const none: TalkdeskInteraction[] = [];

    const types = meta.interaction_types && meta.interaction_types.length > 0 ? meta.interaction_types : Object.keys(INCLUDE_FOR_TYPE);
    const include = [...new Set(types.flatMap((type) => (INCLUDE_FOR_TYPE[type] ? [INCLUDE_FOR_TYPE[type]] : [])))];
    // Only types we do not have (e.g. Talkdesk's sample `case`): nothing to read.
    if (include.length === 0) return c.json(none, 200);

    const id =
      data.contact_external_id ??
      (await findContactId(c.var.services.directory, { emails: data.contact_emails, phones: data.contact_phones }, tenant.region));
    if (id === null) return c.json(none, 200);

    const [details] = await talkdeskCall(
      "interactions",
      () => c.var.services.talemetry.fetchProfiles([id], include),
      () => [],
    );
    // Talemetry omits unknown and deleted candidates from the answer (contract §3): an unknown contact.
    if (!details) return c.json(none, 200);
    return c.json(toInteractions(details, types, { candidateUrl: candidateUrl(tenant.settings, details.id) }), 200);
  });
}
