/** The simulator's Hono app: the contract's calls (both hosts share it: their paths differ) and /__control. */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { fail, toResponse } from "./reply";
import { authRoutes } from "./routes-auth";
import { controlRoutes } from "./routes-control";
import { matchRoutes } from "./routes-match";
import { peopleRoutes } from "./routes-people";
import { profilesRoutes } from "./routes-profiles";
import { usersRoutes } from "./routes-users";

export function buildApp() {
  const app = new Hono<{ Bindings: SandboxEnv }>();
  app.get("/healthz", (c) => c.json({ status: "ok", service: "talemetry-sandbox" }));
  app.route("/", authRoutes);
  app.route("/", matchRoutes);
  app.route("/", profilesRoutes);
  app.route("/", peopleRoutes);
  app.route("/", usersRoutes);
  app.route("/__control", controlRoutes);
  app.notFound(() => toResponse(fail(404, "not_found", "No such route")));
  app.onError((err) => {
    console.error("talemetry-sandbox:", err);
    return toResponse(fail(500, "server_error", "The simulator failed"));
  });
  return app;
}
