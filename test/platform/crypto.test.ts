// Crypto helpers: secret generation, hashing, constant-time comparison and the AES-GCM credential envelope.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { base64Decode, decryptSecret, encryptSecret, randomSecret, sha256Hex, timingSafeEqualStrings } from "../../src/platform/crypto";

describe("randomSecret", () => {
  it("is the prefix plus at least 128 bits of base64url", () => {
    const secret = randomSecret("tlk_cs_");
    expect(secret).toMatch(/^tlk_cs_[A-Za-z0-9_-]+$/);
    expect(base64Decode(secret.slice("tlk_cs_".length)).byteLength * 8).toBeGreaterThanOrEqual(128);
  });

  it("never repeats", () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomSecret("x_")));
    expect(seen.size).toBe(200);
  });
});

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 test vector", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("timingSafeEqualStrings", () => {
  it("is true only for equal strings, whatever their lengths", async () => {
    expect(await timingSafeEqualStrings("secret-value", "secret-value")).toBe(true);
    expect(await timingSafeEqualStrings("secret-value", "secret-valuf")).toBe(false);
    expect(await timingSafeEqualStrings("secret-value", "secret")).toBe(false);
    expect(await timingSafeEqualStrings("", "x")).toBe(false);
    expect(await timingSafeEqualStrings("", "")).toBe(true);
  });
});

describe("encryptSecret / decryptSecret", () => {
  const key = env.CREDENTIALS_KEY;

  it("round-trips and never contains the plaintext", async () => {
    const envelope = await encryptSecret("sandbox-secret-abc", key, "tenant-1");
    expect(envelope).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(envelope).not.toContain("sandbox-secret-abc");
    expect(await decryptSecret(envelope, key, "tenant-1")).toBe("sandbox-secret-abc");
  });

  it("uses a fresh IV each time", async () => {
    const a = await encryptSecret("same", key, "t");
    const b = await encryptSecret("same", key, "t");
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("refuses another context, another key, a tampered ciphertext or an unknown version", async () => {
    const envelope = await encryptSecret("s3cret", key, "tenant-1");
    await expect(decryptSecret(envelope, key, "tenant-2")).rejects.toThrow();
    const otherKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
    await expect(decryptSecret(envelope, otherKey, "tenant-1")).rejects.toThrow();
    const [v, iv, ct] = envelope.split(".");
    const flipped = ct.slice(0, -2) + (ct.at(-2) === "A" ? "B" : "A") + ct.at(-1);
    await expect(decryptSecret(`${v}.${iv}.${flipped}`, key, "tenant-1")).rejects.toThrow();
    await expect(decryptSecret(`v0.${iv}.${ct}`, key, "tenant-1")).rejects.toThrow(/envelope/);
  });

  it("refuses a CREDENTIALS_KEY that is not 32 bytes", async () => {
    const short = btoa("0123456789abcdef");
    await expect(encryptSecret("x", short, "t")).rejects.toThrow(/32 bytes/);
  });
});
