// No personal data in error logs (issue 11). Talemetry answering with a body the adapter cannot read —
// a profiles answer cut short (names, emails, phones), an HTML page around them, a plain-text error
// echoing them — fails the call as `unavailable`, and what the bridge logs of it is the status, the
// body's size in bytes and its media type: never its text. Logs are captured from every console method
// while the bridge's real route runs against the simulator.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { bodyShape } from "../../src/talemetry/call";
import { drainBackfill } from "../helpers/directory";
import { createAccount, type FaultRule, seedAccount, setFaults } from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { expectProblem, v1 } from "../v1/helpers";

const maya = DEMO.maya.record.id;

/** What must never reach a log line: Maya's name, email and phone in every spelling used below. */
const PERSONAL = ["Maya", "Ortiz", "maya.ortiz", "example.com", "5550142", "415"];

/** A §3 profiles answer cut off mid-way, as a dropped connection or a proxy would leave it. */
const TRUNCATED = JSON.stringify({
  result: {
    Candidates: [
      {
        Candidate: {
          CandidateRecordInfo: { Id: { IdValue: maya } },
          Resume: {
            StructuredXMLResume: {
              ContactInfo: {
                PersonName: { FormattedName: "Maya Ortiz", GivenName: "Maya", FamilyName: "Ortiz" },
                ContactMethod: {
                  Use: "personal",
                  InternetEmailAddress: "maya.ortiz@example.com",
                  Mobile: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550142" },
                },
              },
            },
          },
        },
      },
    ],
  },
}).slice(0, 330);

const HTML = "<html><body>Maya Ortiz &lt;maya.ortiz@example.com&gt; +1 415 5550142</body></html>";
const TEXT = "failed to render Maya Ortiz maya.ortiz@example.com 14155550142";
const bytes = (body: string) => new TextEncoder().encode(body).byteLength;

const CASES: Array<{ label: string; rule: FaultRule; detail: string }> = [
  {
    label: "a profiles answer cut short (200, application/json)",
    rule: { op: "profiles", status: 200, body: TRUNCATED, contentType: "application/json; charset=utf-8" },
    detail: `HTTP 200 with an unreadable body (${bytes(TRUNCATED)} bytes, content type application/json)`,
  },
  {
    label: "an HTML page holding the candidate (200)",
    rule: { op: "profiles", status: 200, body: HTML },
    detail: `HTTP 200 with an unreadable body (${bytes(HTML)} bytes, content type text/html)`,
  },
  {
    label: "a plain-text 500 echoing the candidate",
    rule: { op: "profiles", status: 500, body: TEXT },
    detail: `HTTP 500 text body (${bytes(TEXT)} bytes, content type text/plain) (after 3 attempts)`,
  },
];

let lines: string[];

function captureConsole(): void {
  lines = [];
  for (const method of ["log", "info", "debug", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
}

afterEach(() => vi.restoreAllMocks());

let tenant: TestTenant;
let clientId: string;

beforeAll(async () => {
  ({ client_id: clientId } = await createAccount("pii-logs"));
  await seedAccount(clientId, 12);
  tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
  await drainBackfill(tenant.id); // no sync runs during the requests below
});

describe("an unreadable upstream answer in the error log", () => {
  it.each(CASES)("$label: status, size and content type, no body text", async ({ rule, detail }) => {
    await setFaults(clientId, [rule]);
    captureConsole();
    const res = await v1(tenant.api_key, `/candidates/${maya}`);
    expectProblem(res, 503, "upstream-unavailable");
    const failed = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ upstream_status: rule.status, upstream_detail: detail });
    // Random ids (request, tenant) are left out of the search: a UUID holding "415" is no personal data.
    const scanned = lines.map((line) => line.replace(/"(request_id|tenant_id)":"[^"]*"/g, ""));
    for (const value of PERSONAL)
      expect(
        scanned.filter((line) => line.includes(value)),
        value,
      ).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/Maya|Ortiz|5550142/);
  });
});

describe("bodyShape", () => {
  it("counts UTF-8 bytes and keeps the media type only", () => {
    expect(bodyShape("Zoë", "text/plain; charset=utf-8")).toBe("4 bytes, content type text/plain");
    expect(bodyShape("", null)).toBe("0 bytes, no content type");
    expect(bodyShape("x", ` ${"a".repeat(300)}`)).toBe(`1 bytes, content type ${"a".repeat(100)}`);
  });
});
