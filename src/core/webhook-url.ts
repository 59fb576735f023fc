/**
 * Where a webhook may be sent (docs/contracts/v1-api.md, "Changes and webhooks"): `https://` to a public
 * host name. Refused: `localhost` (and `*.localhost`, RFC 6761), single-label and special-use names, and
 * IP literals that are not public unicast: IPv4 in a private, loopback, link-local, CGNAT, multicast,
 * documentation, reserved or unspecified range; IPv6 outside global unicast (`2000::/3`, RFC 4291) or in a
 * special-purpose block inside it (RFC 6890 registry); IPv4 carried inside IPv6 (mapped, translated,
 * compatible, NAT64, 6to4) judged as that IPv4. A local deployment may allow `localhost` and `127.0.0.1`
 * over http or https (`WEBHOOKS_ALLOW_LOCALHOST`), for its walkthrough and tests.
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
  if (endsInNumber(host)) {
    const v4 = parseIpv4(host);
    return v4 === null ? "Not a valid host." : ipv4Problem(v4);
  }
  if (!host.includes(".")) return "The host must be a public, fully qualified name.";
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (SPECIAL_TLDS.has(tld)) return `.${tld} names are not public hosts.`;
  return null;
}

/**
 * The URL Standard's "ends in a number" test: a host whose last label is decimal digits or `0x` + hex is
 * an IPv4 address (the parser has already rewritten `0x7f.1`, `2130706433` or `0177.0.0.1` as a dotted
 * quad, or refused it). Any other host is a name, even one starting with `0x` (`0x.org`).
 */
function endsInNumber(host: string): boolean {
  const last = host.slice(host.lastIndexOf(".") + 1);
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/**
 * Special-use and private-use top-level names: RFC 6761 (`example`, `invalid`, `localhost`, `test`, with
 * RFC 2606), RFC 6762 (`local`), RFC 7686 (`onion`), RFC 9476 (`alt`), `arpa` (`home.arpa`, RFC 8375, and
 * the reverse-DNS zones), ICANN's `internal`, and names in common private use (`lan`, `home`, `intranet`,
 * `corp`).
 */
const SPECIAL_TLDS = new Set([
  "example",
  "invalid",
  "localhost",
  "test",
  "local",
  "onion",
  "alt",
  "arpa",
  "internal",
  "lan",
  "home",
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

/** The first `n` groups of `g` are `prefix` (the rest of `prefix` ignored). */
const startsWith = (g: number[], prefix: number[]) => prefix.every((x, i) => g[i] === x);
const zeros = (n: number) => Array<number>(n).fill(0);

/**
 * Forms that carry an IPv4 address at a known place; a literal of these forms is as public as that IPv4:
 * [prefix groups, where the IPv4 is (index of its high group), name].
 */
const V4_IN_V6: ReadonlyArray<[number[], number, string]> = [
  [[...zeros(5), 0xffff], 6, "IPv4-mapped (::ffff:a.b.c.d, RFC 4291)"],
  [[...zeros(4), 0xffff, 0], 6, "IPv4-translated (::ffff:0:a.b.c.d, RFC 2765)"],
  [[0x64, 0xff9b, ...zeros(4)], 6, "NAT64 (64:ff9b::a.b.c.d, RFC 6052)"],
  [zeros(6), 6, "IPv4-compatible (::a.b.c.d, RFC 4291)"],
  [[0x2002], 1, "6to4 (2002:aabb:ccdd::, RFC 3056)"],
];

/**
 * IPv6 blocks that are not public unicast even where they look global (RFC 6890 registry), checked
 * before the global-unicast rule: [prefix groups, prefix length in bits, what it is].
 */
const BLOCKED_V6: ReadonlyArray<[number[], number, string]> = [
  [[0x64, 0xff9b, 0x1], 48, "local-use NAT64 (RFC 8215)"],
  [[0x2001, 0x0db8], 32, "reserved for documentation (RFC 3849)"],
  [[0x3fff], 20, "reserved for documentation (RFC 9637)"],
  [[0x2001], 23, "reserved for IETF protocols such as Teredo and benchmarking (RFC 2928)"],
];

function inPrefix(g: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((g[i]! & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv6Problem(text: string): string | null {
  const g = parseIpv6(text);
  if (!g) return "Not a valid host.";
  if (g.every((x) => x === 0)) return "The address is unspecified, not a public host.";
  if (startsWith(g, zeros(7)) && g[7] === 1) return "The address is loopback, not a public host.";
  for (const [prefix, at] of V4_IN_V6) {
    if (startsWith(g, prefix)) return ipv4Problem(((g[at]! << 16) >>> 0) + g[at + 1]!);
  }
  for (const [prefix, bits, kind] of BLOCKED_V6) {
    if (inPrefix(g, prefix, bits)) return `The address is ${kind}, not a public host.`;
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return "The address is unique-local (private), not a public host.";
  if ((g[0]! & 0xffc0) === 0xfe80) return "The address is link-local, not a public host.";
  if ((g[0]! & 0xff00) === 0xff00) return "The address is multicast, not a public host.";
  // Only 2000::/3 is allocated as global unicast (RFC 4291, IANA): anything else is special or reserved.
  if ((g[0]! & 0xe000) !== 0x2000) return "The address is not a global unicast address, not a public host.";
  return null;
}
