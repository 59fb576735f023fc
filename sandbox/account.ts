/**
 * The simulator's Durable Object class. Each Talemetry client id is one instance
 * (`idFromName(client_id)`) holding that account's data in SQLite; one more instance named
 * "__registry" maps tokens to accounts (registry.ts). The wrangler config binds a single class, so the
 * two roles share it; each instance only ever creates the tables of its own role.
 *
 * Every account method takes the client id: the object learns whose it is on first use (there is no
 * reliable way to read an object's name from inside it) and refuses any other.
 */
import { DurableObject } from "cloudflare:workers";
import * as control from "./account-control";
import { AccountStore } from "./account-store";
import * as upstream from "./account-upstream";
import type { ParsedCandidateInput, SettingsBody } from "./control-schemas";
import { type SandboxEnv, seedCount } from "./env";
import type { Decision, FaultRule, Op } from "./faults";
import { RegistryStore } from "./registry";
import type { Reply } from "./reply";
import type { ContactPatch, IdsRequest, NoteCreate, PersonCreate, ProfilesRequest } from "./upstream-schemas";

export class SimulatorAccount extends DurableObject<SandboxEnv> {
  private accountStore: AccountStore | null = null;
  private registryStore: RegistryStore | null = null;

  private account(clientId: string): AccountStore {
    this.accountStore ??= new AccountStore(this.ctx.storage, seedCount(this.env));
    this.accountStore.ensure(clientId);
    return this.accountStore;
  }

  private registry(): RegistryStore {
    this.registryStore ??= new RegistryStore(this.ctx.storage.sql);
    return this.registryStore;
  }

  // --- upstream calls (contract §1–§7) -------------------------------------------------------------

  begin(clientId: string, op: Op, token: string | null): Decision {
    return this.account(clientId).begin(op, token, Date.now());
  }

  authorize(clientId: string, secret: string): upstream.AuthorizeResult {
    return upstream.authorize(this.account(clientId), secret, Date.now());
  }

  listIds(clientId: string, request: IdsRequest): Reply {
    return upstream.listIds(this.account(clientId), request);
  }

  profiles(clientId: string, request: ProfilesRequest): Reply {
    return upstream.profiles(this.account(clientId), request);
  }

  patchContact(clientId: string, id: string, patch: ContactPatch): Reply {
    return upstream.patchContact(this.account(clientId), id, patch, Date.now());
  }

  createNote(clientId: string, id: string, note: NoteCreate): Reply {
    return upstream.createNote(this.account(clientId), id, note, Date.now());
  }

  updateNote(clientId: string, id: string, noteId: string, text: string): Reply {
    return upstream.updateNote(this.account(clientId), id, noteId, text, Date.now());
  }

  createPerson(clientId: string, person: PersonCreate): Reply {
    return upstream.createPerson(this.account(clientId), person, Date.now());
  }

  // --- control -------------------------------------------------------------------------------------

  setFaults(clientId: string, rules: FaultRule[]): Reply {
    return control.setFaults(this.account(clientId), rules);
  }

  getFaults(clientId: string): Reply {
    return control.getFaults(this.account(clientId));
  }

  revokeTokens(clientId: string): Reply {
    return control.revokeTokens(this.account(clientId));
  }

  stats(clientId: string): Reply {
    return control.stats(this.account(clientId), Date.now());
  }

  resetStats(clientId: string): Reply {
    return control.resetStats(this.account(clientId));
  }

  seed(clientId: string, options: { count: number; seed?: string | number; demo?: boolean }): Reply {
    return control.seed(this.account(clientId), options);
  }

  settings(clientId: string, change: SettingsBody): Reply {
    return control.settings(this.account(clientId), change);
  }

  getCandidate(clientId: string, id: string): Reply {
    return control.getCandidate(this.account(clientId), id);
  }

  createCandidate(clientId: string, input: ParsedCandidateInput): Reply {
    return control.createCandidate(this.account(clientId), input, Date.now());
  }

  updateCandidate(clientId: string, id: string, input: ParsedCandidateInput): Reply {
    return control.updateCandidate(this.account(clientId), id, input, Date.now());
  }

  deleteCandidate(clientId: string, id: string, at: number | null): Reply {
    return control.deleteCandidate(this.account(clientId), id, at ?? Date.now());
  }

  /** Erases this object's storage (account or registry); an account reseeds on its next use. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.accountStore = null;
    this.registryStore = null;
  }

  // --- registry role -------------------------------------------------------------------------------

  registerToken(token: string, clientId: string, expiresAt: number): void {
    this.registry().register(token, clientId, expiresAt, Date.now());
  }

  resolveToken(token: string): string | null {
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
