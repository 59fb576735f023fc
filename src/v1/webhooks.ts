import { createRoute, z } from "@hono/zod-openapi";
import { CANDIDATE_EVENTS } from "../core/changes";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  replayDelivery,
} from "../core/webhooks";
import { jsonBody } from "../platform/body";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * Webhook subscriptions and their deliveries (docs/contracts/v1-api.md, "Changes and webhooks"):
 * `POST/GET /v1/webhooks`, `GET/DELETE /v1/webhooks/{id}`, `GET /v1/webhooks/{id}/deliveries` and
 * `POST /v1/webhooks/{id}/deliveries/{delivery_id}/replay` (src/core/webhooks.ts).
 */

const security = [{ [V1_SECURITY_SCHEME]: [] }];
const TAG = "Changes and webhooks";

const EventSchema = z.enum(CANDIDATE_EVENTS);

export const SubscriptionSchema = z
  .object({
    id: z.string().openapi({ example: "wh_3f9a1c2b7d4e5f60718293a4" }),
    url: z.string().openapi({ example: "https://hooks.example.com/talemetry" }),
    events: z.array(EventSchema),
    description: z.string().nullable(),
    status: z.enum(["active", "disabled"]),
    disabled_reason: z
      .string()
      .nullable()
      .openapi({ description: "Why the bridge disabled the subscription (deliveries failing for 3 days); null while active" }),
    created_at: z.string(),
  })
  .openapi("WebhookSubscription");

export const CreatedSubscriptionSchema = SubscriptionSchema.extend({
  secret: z.string().openapi({
    description: "The signing secret (`whsec_` + base64). Shown in this answer only: store it now.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("WebhookSubscriptionCreated");

const CreateBody = z
  .object({
    url: z.string().min(1).max(2048).openapi({
      description:
        "`https://` with a public host name (no localhost, no private, loopback or link-local address); a local deployment may allow localhost",
    }),
    events: z
      .array(EventSchema)
      .min(1)
      .max(CANDIDATE_EVENTS.length)
      .refine((events) => new Set(events).size === events.length, { message: "Each event may be listed once." })
      .openapi({
        description: "The events to receive, each once",
        example: ["candidate.created", "candidate.updated", "candidate.deleted"],
      }),
    description: z.string().max(500).nullable().optional(),
  })
  .strict()
  .openapi("WebhookSubscriptionInput");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The attempt's id (for replay)", example: "dlv_0a1b2c3d4e5f60718293a4b5" }),
    message_id: z.string().openapi({
      description: "The `webhook-id` header: the same on every attempt of one event",
      example: "msg_3f9a1c2b7d4e5f60718293a4_42",
    }),
    event: EventSchema,
    attempt: z.number().int().openapi({ description: "1 for the first attempt of the event, then 2, 3, …" }),
    status: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when nothing answered within 10 s" }),
    duration_ms: z.number().int(),
    at: z.string(),
    outcome: z.enum(["delivered", "failed", "dead_lettered", "replayed"]).openapi({
      description: "`dead_lettered`: given up after failing for 24 h (the subscription went on with its next event; replay it if needed)",
    }),
  })
  .openapi("WebhookDelivery");

const IdParams = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "wh_3f9a1c2b7d4e5f60718293a4" }),
});
const ReplayParams = IdParams.extend({
  delivery_id: z
    .string()
    .max(64)
    .openapi({ param: { name: "delivery_id", in: "path" }, example: "dlv_0a1b2c3d4e5f60718293a4b5" }),
});

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const SIGNING =
  'Each delivery is a `POST` of `{"type", "timestamp", "data": {"id", "candidate"}}` (`candidate` absent on `candidate.deleted`) ' +
  "with the Standard Webhooks headers `webhook-id` (the same on every retry of one event), `webhook-timestamp` and `webhook-signature` " +
  "(`v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed by the base64 part of the secret). A `2xx` within 10 s is success; anything else " +
  "is retried with exponential backoff (first retry within 30 s, each wait at most doubling) for at least 24 h, then dead-lettered; an " +
  "endpoint failing for 3 days is disabled. Deliveries of one subscription arrive in the order of the changes.";

