/**
 * The simulator's Durable Object class. Each Talemetry client id is one instance
 * (`idFromName(client_id)`) holding that account's data in SQLite; one more instance named
 * "__registry" maps tokens to accounts (registry.ts). The wrangler config binds a single class, so the
 * two roles share it; each instance only ever creates the tables of its own role.
 *
 * Every account method takes the client id: the object learns whose it is when the account is created
 * (there is no reliable way to read an object's name from inside it) and refuses any other. An account
 * exists only once created through the control API (`create`); until then every call on it answers as
 * for an unknown account (401 on the upstream calls, 404 on the control calls).
 */
import { DurableObject } from "cloudflare:workers";
import * as control from "./account-control";
import { AccountStore } from "./account-store";
import * as upstream from "./account-upstream";
import type { ParsedCandidateInput, SettingsBody } from "./control-schemas";
import { type SandboxEnv, seedCount } from "./env";
import type { Decision, FaultRule, Op } from "./faults";
import type { ProfileSources } from "./profiles";
import { RegistryStore, type TokenRoute } from "./registry";
import { fail, ok, type Reply } from "./reply";
import type { ContactPatch, IdsRequest, NoteCreate, PersonCreate } from "./upstream-schemas";

/** A read the account performs right after the latency (`beginRead`). */
export type ReadRequest = { kind: "profiles"; ids: string[] } | { kind: "ids"; request: IdsRequest };

/** What `beginRead` answers: the read's result, or the decision for the Worker to carry out. */
export type ReadOutcome = { result: ProfileSources | Reply } | { decision: Decision | null | "unknown" };

export class SimulatorAccount extends DurableObject<SandboxEnv> {
  private accountStore: AccountStore | null = null;
  private registryStore: RegistryStore | null = null;

  private store(): AccountStore {
    this.accountStore ??= new AccountStore(this.ctx.storage, seedCount(this.env));
    return this.accountStore;
  }

  /** The created account, or null. */
  private found(clientId: string): AccountStore | null {
    const store = this.store();
    return store.open(clientId) ? store : null;
  }

  /** Runs `fn` on the created account; a control call on any other answers 404. */
  private onAccount(clientId: string, fn: (store: AccountStore) => Reply): Reply {
    const store = this.found(clientId);
    return store ? fn(store) : fail(404, "not_found", `No account ${clientId}: create it with POST /__control/accounts`);
  }

  /** Runs an upstream operation; the account vanishing after `begin` (a reset) reads as a dead token. */
  private onUpstream<T>(clientId: string, fn: (store: AccountStore) => T): T | Reply {
    const store = this.found(clientId);
    return store ? fn(store) : fail(401, "invalid_token", "The token has expired or was revoked");
  }

  private registry(): RegistryStore {
    this.registryStore ??= new RegistryStore(this.ctx.storage.sql);
    return this.registryStore;
  }

  // --- upstream calls (contract §1–§7) -------------------------------------------------------------

  /**
   * Counts the call and decides how to answer it; null for an account that was never created. With
   * `onlyIfHeld` (a token route the Worker remembered, pipeline.ts), an account that does not hold the
   * token — never issued here, or wiped since — answers "unknown" and counts nothing.
   */
  begin(clientId: string, op: Op, token: string | null, onlyIfHeld = false): Decision | null | "unknown" {
    const store = this.found(clientId);
    if (onlyIfHeld && (store === null || token === null || !store.holdsToken(token))) return "unknown";
    return store?.begin(op, token, Date.now()) ?? null;
  }

  /** §1, with the SHA-256 of the presented secret key (the Worker hashes it: this stays synchronous). */
  authorize(clientId: string, secretSha256: string): upstream.AuthorizeResult {
    const store = this.found(clientId);
    if (!store) return { reply: fail(401, "invalid_credentials", "Invalid client id or secret key") };
    return upstream.authorize(store, secretSha256, Date.now());
  }

  /**
   * A read (pipeline.ts `readCall`): counts and decides like `begin`; when the decision is to wait and
   * perform it, waits the latency here — a timer, which holds no gate: the account's other requests
   * run meanwhile — and performs it in the same call. Any other decision goes back to the Worker, which
   * carries it out as for any call (`read` is null when the request was invalid: a 422 to answer).
   */
  async beginRead(clientId: string, op: Op, token: string, onlyIfHeld: boolean, read: ReadRequest | null): Promise<ReadOutcome> {
    const decision = this.begin(clientId, op, token, onlyIfHeld);
    if (read === null || decision === null || decision === "unknown" || decision.hang || decision.fault || !decision.tokenOk) {
      return { decision };
    }
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    return { result: this.performRead(clientId, read) };
  }

