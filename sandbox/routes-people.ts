/** Contract §4, §5 and §7: contact PATCH, notes and creating a candidate (profiles host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, tokenCall } from "./pipeline";
import { contactPatchSchema, noteCreateSchema, noteUpdateSchema, personCreateSchema } from "./upstream-schemas";

export const peopleRoutes = new Hono<{ Bindings: SandboxEnv }>();

peopleRoutes.patch("/v1/people/:guid/contact", async (c) => {
  const guid = c.req.param("guid");
  return tokenCall(c, "contact", await jsonBody(c.req.raw, contactPatchSchema), (account, clientId, patch) =>
    account.patchContact(clientId, guid, patch),
  );
});

peopleRoutes.post("/v1/people/:guid/notes", async (c) => {
  const guid = c.req.param("guid");
  return tokenCall(c, "note_create", await jsonBody(c.req.raw, noteCreateSchema), (account, clientId, note) =>
    account.createNote(clientId, guid, note),
  );
});

peopleRoutes.patch("/v1/people/:guid/notes/:noteId", async (c) => {
  const { guid, noteId } = c.req.param();
  return tokenCall(c, "note_update", await jsonBody(c.req.raw, noteUpdateSchema), (account, clientId, change) =>
    account.updateNote(clientId, guid, noteId, change.Text),
  );
});

peopleRoutes.post("/v1/people", async (c) =>
  tokenCall(c, "candidate_create", await jsonBody(c.req.raw, personCreateSchema), (account, clientId, person) =>
    account.createPerson(clientId, person),
  ),
);