export const createWebhookRoute = createRoute({
  method: "post",
  path: "/webhooks",
  operationId: "createWebhook",
  tags: [TAG],
  summary: "Subscribe a URL to candidate changes",
  description: `Receives the changes made from now on. The signing secret is in this answer only. ${SIGNING}`,
  security,
  middleware: [jsonBody()],
  request: { body: { required: true, content: { "application/json": { schema: CreateBody } } } },
  responses: {
    201: json(CreatedSubscriptionSchema, "Subscribed; the secret is shown once"),
    ...problemResponses(400, 401, 409, 413, 415, 422, 429, 500),
  },
});

export const listWebhooksRoute = createRoute({
  method: "get",
  path: "/webhooks",
  operationId: "listWebhooks",
  tags: [TAG],
  summary: "The tenant's webhook subscriptions",
  security,
  responses: {
    200: json(z.object({ data: z.array(SubscriptionSchema) }), "Subscriptions (without secrets)"),
    ...problemResponses(401, 429, 500),
  },
});

export const getWebhookRoute = createRoute({
  method: "get",
  path: "/webhooks/{id}",
  operationId: "getWebhook",
  tags: [TAG],
  summary: "One webhook subscription",
  description: "`status` is `disabled` (with `disabled_reason`) when its deliveries failed for 3 days.",
  security,
  request: { params: IdParams },
  responses: { 200: json(SubscriptionSchema, "The subscription"), ...problemResponses(400, 401, 404, 429, 500) },
});

export const deleteWebhookRoute = createRoute({
  method: "delete",
  path: "/webhooks/{id}",
  operationId: "deleteWebhook",
  tags: [TAG],
  summary: "Delete a webhook subscription",
  description: "Deliveries stop; the id answers `404` afterwards.",
  security,
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404, 429, 500) },
});

export const listDeliveriesRoute = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: [TAG],
  summary: "Recent delivery attempts",
  description: "The last 100 attempts of the past 7 days, newest first, with the receiver's status and the latency.",
  security,
  request: { params: IdParams },
  responses: {
    200: json(z.object({ data: z.array(DeliverySchema) }), "Attempts, newest first"),
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

export const replayDeliveryRoute = createRoute({
  method: "post",
  path: "/webhooks/{id}/deliveries/{delivery_id}/replay",
  operationId: "replayWebhookDelivery",
  tags: [TAG],
  summary: "Send a delivery's event again",
  description:
    "Queues one more attempt of the attempt's event, with the same `webhook-id`, outside the subscription's order; it shows in the deliveries as `replayed`. `409` when the subscription is disabled (nothing more is sent to it: delete it and subscribe again); `410` when the event is older than the change log's retention.",
  security,
  request: { params: ReplayParams },
  responses: {
    202: json(z.object({ status: z.literal("queued") }), "Queued"),
    ...problemResponses(400, 401, 404, 409, 410, 429, 500),
  },
});

/** Registers the webhook routes on the /v1 router. */
export function registerWebhooks(app: V1Router): void {
  app.openapi(createWebhookRoute, async (c) => {
    const body = c.req.valid("json");
    return c.json(await createSubscription(c.var.services, body), 201);
  });
  app.openapi(listWebhooksRoute, async (c) => c.json({ data: await listSubscriptions(c.var.services) }, 200));
  app.openapi(getWebhookRoute, async (c) => c.json(await getSubscription(c.var.services, c.req.valid("param").id), 200));
  app.openapi(deleteWebhookRoute, async (c) => {
    await deleteSubscription(c.var.services, c.req.valid("param").id);
    return c.body(null, 204);
  });
  app.openapi(listDeliveriesRoute, async (c) => c.json({ data: await listDeliveries(c.var.services, c.req.valid("param").id) }, 200));
  app.openapi(replayDeliveryRoute, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    await replayDelivery(c.var.services, id, delivery_id);
    return c.json({ status: "queued" as const }, 202);
  });
}
