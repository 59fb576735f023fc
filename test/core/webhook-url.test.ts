// Where webhooks may go (src/core/webhook-url.ts): https to a public host name; no localhost, no IP
// literal in a non-public range (IPv4, IPv6, IPv4 inside IPv6), unless a local deployment allows
// localhost/127.0.0.1 for its walkthrough. And the retry schedule (src/directory/webhooks.ts).
import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "../../src/core/webhook-url";
import { MAX_QUEUE_DELAY_SECONDS, RETRY_WINDOW_MS, retryDelaySeconds } from "../../src/directory/webhooks";

const strict = { allowLocalhost: false };
const local = { allowLocalhost: true };

describe("webhookUrlProblem", () => {
  it("accepts https to public names and public addresses", () => {
    for (const url of [
      "https://hooks.talentlynk.example/talemetry?x=1",
      "https://hooks.example.com:8443/a/b",
      "https://8.8.8.8/hook",
      "https://[2606:4700:4700::1111]/hook",
      "https://xn--bcher-kva.example/hook",
    ]) {
      expect(webhookUrlProblem(url, strict), url).toBeNull();
    }
  });

  it("refuses localhost and every non-public address, however it is written", () => {
    for (const url of [
      "https://localhost/x",
      "https://LOCALHOST./x",
      "https://a.b.localhost/x",
      "https://127.0.0.1/x",
      "https://127.1/x",
      "https://2130706433/x",
      "https://0177.0.0.1/x",
      "https://10.0.0.1/x",
      "https://172.31.255.255/x",
      "https://192.168.0.1/x",
      "https://169.254.169.254/x",
      "https://100.127.0.1/x",
      "https://0.0.0.0/x",
      "https://224.0.0.1/x",
      "https://255.255.255.255/x",
      "https://[::1]/x",
      "https://[::]/x",
      "https://[fe80::abcd]/x",
      "https://[fc00::1]/x",
      "https://[fd12:3456::1]/x",
      "https://[ff02::1]/x",
      "https://[::ffff:192.168.1.1]/x",
      "https://[::ffff:7f00:1]/x",
      "https://[64:ff9b::10.0.0.1]/x",
      "https://[2001:db8::1]/x",
      "https://host/x",
      "https://nas.local/x",
      "https://svc.internal/x",
      "https://x.home.arpa/x",
    ]) {
      expect(webhookUrlProblem(url, strict), url).not.toBeNull();
    }
  });

  it("refuses anything but https, and credentials in the URL", () => {
    for (const url of [
      "http://hooks.example.com/x",
      "ws://hooks.example.com/x",
      "file:///etc/passwd",
      "https://u:p@hooks.example.com/x",
      "hooks.example.com",
    ]) {
      expect(webhookUrlProblem(url, strict), url).not.toBeNull();
    }
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
});
