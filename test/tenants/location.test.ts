// Location hints of tenants' Durable Objects: every region a tenant may have maps to one of Cloudflare's
// hints, and the setting wins over the region.
import { getCountries } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { LOCATION_HINTS, locationHintForRegion, tenantLocationHint } from "../../src/tenants/location";
import { DEFAULT_SETTINGS } from "../../src/tenants/settings";

describe("location hints", () => {
  it("maps every region a tenant may have (libphonenumber's countries) to a Cloudflare hint", () => {
    const unmapped = getCountries().filter((country) => locationHintForRegion(country) === null);
    expect(unmapped).toEqual([]);
    for (const country of getCountries()) expect(LOCATION_HINTS).toContain(locationHintForRegion(country));
  });

  it.each([
    ["US", "enam"],
    ["CA", "enam"],
    ["BR", "sam"],
    ["GB", "weur"],
    ["DE", "weur"],
    ["PL", "eeur"],
    ["AE", "me"],
    ["IN", "apac"],
    ["JP", "apac"],
    ["AU", "oc"],
    ["NZ", "oc"],
    ["ZA", "afr"],
    ["MA", "weur"],
  ])("%s → %s", (region, hint) => {
    expect(locationHintForRegion(region)).toBe(hint);
  });

  it("takes the tenant's setting over its region", () => {
    expect(tenantLocationHint({ region: "US", settings: { ...DEFAULT_SETTINGS, location_hint: "wnam" } })).toBe("wnam");
    expect(tenantLocationHint({ region: "US", settings: DEFAULT_SETTINGS })).toBe("enam");
  });

  it("knows no hint for a code outside the table", () => {
    expect(locationHintForRegion("ZZ")).toBeNull();
  });
});
