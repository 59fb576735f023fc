import { Hono } from "hono";
import type { Env } from "./env";

export function buildApp() {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  return app;
}
