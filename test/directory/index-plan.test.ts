// Every directory lookup is an index probe, never a table scan (EXPLAIN QUERY PLAN on the exact SQL
// production runs), and a 10,000-candidate sync batch is written and searched in reasonable time.
import { describe, expect, it } from "vitest";
import { type BoundQuery, changesQuery, emailSearchQuery, entryQuery, phoneSearchQuery } from "../../src/directory/index-queries";
import { MAX_SEARCH_RESULTS } from "../../src/directory/index-store";
import { parsePhoneQuery, phoneProbes } from "../../src/phone/match";
import { person, phone, uniqueTenant, withStore } from "./helpers";

function plan(sql: SqlStorage, q: BoundQuery): string[] {
  return sql
    .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`, ...q.params)
    .toArray()
    .map((r) => r.detail);
}

function phoneQuery(text: string, partial: boolean, tenantRegion = "GB"): BoundQuery {
  const r = parsePhoneQuery(text, { tenantRegion });
  if (!r.ok) throw new Error(r.error.message);
  return phoneSearchQuery(phoneProbes(r.query, { partial }), MAX_SEARCH_RESULTS)!;
}

describe("query plans", () => {
  it("uses an index for each phone probe and for the record join", async () => {
    await withStore(uniqueTenant("plan-phone"), (store, state) => {
      store.upsert(person("c1", { phones: [phone("+447700900123")] }), "2026-11-25T10:00:00Z");
      const details = plan(state.storage.sql, phoneQuery("07700 900123", true));
      const text = details.join("\n");
      expect(text).toMatch(/SEARCH dir_phone_keys USING (COVERING )?INDEX dir_phone_keys_e164 \(e164=\?\)/);
      expect(text).toMatch(/SEARCH dir_phone_keys USING (COVERING )?INDEX dir_phone_keys_nsn \(nsn=\?\)/);
      expect(text).toMatch(/SEARCH dir_phone_keys USING (COVERING )?INDEX dir_phone_keys_rnsn \(rnsn=\?\)/);
      expect(text).toMatch(/SEARCH dir_phone_keys USING (COVERING )?INDEX dir_phone_keys_rnsn \(rnsn>\? AND rnsn<\?\)/);
      expect(text).toMatch(/SEARCH c USING INDEX sqlite_autoindex_dir_candidates_1 \(id=\?\)/);
      // No step reads a whole table: the only SCANs allowed are over the small union of probe results.
      for (const d of details) {
        if (d.startsWith("SCAN")) expect(d).not.toMatch(/dir_(phone_keys|candidates|email_keys)/);
      }
    });
  });

  it("keeps every reading of a multi-reading query an index probe (one statement, no table scan)", async () => {
    await withStore(uniqueTenant("plan-readings"), (store, state) => {
      store.upsert(person("c1", { phones: [phone("+491711234567")] }), "2026-11-25T10:00:00Z");
      for (const [text, region] of [
        ["491711234567", "DE"], // two exact readings, national and partial on both
        ["07700 900123", "US"], // no exact reading; national with and without the trunk 0
        ["06 1234 5678", "GB"],
        ["+44 7700 900123 x12", "US"],
      ] as const) {
        const details = plan(state.storage.sql, phoneQuery(text, true, region));
        const joined = details.join("\n");
        expect(joined, text).toMatch(/USING (COVERING )?INDEX dir_phone_keys_/);
        for (const d of details) {
          if (d.startsWith("SCAN")) expect(d, `${text}: ${joined}`).not.toMatch(/dir_(phone_keys|candidates|email_keys)/);
        }
      }
    });
  });

  it("uses indexes for email search, paging by seq and reads by id", async () => {
    await withStore(uniqueTenant("plan-other"), (_store, state) => {
      const sql = state.storage.sql;
      const email = plan(sql, emailSearchQuery("a@example.com", 50)).join("\n");
      expect(email).toMatch(/SEARCH e USING (COVERING )?INDEX dir_email_keys_email \(email=\?\)/);
      expect(email).toMatch(/SEARCH c USING INDEX sqlite_autoindex_dir_candidates_1 \(id=\?\)/);
      const changes = plan(sql, changesQuery(0, 10, 100)).join("\n");
      expect(changes).toMatch(/SEARCH dir_candidates USING INDEX sqlite_autoindex_dir_candidates_2 \(seq>\? AND seq<\?\)/);
      expect(changes).not.toMatch(/TEMP B-TREE/);
      expect(plan(sql, entryQuery("c1")).join("\n")).toMatch(
        /SEARCH dir_candidates USING INDEX sqlite_autoindex_dir_candidates_1 \(id=\?\)/,
      );
      for (const d of [...plan(sql, emailSearchQuery("a@example.com", 50)), ...plan(sql, changesQuery(0, 10, 100))]) {
        expect(d).not.toMatch(/^SCAN dir_/);
      }
    });
  });
});

describe("scale", () => {
  it("writes 10,000 candidates in one batch and still answers by index", async () => {
    await withStore(uniqueTenant("scale"), (store) => {
      const entries = Array.from({ length: 10_000 }, (_, i) => {
        const n = String(i).padStart(6, "0");
        return {
          person: person(`c${n}`, {
            name: `Candidate ${n}`,
            emails: [`candidate.${n}@example.com`],
            phones: [phone(`+447700${n.slice(2)}${n.slice(0, 2)}`), phone(`+1415555${n.slice(2)}`, "work")],
          }),
          extras: { address: `${i} High Street, Leeds` },
        };
      });
      const started = Date.now();
      const result = store.upsertMany(entries, "2026-11-25T10:00:00Z");
      const writeMs = Date.now() - started;
      expect(result).toEqual({ upserted: 10_000, changed: 10_000, searchChanged: true });
      expect(store.count()).toBe(10_000);
      expect(writeMs).toBeLessThan(15_000);

      const again = Date.now();
      expect(store.upsertMany(entries, "2026-11-25T11:00:00Z")).toMatchObject({ changed: 0, searchChanged: false });
      expect(Date.now() - again).toBeLessThan(15_000);

      const searchStarted = Date.now();
      for (let i = 0; i < 200; i++) {
        const r = parsePhoneQuery(
          `07700 ${String(i * 37)
            .padStart(6, "0")
            .slice(2)}${String(i * 37)
            .padStart(6, "0")
            .slice(0, 2)}`,
          { tenantRegion: "GB" },
        );
        if (!r.ok) throw new Error(r.error.message);
        expect(store.searchPhone(r.query, { partial: true }).length).toBeGreaterThan(0);
      }
      expect(Date.now() - searchStarted).toBeLessThan(5_000);
      console.log(`10k upsert: ${writeMs} ms; 200 phone searches: ${Date.now() - searchStarted} ms`);
    });
  });
});
