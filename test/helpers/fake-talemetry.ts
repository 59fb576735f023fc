// A small, scriptable Talemetry upstream for the adapter's own tests: a Hono app implementing
// docs/contracts/talemetry-upstream.md (§1–§6), wrapped as a Fetcher-like object. Each test builds its own
// instance (no shared state) and may queue scripted answers per route, which win over the default
// behaviour: a status with a body, a hang, a stalled body, or a network error.
//
// Why a second fake beside the simulator (sandbox/, which every other test uses): the adapter's
// resilience tests need failures the simulator cannot produce through a service binding — a body that
// stalls after its headers, a connection that fails like `fetch` does, exact answers per attempt — and
// they inspect every request the adapter sent (method, headers, body). Only test/talemetry/ uses it.
import { type Context, Hono } from "hono";
import { parsePhoneNumberFromString } from "libphonenumber-js";

export type FakeRoute = "authorize" | "ids" | "profiles" | "contact" | "createNote" | "updateNote" | "users";

export type FakeStep =
  /** Answer with this status; `json` is serialized, `text` is sent as is. */
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Never answer (until the client aborts). */
  | { hang: true }
  /** Answer 200 but never finish the body. */
  | { hangBody: true }
  /** The connection fails (the wrapper throws like `fetch` does). */
  | { networkError: true };

export interface RecordedRequest {
  route: FakeRoute;
  method: string;
  url: string;
  authorization: string | null;
  contentType: string | null;
  accept: string | null;
  body: unknown;
}

export interface FakeUser {
  Id: string;
  Name: string;
  Email: string;
  Active: boolean;
}

export interface FakeTalemetryOptions {
  candidates?: Json[];
  users?: FakeUser[];
  /** Leave `expires_in` out of the authorize answer (§1 allows it). */
  omitExpiresIn?: boolean;
}

/** The credentials the fake accepts on `/v1/authorization`. */
export const FAKE_CREDENTIALS = { client_id: "acme", secret_key: "fake-talemetry-secret-acme" } as const;

const NETWORK_ERROR_HEADER = "x-fake-network-error";
const ERROR = (code: string, message: string) => ({ error: { code, message } });

type Json = Record<string, any>;

/** An HR-XML candidate as §3 shapes it, with the given contact data. */
export function fakeCandidate(
  id: string,
  data: { given?: string; family?: string; emails?: string[]; mobile?: [string, string, string] } = {},
): Json {
  const methods: Json[] = (data.emails ?? []).map((email) => ({ Use: "personal", InternetEmailAddress: email }));
  if (data.mobile) {
    const [cc, area, sub] = data.mobile;
    methods.push({ Use: "personal", Mobile: { InternationalCountryCode: cc, AreaCityCode: area, SubscriberNumber: sub } });
  }
  return {
    CandidateRecordInfo: { Id: { IdValue: id } },
    Resume: {
      StructuredXMLResume: {
        ContactInfo: {
          PersonName: {
            FormattedName: [data.given, data.family].filter(Boolean).join(" ") || null,
            GivenName: data.given ?? null,
            FamilyName: data.family ?? null,
          },
          ContactMethod: methods.length === 1 ? methods[0] : methods,
        },
      },
    },
  };
}

/** §3: a repeatable element is an object when there is one and an array when there are several. */
function mechanical<T>(items: T[]): T | T[] | null {
  return items.length === 0 ? null : items.length === 1 ? items[0] : items;
}