  /** Performs a read (§2 listing, §3 the stored part of a profiles call). */
  performRead(clientId: string, read: ReadRequest): ProfileSources | Reply {
    return this.onUpstream(clientId, (store) =>
      read.kind === "profiles" ? upstream.profileSources(store, read.ids) : upstream.listIds(store, read.request),
    );
  }

  patchContact(clientId: string, id: string, patch: ContactPatch): Reply {
    return this.onUpstream(clientId, (store) => upstream.patchContact(store, id, patch, Date.now()));
  }

  createNote(clientId: string, id: string, note: NoteCreate): Reply {
    return this.onUpstream(clientId, (store) => upstream.createNote(store, id, note, Date.now()));
  }

  updateNote(clientId: string, id: string, noteId: string, text: string): Reply {
    return this.onUpstream(clientId, (store) => upstream.updateNote(store, id, noteId, text, Date.now()));
  }

  createPerson(clientId: string, person: PersonCreate): Reply {
    return this.onUpstream(clientId, (store) => upstream.createPerson(store, person, Date.now()));
  }

  // --- control -------------------------------------------------------------------------------------

  setFaults(clientId: string, rules: FaultRule[]): Reply {
    return this.onAccount(clientId, (store) => control.setFaults(store, rules));
  }

  getFaults(clientId: string): Reply {
    return this.onAccount(clientId, (store) => control.getFaults(store));
  }

  revokeTokens(clientId: string): Reply {
    return this.onAccount(clientId, (store) => control.revokeTokens(store));
  }

  stats(clientId: string): Reply {
    return this.onAccount(clientId, (store) => control.stats(store, Date.now()));
  }

  resetStats(clientId: string): Reply {
    return this.onAccount(clientId, (store) => control.resetStats(store));
  }

  seed(clientId: string, options: { count: number; seed?: string | number; demo?: boolean }): Reply {
    return this.onAccount(clientId, (store) => control.seed(store, options));
  }

  settings(clientId: string, change: SettingsBody): Reply {
    return this.onAccount(clientId, (store) => control.settings(store, change));
  }

  getCandidate(clientId: string, id: string): Reply {
    return this.onAccount(clientId, (store) => control.getCandidate(store, id));
  }

  createCandidate(clientId: string, input: ParsedCandidateInput): Reply {
    return this.onAccount(clientId, (store) => control.createCandidate(store, input, Date.now()));
  }

  updateCandidate(clientId: string, id: string, input: ParsedCandidateInput): Reply {
    return this.onAccount(clientId, (store) => control.updateCandidate(store, id, input, Date.now()));
  }

  deleteCandidate(clientId: string, id: string, at: number | null): Reply {
    return this.onAccount(clientId, (store) => control.deleteCandidate(store, id, at ?? Date.now()));
  }

  /**
   * Creates the account with the digest of its secret key (the key itself never reaches storage) and
   * the default seed; a 409 when it exists already.
   */
  create(clientId: string, secretSha256: string): Reply {
    if (!this.store().createAccount(clientId, secretSha256)) return fail(409, "conflict", `Account ${clientId} exists already`);
    return ok({ client_id: clientId }, 201);
  }

  /** Replaces the account's secret key digest (the old key stops working; tokens stay valid). */
  replaceSecret(clientId: string, secretSha256: string): Reply {
    return this.onAccount(clientId, (store) => {
      store.replaceSecret(secretSha256);
      return ok({ client_id: clientId });
    });
  }

  /**
   * Wipes the account's data, tokens, faults, settings and counters and reseeds it; the account and its
   * secret key stay.
   */
  async resetAccount(clientId: string): Promise<Reply> {
    const store = this.found(clientId);
    if (!store) return fail(404, "not_found", `No account ${clientId}: create it with POST /__control/accounts`);
    const secret = store.secretSha256();
    await this.wipe();
    this.store().createAccount(clientId, secret);
    return ok({ reset: clientId });
  }

  /** Erases this object's storage (account or registry): an account no longer exists afterwards. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.accountStore = null;
    this.registryStore = null;
  }

  // --- registry role -------------------------------------------------------------------------------

  registerToken(token: string, clientId: string, expiresAt: number): void {
    this.registry().register(token, clientId, expiresAt, Date.now());
  }

  resolveToken(token: string): TokenRoute | null {
    return this.registry().resolve(token);
  }

  noteAccount(clientId: string): void {
    this.registry().noteAccount(clientId);
  }

  accounts(): string[] {
    return this.registry().accounts();
  }

  forgetAccount(clientId: string): void {
    this.registry().forget(clientId);
  }
}
