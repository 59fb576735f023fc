// Where webhooks may go (src/core/webhook-url.ts): https to a public host name; no localhost, no IP
// literal in a non-public range (IPv4, IPv6, IPv4 inside IPv6), unless a local deployment allows
// localhost/127.0.0.1 for its walkthrough. And the retry schedule (src/directory/webhooks.ts).
import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "../../src/core/webhook-url";
import {
  MAX_QUEUE_DELAY_SECONDS,
  RETRY_GRACE_MS,
  RETRY_WINDOW_MS,
  retryDelaySeconds,
  secondsUntilLate,
} from "../../src/directory/webhooks";

const strict = { allowLocalhost: false };
const local = { allowLocalhost: true };

describe("webhookUrlProblem", () => {
  // [url, why it is public] — each must be accepted.
  const accepted: ReadonlyArray<[string, string]> = [
    ["https://hooks.talentlynk.com/talemetry?x=1", "a public name"],
    ["https://hooks.example.com:8443/a/b", "example.com is a real second-level name (only the .example TLD is special)"],
    ["https://xn--bcher-kva.com/hook", "an IDN in its ASCII form"],
    ["https://0x.org/hook", "a name that starts with 0x is a name, not a hex IPv4"],
    ["https://0xdeadbeef.example.com/hook", "a label starting with 0x that is not the last one"],
    ["https://8.8.8.8/hook", "a public IPv4"],
    ["https://[2606:4700:4700::1111]/hook", "global unicast IPv6"],
    ["https://[2001:4860:4860::8888]/hook", "global unicast in 2001::/16 outside the IETF block"],
    ["https://[::ffff:8.8.8.8]/hook", "IPv4-mapped public IPv4"],
    ["https://[::ffff:0:8.8.8.8]/hook", "IPv4-translated public IPv4"],
    ["https://[64:ff9b::8.8.8.8]/hook", "well-known NAT64 of a public IPv4"],
    ["https://[2002:808:808::1]/hook", "6to4 of a public IPv4 (8.8.8.8)"],
  ];

  // [url, what it is] — each must be refused.
  const refused: ReadonlyArray<[string, string]> = [
    ["https://localhost/x", "localhost"],
    ["https://LOCALHOST./x", "localhost, upper case with a trailing dot"],
    ["https://a.b.localhost/x", "*.localhost"],
    ["https://127.0.0.1/x", "IPv4 loopback"],
    ["https://127.1/x", "IPv4 loopback, short form"],
    ["https://2130706433/x", "IPv4 loopback, one number"],
    ["https://0177.0.0.1/x", "IPv4 loopback, octal"],
    ["https://0x7f.0.0.1/x", "IPv4 loopback, hex"],
    ["https://0x7f000001/x", "IPv4 loopback, one hex number"],
    ["https://10.0.0.1/x", "private"],
    ["https://172.31.255.255/x", "private"],
    ["https://192.168.0.1/x", "private"],
    ["https://169.254.169.254/x", "link-local (cloud metadata)"],
    ["https://100.127.0.1/x", "CGNAT"],
    ["https://0.0.0.0/x", "unspecified"],
    ["https://224.0.0.1/x", "multicast"],
    ["https://255.255.255.255/x", "broadcast"],
    ["https://[::1]/x", "IPv6 loopback"],
    ["https://[::]/x", "IPv6 unspecified"],
    ["https://[fe80::abcd]/x", "link-local"],
    ["https://[fec0::1]/x", "site-local (deprecated)"],
    ["https://[fc00::1]/x", "unique-local"],
    ["https://[fd12:3456::1]/x", "unique-local"],
    ["https://[ff02::1]/x", "multicast"],
    ["https://[::ffff:192.168.1.1]/x", "IPv4-mapped private"],
    ["https://[::ffff:7f00:1]/x", "IPv4-mapped loopback, hex groups"],
    ["https://[::ffff:0:10.0.0.1]/x", "IPv4-translated private"],
    ["https://[::ffff:0:7f00:1]/x", "IPv4-translated loopback"],
    ["https://[::ffff:0:a9fe:a9fe]/x", "IPv4-translated link-local (metadata)"],
    ["https://[::10.0.0.1]/x", "IPv4-compatible private"],
    ["https://[64:ff9b::10.0.0.1]/x", "NAT64 of a private IPv4"],
    ["https://[64:ff9b:1::8.8.8.8]/x", "local-use NAT64 (64:ff9b:1::/48), whatever it embeds"],
    ["https://[64:ff9b:1:abcd::1]/x", "local-use NAT64"],
    ["https://[2002:a00:1::1]/x", "6to4 of 10.0.0.1"],
    ["https://[2002:7f00:1::]/x", "6to4 of 127.0.0.1"],
    ["https://[2002:c0a8:101::1]/x", "6to4 of 192.168.1.1"],
    ["https://[2002:a9fe:a9fe::1]/x", "6to4 of 169.254.169.254"],
    ["https://[2001:db8::1]/x", "documentation"],
    ["https://[3fff::1]/x", "documentation (RFC 9637)"],
    ["https://[2001::1]/x", "Teredo (IETF protocol block)"],
    ["https://[2001:2::1]/x", "benchmarking (IETF protocol block)"],
    ["https://[100::1]/x", "discard-only, outside 2000::/3"],
    ["https://[4000::1]/x", "unallocated, outside 2000::/3"],
    ["https://[5f00::1]/x", "SRv6 SIDs, outside 2000::/3"],
    ["https://[e000::1]/x", "unallocated, outside 2000::/3"],
    ["https://[1::1]/x", "unallocated, outside 2000::/3"],
    ["https://host/x", "single label"],
    ["https://nas.local/x", ".local"],
    ["https://svc.internal/x", ".internal"],
    ["https://x.home.arpa/x", ".home.arpa"],
    ["https://hooks.talentlynk.example/x", ".example (RFC 2606/6761)"],
    ["https://hooks.test/x", ".test"],
    ["https://hooks.invalid/x", ".invalid"],
    ["https://abc.onion/x", ".onion"],
    ["https://x.alt/x", ".alt"],
    ["https://foo.0x1/x", "a last label that is a number is an IPv4, and this one is not valid"],
  ];

  it.each(accepted)("accepts %s (%s)", (url) => {
    expect(webhookUrlProblem(url, strict)).toBeNull();
  });

  it.each(refused)("refuses %s (%s)", (url) => {
    expect(webhookUrlProblem(url, strict)).toEqual(expect.any(String));
  });

  it.each([
    ["http://hooks.example.com/x", "http"],
    ["ws://hooks.example.com/x", "another scheme"],
    ["file:///etc/passwd", "a file"],
    ["https://u:p@hooks.example.com/x", "credentials"],
    ["hooks.example.com", "not absolute"],
  ])("refuses %s (%s)", (url) => {
    expect(webhookUrlProblem(url, strict)).toEqual(expect.any(String));
  });

  it("lets a local deployment use localhost and 127.0.0.1, over http or https, and nothing else private", () => {
    for (const url of ["http://localhost:9000/hook", "https://localhost/hook", "http://127.0.0.1:9000/hook"]) {
      expect(webhookUrlProblem(url, local), url).toBeNull();
      expect(webhookUrlProblem(url, strict), url).not.toBeNull();
    }
    for (const url of [
      "http://10.0.0.1/x",
      "https://192.168.0.1/x",
      "http://[::1]/x",
      "http://127.0.0.2/x",
      "http://hooks.example.com/x",
    ]) {
      expect(webhookUrlProblem(url, local), url).not.toBeNull();
    }
  });
});