function list(value: unknown): any[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

function phoneMethod(phone: { use: string; number: string }): Json {
  const parsed = parsePhoneNumberFromString(phone.number);
  const parts = { InternationalCountryCode: parsed?.countryCallingCode ?? null, SubscriberNumber: parsed?.nationalNumber ?? phone.number };
  if (phone.use === "mobile") return { Use: "personal", Mobile: parts };
  return { Use: phone.use === "work" ? "business" : phone.use === "home" ? "personal" : "other", Telephone: parts };
}

/** Builds one fake upstream. */
export function createFakeTalemetry(options: FakeTalemetryOptions = {}) {
  const queues = new Map<FakeRoute, FakeStep[]>();
  const requests: RecordedRequest[] = [];
  const validTokens = new Set<string>();
  const candidates = new Map<string, Json>();
  for (const candidate of options.candidates ?? []) candidates.set(candidate.CandidateRecordInfo.Id.IdValue, candidate);
  const users: FakeUser[] = options.users ?? [{ Id: "u-1", Name: "Amy Recruiter", Email: "amy@agency.example", Active: true }];
  let issued = 0;
  let notes = 0;

  function issueToken(): string {
    issued += 1;
    // §1 shape: TGC- + Unix seconds of issue + r + upper-case hex.
    const token = `TGC-${Math.floor(Date.now() / 1000)}r${issued.toString(16).toUpperCase().padStart(16, "0")}`;
    validTokens.add(token);
    return token;
  }

  async function scripted(c: Context, step: FakeStep): Promise<Response> {
    if ("networkError" in step) return new Response(null, { status: 599, headers: { [NETWORK_ERROR_HEADER]: "1" } });
    if ("hang" in step) {
      const signal = c.req.raw.signal;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return c.text("too late", 200);
    }
    if ("hangBody" in step) {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"result":'));
        },
      });
      return new Response(stream, { status: 200, headers: { "Content-Type": "application/json" } });
    }
    const headers = new Headers(step.headers);
    if (step.json !== undefined) {
      headers.set("Content-Type", "application/json");
      return new Response(JSON.stringify(step.json), { status: step.status, headers });
    }
    return new Response(step.text ?? null, { status: step.status, headers });
  }

  /** Records the request, plays a scripted step if one is queued, else checks the token and runs `handler`. */
  function route(name: FakeRoute, handler: (c: Context, body: any) => Response | Promise<Response>) {
    return async (c: Context) => {
      const raw = await c.req.text();
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      requests.push({
        route: name,
        method: c.req.method,
        url: c.req.url,
        authorization: c.req.header("authorization") ?? null,
        contentType: c.req.header("content-type") ?? null,
        accept: c.req.header("accept") ?? null,
        body,
      });
      const step = queues.get(name)?.shift();
      if (step) return scripted(c, step);
      if (name !== "authorize") {
        const token = /^OAUTH (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
        if (!token || !validTokens.has(token)) return c.json(ERROR("unauthorized", "Token missing, unknown or expired"), 401);
      }
      return handler(c, body);
    };
  }

  function findNote(candidate: Json, noteId: string): Json | undefined {
    return list(candidate.UserArea?.Notes?.Note).find((note) => note.Id === noteId);
  }

  const app = new Hono();

  app.post(
    "/v1/authorization",
    route("authorize", (c, body) => {
      // The one account this fake knows (the simulator issues a random secret per created account).
      if (body?.client_id !== FAKE_CREDENTIALS.client_id || body?.secret_key !== FAKE_CREDENTIALS.secret_key) {
        return c.json(ERROR("invalid_credentials", "Invalid client id or secret key"), 401);
      }
      const token = issueToken();
      return c.json({ result: options.omitExpiresIn ? { token } : { token, expires_in: 7200 } });
    }),
  );

  app.post(
    "/match/v1/people/ids",
    route("ids", (c, body) => {
      const size = body?.PageSize ?? 100;
      if (size > 500) return c.json(ERROR("invalid", "PageSize at most 500"), 422);
      const all = [...candidates.keys()];
      const start = body?.Cursor ? all.indexOf(body.Cursor) + 1 : 0;
      const ids = all.slice(start, start + size);
      const more = start + size < all.length;
      return c.json({ result: { Ids: ids, Cursor: more ? ids[ids.length - 1] : null } });
    }),
  );

  app.post(
    "/soap/profiles/v1",
    route("profiles", (c, body) => {
      const ids: string[] = body?.ids ?? [];
      if (ids.length > 50) return c.json(ERROR("invalid", "At most 50 ids"), 422);
      const found = ids.flatMap((id) => (candidates.has(id) ? [{ Candidate: candidates.get(id) }] : []));
      return c.json({ result: { Candidates: mechanical(found) } });
    }),
  );

  app.patch(
    "/v1/people/:id/contact",
    route("contact", (c, body) => {
      const candidate = candidates.get(c.req.param("id") ?? "");
      if (!candidate) return c.json(ERROR("not_found", "No such candidate"), 404);
      const emails: string[] | undefined = body?.emails;
      const phones: Array<{ use: string; number: string }> | undefined = body?.phones;
      for (const email of emails ?? []) {
        for (const [otherId, other] of candidates) {
          const owned = list(other.Resume?.StructuredXMLResume?.ContactInfo?.ContactMethod).some((m) => m.InternetEmailAddress === email);
          if (otherId !== (c.req.param("id") ?? "") && owned) return c.json(ERROR("conflict", "Email belongs to another candidate"), 409);
        }
      }
      if (phones?.some((p) => !/^\+[1-9]\d{6,14}$/.test(p.number))) return c.json(ERROR("invalid", "Numbers must be E.164"), 422);
      const info = candidate.Resume.StructuredXMLResume.ContactInfo;
      const kept = list(info.ContactMethod)
        .map((method) => {
          const copy = { ...method };
          if (emails) delete copy.InternetEmailAddress;
          if (phones) for (const key of ["Telephone", "Mobile", "Fax", "Pager"]) delete copy[key];
          return copy;
        })
        .filter((method) => Object.keys(method).some((key) => key !== "Use"));
      const added = [
        ...(emails ?? []).map((email) => ({ Use: "personal", InternetEmailAddress: email })),
        ...(phones ?? []).map(phoneMethod),
      ];
      info.ContactMethod = mechanical([...kept, ...added]);
      return c.json({ result: { Candidate: candidate } });
    }),
  );

  app.post(
    "/v1/people/:id/notes",
    route("createNote", (c, body) => {
      const candidate = candidates.get(c.req.param("id") ?? "");
      if (!candidate) return c.json(ERROR("not_found", "No such candidate"), 404);
      if (!users.some((user) => user.Email === body?.AuthorEmail)) return c.json(ERROR("invalid", "AuthorEmail is not a user"), 422);
      notes += 1;
      const note = { Id: `note-${notes}`, Text: body.Text, DateTime: body.DateTime, AuthorEmail: body.AuthorEmail };
      candidate.UserArea ??= {};
      candidate.UserArea.Notes = { Note: mechanical([...list(candidate.UserArea.Notes?.Note), note]) };
      return c.json({ result: { Note: note } }, 201);
    }),
  );

  app.patch(
    "/v1/people/:id/notes/:noteId",
    route("updateNote", (c, body) => {
      const candidate = candidates.get(c.req.param("id") ?? "");
      const note = candidate && findNote(candidate, c.req.param("noteId") ?? "");
      if (!note) return c.json(ERROR("not_found", "No such note"), 404);
      note.Text = body?.Text;
      return c.json({ result: { Note: note } });
    }),
  );

  app.get(
    "/v1/users",
    route("users", (c) => {
      const page = Number(c.req.query("page") ?? "1");
      const perPage = Number(c.req.query("per_page") ?? "100");
      const totalPages = Math.max(1, Math.ceil(users.length / perPage));
      return c.json({ result: { Users: users.slice((page - 1) * perPage, page * perPage), Page: page, TotalPages: totalPages } });
    }),
  );

  /** The Fetcher-like wrapper: a scripted network error throws, like `fetch` on a lost connection. */
  const fetcher = {
    async fetch(request: Request): Promise<Response> {
      const response = await app.fetch(request);
      if (response.headers.has(NETWORK_ERROR_HEADER)) throw new TypeError("Network connection lost.");
      return response;
    },
  };

  return {
    app,
    fetcher,
    requests,
    candidates,
    validTokens,
    issueToken,
    /** Queues answers for a route; they are played in order before the default behaviour resumes. */
    script(name: FakeRoute, ...steps: FakeStep[]) {
      queues.set(name, [...(queues.get(name) ?? []), ...steps]);
    },
    /** Requests received on a route so far. */
    count(name: FakeRoute): number {
      return requests.filter((request) => request.route === name).length;
    },
    /** Forgets every token, as a server restart would (§1: a token can stop working early). */
    revokeTokens() {
      validTokens.clear();
    },
  };
}

export type FakeTalemetry = ReturnType<typeof createFakeTalemetry>;
