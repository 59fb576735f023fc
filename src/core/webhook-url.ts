/**
 * Where a webhook may be sent (docs/contracts/v1-api.md, "Changes and webhooks"): `https://` to a public
 * host name. Refused: `localhost` (and `*.localhost`, RFC 6761), single-label and special-use names, and
 * IP literals in private, loopback, link-local, unique-local, CGNAT, multicast, reserved or unspecified
 * ranges, IPv4 and IPv6 alike (IPv4-mapped and NAT64 forms of them included). A local deployment may allow
 * `localhost` and `127.0.0.1` over http or https (`WEBHOOKS_ALLOW_LOCALHOST`), for its walkthrough and tests.
 *
 * This is the request-time check; a name that resolves to a private address cannot be seen here, but a
 * Worker's outbound fetch goes out through Cloudflare's network and never reaches the deployment's own
 * private network, and deliveries never follow redirects.
 */

/** Why `url` may not receive webhooks, or null when it may. */
export function webhookUrlProblem(url: string, opts: { allowLocalhost: boolean }): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Not an absolute URL.";
  }
  if (parsed.username || parsed.password) return "A webhook URL may not carry credentials (user:password@).";
  const host = parsed.hostname.toLowerCase().replace(/\.$/, "");
  const local = host === "localhost" || host === "127.0.0.1";
  if (opts.allowLocalhost && local && (parsed.protocol === "http:" || parsed.protocol === "https:")) return null;
  if (parsed.protocol !== "https:") return "The URL must use https://.";
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost is not a public host.";
  if (host.startsWith("[")) return ipv6Problem(host.slice(1, -1));
  if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) {
    const v4 = parseIpv4(host);
    return v4 === null ? "Not a valid host." : ipv4Problem(v4);
  }
  if (!host.includes(".")) return "The host must be a public, fully qualified name.";
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (SPECIAL_TLDS.has(tld)) return `.${tld} names are not public hosts.`;
  return null;
}

/** Special-use and private-use top-level names (RFC 6761, RFC 6762, RFC 8375, RFC 9476). */
const SPECIAL_TLDS = new Set([
  "localhost",
  "local",
  "internal",
  "lan",
  "home",
  "arpa",
  "test",
  "invalid",
  "onion",
  "alt",
  "intranet",
  "corp",
]);

/** A dotted-quad IPv4 address as a 32-bit number (the URL parser has normalised other forms), else null. */
function parseIpv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

/** IPv4 ranges that are not public unicast (RFC 6890 and its updates): [first address, prefix length]. */
const BLOCKED_V4: ReadonlyArray<[string, number, string]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (CGNAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

function ipv4Problem(ip: number): string | null {
  for (const [base, bits, kind] of BLOCKED_V4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((ip & mask) >>> 0 === (parseIpv4(base)! & mask) >>> 0) return `The address is in a ${kind} range, not a public host.`;
  }
  return null;
}

/** Eight 16-bit groups of an IPv6 literal as the URL parser writes it (compressed, lower case), else null. */
function parseIpv6(text: string): number[] | null {
  const [head, tail, ...rest] = text.split("::");
  if (rest.length > 0) return null;
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const a = groups(head);
  const b = tail === undefined ? [] : groups(tail);
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const all = [...a, ...Array(Math.max(0, fill)).fill(0), ...b];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

function ipv6Problem(text: string): string | null {
  const g = parseIpv6(text);
  if (!g) return "Not a valid host.";
  const v4 = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  if (g.every((x) => x === 0)) return "The address is unspecified, not a public host.";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "The address is loopback, not a public host.";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 inside.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return ipv4Problem(v4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Problem(v4(g[6]!, g[7]!));
  if ((g[0]! & 0xfe00) === 0xfc00) return "The address is unique-local (private), not a public host.";
  if ((g[0]! & 0xffc0) === 0xfe80) return "The address is link-local, not a public host.";
  if ((g[0]! & 0xffc0) === 0xfec0) return "The address is site-local (deprecated, private), not a public host.";
  if ((g[0]! & 0xff00) === 0xff00) return "The address is multicast, not a public host.";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "The address is reserved for documentation, not a public host.";
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return "The address is a discard prefix, not a public host.";
  return null;
}