describe("retry schedule", () => {
  it("retries first within 30 s, each wait at most doubling, capped by Queues' maximum delay, past 24 h", () => {
    const waits = Array.from({ length: 40 }, (_, i) => retryDelaySeconds(i + 1, 10));
    expect(waits[0]).toBeLessThanOrEqual(30);
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i]!).toBeLessThanOrEqual(2 * waits[i - 1]!);
      expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    }
    expect(Math.max(...waits)).toBe(MAX_QUEUE_DELAY_SECONDS);
    // The window (24 h from the first failure) is reached after a bounded number of retries.
    let total = 0;
    let retries = 0;
    while (total * 1000 < RETRY_WINDOW_MS) total += waits[retries++]!;
    expect(retries).toBe(14);
    expect(retryDelaySeconds(1, 30)).toBe(30);
  });

  it("a message that must take a retry over arrives once the retry is late, within what Queues allows", () => {
    const now = 1_000_000;
    const late = (retryAt: number) => secondsUntilLate(retryAt, now);
    // Arriving then, the retry is past its grace: retryAt + grace < arrival.
    for (const inMs of [0, 1, 999, 10_000, 3_600_000]) expect(now + late(now + inMs) * 1000).toBeGreaterThan(now + inMs + RETRY_GRACE_MS);
    expect(late(now - 60_000)).toBe(1);
    expect(late(now + 10_000)).toBe(12);
    expect(late(now + 100 * 3600_000)).toBe(MAX_QUEUE_DELAY_SECONDS);
  });
});
