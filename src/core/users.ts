/**
 * The tenant's CRM users (Talemetry §6) and note authors (§5: `AuthorEmail` must be a Talemetry user's
 * email). Used by `GET /v1/users`, the activity service and the Talkdesk actions.
 *
 * Two KV records per tenant (docs/storage-schema.md): the user list, cached briefly because every
 * activity needs it and Talemetry pages it; and, per caller email, the Talemetry user it maps to, so
 * most activities resolve their author without listing users. Both carry the tenant's Talemetry
 * `credentials_version`: after an operator points the tenant at other Talemetry credentials (maybe
 * another account), entries of the old account are ignored at once instead of for a TTL.
 */
import { emailKey } from "../domain/email";
import type { TalemetryUser } from "../domain/person";
import { AppError } from "../platform/errors";
import { KV_MIN_EXPIRATION_TTL_SECONDS, userMapKey, usersKey } from "../tenants/keys";
import type { Services } from "./services";

/** What the user functions use of the request's services. */
type UserServices = Pick<Services, "kv" | "tenant" | "talemetry">;

/** Short: a user added in Talemetry shows up within two minutes. KV refuses an expiration under 60 s. */
export const USERS_CACHE_TTL_SECONDS = Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, 120);

/**
 * A day: a user removed or deactivated in Talemetry stops resolving by then at the latest (sooner while
 * the user list is cached, see `userByEmail`; Talemetry refuses a removed author's note meanwhile: 422).
 */
export const USER_MAP_TTL_SECONDS = 24 * 60 * 60;

interface CachedUsers {
  v: number;
  users: TalemetryUser[];
}

interface MappedUser {
  v: number;
  id: string;
  email: string;
}

/** Who wrote an activity: a Talemetry user id, an email, or neither (the tenant's default author). */
export interface AuthorRef {
  userId?: string | null;
  userEmail?: string | null;
}

/** A resolved note author. */
export interface Author {
  /** Talemetry user id. */
  id: string;
  /** The Talemetry user's own email, sent as the note's `AuthorEmail`. */
  email: string;
}

/** Best effort: a cache write refused by KV (write rate) must not fail the request that found the data. */
async function putQuietly(kv: KVNamespace, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  try {
    await kv.put(key, JSON.stringify(value), { expirationTtl: ttlSeconds });
  } catch {
    // The next request simply misses the cache.
  }
}

/** The tenant's Talemetry users: from the KV cache, else from Talemetry (then cached). */
export async function listCrmUsers(s: UserServices): Promise<TalemetryUser[]> {
  const { tenant } = s;
  const version = tenant.talemetry.credentials_version;
  const cached = await s.kv.get<CachedUsers>(usersKey(tenant.id), { type: "json" });
  if (cached && cached.v === version && Array.isArray(cached.users)) return cached.users;
  const users = await s.talemetry.listAllUsers();
  await putQuietly(s.kv, usersKey(tenant.id), { v: version, users } satisfies CachedUsers, USERS_CACHE_TTL_SECONDS);
  return users;
}

/**
 * The Talemetry user with this email (case-insensitive), or null. The per-email mapping spares listing the
 * users; it is read together with the cached user list, which wins when present, so a user deactivated in
 * Talemetry stops authoring within the list's 2 minutes while the tenant is busy (within the mapping's day
 * otherwise). Only active users are mapped.
 */
async function userByEmail(s: UserServices, email: string): Promise<(Author & { active: boolean }) | null> {
  const { tenant } = s;
  const version = tenant.talemetry.credentials_version;
  const key = userMapKey(tenant.id, email);
  const wanted = emailKey(email);
  const [mapped, cached] = await Promise.all([
    s.kv.get<MappedUser>(key, { type: "json" }),
    s.kv.get<CachedUsers>(usersKey(tenant.id), { type: "json" }),
  ]);
  const listed = cached && cached.v === version && Array.isArray(cached.users) ? cached.users : null;
  if (!listed && mapped && mapped.v === version) return { id: mapped.id, email: mapped.email, active: true };
  const user = (listed ?? (await listCrmUsers(s))).find((u) => emailKey(u.email) === wanted) ?? null;
  if (user?.active && !(mapped && mapped.v === version && mapped.id === user.id)) {
    await putQuietly(s.kv, key, { v: version, id: user.id, email: user.email } satisfies MappedUser, USER_MAP_TTL_SECONDS);
  }
  return user;
}

/** Active users by id, code-unit order (no locale): the order agent sync pages them in. */
function activeById(users: readonly TalemetryUser[]): TalemetryUser[] {
  return users.filter((u) => u.active).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The author a note falls back to when its caller names no usable one (Talkdesk actions: "assign the
 * agent if possible"): the tenant's `default_author_email` when it is an active Talemetry user, else the
 * first active Talemetry user by id. Null only when the tenant's Talemetry has no active user at all.
 */
export async function fallbackAuthor(s: UserServices): Promise<TalemetryUser | null> {
  const active = activeById(await listCrmUsers(s));
  const configured = s.tenant.settings.default_author_email;
  const wanted = configured ? emailKey(configured) : null;
  return (wanted ? active.find((u) => emailKey(u.email) === wanted) : undefined) ?? active[0] ?? null;
}

/** The active Talemetry user with this id, or null (an inactive user authors nothing new). */
export async function activeUserById(s: UserServices, id: string): Promise<TalemetryUser | null> {
  return (await listCrmUsers(s)).find((u) => u.id === id && u.active) ?? null;
}

/**
 * The note author (docs/contracts/v1-api.md, "Activities"): `userId` or `userEmail` must name an
 * active Talemetry user, else `422` naming the field; with neither, the tenant's default author —
 * `default_author_email` (`422` when it is not an active user: an operator's setting to fix), else the
 * first active Talemetry user by id (`422` when there is none). Field names in errors are the /v1 body's.
 */
export async function resolveAuthor(s: UserServices, ref: AuthorRef): Promise<Author> {
  const invalid = (field: string, message: string, detail = "The activity's author is not an active CRM user.") =>
    new AppError("invalid", detail, { errors: [{ field, message }] });
  if (ref.userId) {
    const user = (await listCrmUsers(s)).find((u) => u.id === ref.userId);
    if (!user) throw invalid("user_id", "Not a user of this tenant's CRM (see GET /v1/users).");
    if (!user.active) throw invalid("user_id", "This CRM user is inactive; name an active user (see GET /v1/users).");
    return { id: user.id, email: user.email };
  }
  if (ref.userEmail) {
    const user = await userByEmail(s, ref.userEmail);
    if (!user) throw invalid("user_email", "No user of this tenant's CRM has this email (see GET /v1/users).");
    if (!user.active) throw invalid("user_email", "This CRM user is inactive; name an active user (see GET /v1/users).");
    return { id: user.id, email: user.email };
  }
  const configured = s.tenant.settings.default_author_email;
  if (configured) {
    const user = await userByEmail(s, configured);
    if (!user?.active) {
      throw invalid(
        "user_id",
        `Send user_id or user_email: the default author ${configured} is not an active user of this tenant's CRM.`,
        "The activity has no author and the tenant's default author is not an active CRM user.",
      );
    }
    return { id: user.id, email: user.email };
  }
  const first = activeById(await listCrmUsers(s))[0] ?? null;
  if (!first) {
    throw invalid(
      "user_id",
      "Send user_id or user_email (this tenant's CRM has no active user to default to).",
      "The activity has no author and the CRM has no active user.",
    );
  }
  return { id: first.id, email: first.email };
}
