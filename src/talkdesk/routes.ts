/**
 * The Talkdesk bridge (docs/contracts/talkdesk-bridge.md), mounted at `/talkdesk`: the public
 * manifest and its assets, then every component Talkdesk POSTs to, behind the envelope's `api_key`.
 * Errors of every route are rendered as `{"message"}` by the app's one error handler (`callerOf`).
 */
import type { Hono } from "hono";
import { createRouter } from "../platform/validation";
import { talkdeskBudget } from "./budget";
import { type TalkdeskEnv, talkdeskEnvelope } from "./envelope";
import { registerActionExecutor } from "./routes/actions";
import { registerAgentRetriever } from "./routes/agents";
import { registerAuthValidator } from "./routes/auth";
import { registerContactRetriever } from "./routes/contacts";
import { registerInteractionRetriever } from "./routes/interactions";
import { registerManifest } from "./routes/manifest";

/** Builds the `/talkdesk` router. */
export function talkdeskRoutes(): Hono<TalkdeskEnv> {
  const app = createRouter<TalkdeskEnv>();
  registerManifest(app);
  // Every POST carries the envelope: read it once, authenticate its api_key, then route.
  app.post("*", talkdeskEnvelope());
  // Then the tenant's Talkdesk budget, before any route can reach Talemetry or the directory.
  app.post("*", talkdeskBudget());
  registerAuthValidator(app);
  registerContactRetriever(app);
  registerInteractionRetriever(app);
  registerAgentRetriever(app);
  registerActionExecutor(app);
  return app;
}
