/**
 * The token registry: maps each issued token to its account, so that a call carrying only
 * `Authorization: OAUTH <token>` reaches the right account object. The token must keep Talemetry's
 * shape, which leaves no room to encode the account in it. It lives in storage (one object named
 * "__registry"), never in module memory: the simulator may run in many isolates.
 */
import { REGISTRY_TABLES } from "./schema";

/**
 * Mappings outlive their token by a day, so a call with a recently expired token still reaches its
 * account: it is counted there and answered 401 "expired", as the real API would.
 */
export const KEEP_AFTER_EXPIRY_MS = 86_400_000;

/** Where a token leads: its account, and when the token expires (its row goes a day later). */
export interface TokenRoute {
  clientId: string;
  expiresAt: number;
}

export class RegistryStore {
  private ready = false;

  constructor(private readonly sql: SqlStorage) {}

  private ensure(): void {
    if (this.ready) return;
    for (const statement of REGISTRY_TABLES) this.sql.exec(statement);
    this.ready = true;
  }

  register(token: string, clientId: string, expiresAt: number, now: number): void {
    this.ensure();
    this.sql.exec("DELETE FROM registry_tokens WHERE expires_at < ?", now - KEEP_AFTER_EXPIRY_MS);
    this.sql.exec("INSERT OR REPLACE INTO registry_tokens (token, client_id, expires_at) VALUES (?, ?, ?)", token, clientId, expiresAt);
    this.noteAccount(clientId);
  }

  resolve(token: string): TokenRoute | null {
    this.ensure();
    const row = this.sql
      .exec<{ client_id: string; expires_at: number }>("SELECT client_id, expires_at FROM registry_tokens WHERE token = ?", token)
      .toArray()[0];
    return row ? { clientId: row.client_id, expiresAt: row.expires_at } : null;
  }

  noteAccount(clientId: string): void {
    this.ensure();
    this.sql.exec("INSERT OR IGNORE INTO registry_accounts (client_id) VALUES (?)", clientId);
  }

  accounts(): string[] {
    this.ensure();
    return this.sql
      .exec<{ client_id: string }>("SELECT client_id FROM registry_accounts")
      .toArray()
      .map((r) => r.client_id);
  }

  forget(clientId: string): void {
    this.ensure();
    this.sql.exec("DELETE FROM registry_tokens WHERE client_id = ?", clientId);
  }
}
