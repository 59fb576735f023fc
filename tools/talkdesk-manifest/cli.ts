/**
 * The pure half of `npm run manifest`: command-line parsing and merging flags over
 * `talkdesk-manifest.config.json` into a complete `ManifestDocumentInput`. A required value that is
 * missing is an error listing every missing value and where to give it — the document goes to
 * Talkdesk, so a silently invented contact or answer would be worse than no document.
 * `./run.mjs` bundles this module and does the I/O.
 */
import { normalizeBaseUrl } from "../../src/talkdesk/manifest";
import type { ManifestDocumentInput, TechnicalContact } from "./document";

export { renderManifestDocument } from "./document";

export const DEFAULT_CONFIG_FILE = "talkdesk-manifest.config.json";

export const MANIFEST_USAGE = `Usage: npm run manifest -- --url <base URL> [options]

Prints Talkdesk's "API Manifest" document (Markdown) filled in for the deployment at <base URL>.

  --url <url>                  deployment base URL, https (http only for localhost), e.g. https://bridge.example.com (required)
  --config <file>              config file (default: ${DEFAULT_CONFIG_FILE})
  --client <name>              client name in the title              (config: client_name)
  --contact "<name> <email>"   technical contact; repeat for several (config: technical_contacts)
                               optional ", <notes>" after the email
  --keybase <user>             Keybase user name                     (config: keybase_username)
  --talkdesk-account <domain>  the customer's Talkdesk account, e.g. acme.mytalkdesk.com (config: talkdesk_account)
  --test-in-production yes|no  answer to "tested in production?"     (config: test_in_production)
  --docs-url <url>             integration documentation weblink     (config: documentation_url)
  --logo-url <url>             logo URL (default: served by the deployment)  (config: logo_url)
  --icon-url <url>             icon URL (default: served by the deployment)  (config: icon_url)
  --date <YYYY-MM-DD>          document date (default: today, UTC)
  --out <file>                 write to <file> instead of standard output
  --help                       show this help

In URL values, {base} stands for the deployment base URL.`;

export interface ManifestCliArgs {
  url?: string;
  config?: string;
  client?: string;
  contacts: string[];
  keybase?: string;
  talkdeskAccount?: string;
  testInProduction?: string;
  docsUrl?: string;
  logoUrl?: string;
  iconUrl?: string;
  date?: string;
  out?: string;
  help: boolean;
}

type StringFlag = Exclude<keyof ManifestCliArgs, "contacts" | "help">;

const STRING_FLAGS: Record<string, StringFlag> = {
  "--url": "url",
  "--config": "config",
  "--client": "client",
  "--keybase": "keybase",
  "--talkdesk-account": "talkdeskAccount",
  "--test-in-production": "testInProduction",
  "--docs-url": "docsUrl",
  "--logo-url": "logoUrl",
  "--icon-url": "iconUrl",
  "--date": "date",
  "--out": "out",
};

export type Result<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Parses `--flag value` and `--flag=value`; unknown flags and missing values are errors. */
export function parseManifestArgs(argv: readonly string[]): Result<ManifestCliArgs> {
  const args: ManifestCliArgs = { contacts: [], help: false };
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--help" || token === "-h") {
      args.help = true;
      continue;
    }
    const eq = token.indexOf("=");
    const flag = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    let value: string | undefined = token.startsWith("--") && eq > 0 ? token.slice(eq + 1) : undefined;
    const known = flag === "--contact" || flag in STRING_FLAGS;
    if (!known) {
      errors.push(`unknown argument ${JSON.stringify(token)}`);
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        errors.push(`${flag} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    if (flag === "--contact") args.contacts.push(value);
    else args[STRING_FLAGS[flag]!] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: args };
}

const CONFIG_KEYS = [
  "client_name",
  "technical_contacts",
  "keybase_username",
  "talkdesk_account",
  "test_in_production",
  "documentation_url",
  "logo_url",
  "icon_url",
] as const;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** `"Jane Roe <jane@example.com>, on call for outages"` → a contact. */
function parseContactFlag(value: string): TechnicalContact | null {
  const m = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*(?:[,;]\s*(.*?))?\s*$/.exec(value);
  if (!m) return null;
  return m[3] ? { name: m[1]!, email: m[2]!, notes: m[3] } : { name: m[1]!, email: m[2]! };
}

function yesNo(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "yes" || v === "true") return true;
  if (v === "no" || v === "false") return false;
  return undefined;
}

/**
 * Merges flags over the config (flags win; `--contact` replaces the config's contact list) and checks
 * that everything the document needs is present and well-formed. `today` (`YYYY-MM-DD`) is the default
 * date; `configLabel` names the config file in messages.
 */
export function resolveManifestDocumentInput(
  args: ManifestCliArgs,
  config: unknown,
  opts: { today: string; configLabel?: string },
): Result<ManifestDocumentInput> {
  const label = opts.configLabel ?? DEFAULT_CONFIG_FILE;
  const missing: string[] = [];
  const invalid: string[] = [];
  const where = (flag: string, key: string) => `${flag} or "${key}" in ${label}`;

  if (config !== undefined && (config === null || typeof config !== "object" || Array.isArray(config))) {
    return { ok: false, errors: [`${label} must hold a JSON object`] };
  }
  const cfg = (config ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(cfg)) {
    // `_comment`-style keys document the file; anything else unknown is most likely a typo.
    if (!key.startsWith("_") && !key.startsWith("$") && !(CONFIG_KEYS as readonly string[]).includes(key)) {
      invalid.push(`unknown key "${key}" in ${label} (known: ${CONFIG_KEYS.join(", ")})`);
    }
  }

  let baseUrl: string | undefined;
  if (!text(args.url)) missing.push("deployment base URL: --url");
  else {
    try {
      baseUrl = normalizeBaseUrl(args.url!);
    } catch (err) {
      invalid.push(`--url: ${(err as Error).message}`);
    }
  }
  const withBase = (value: string | undefined) => (value && baseUrl ? value.replaceAll("{base}", baseUrl) : value);
  const url = (value: string | undefined, name: string): string | undefined => {
    const resolved = withBase(value);
    if (resolved === undefined || !baseUrl) return resolved;
    try {
      const parsed = new URL(resolved);
      if (parsed.protocol === "https:" || parsed.protocol === "http:") return resolved;
    } catch {
      // Reported below.
    }
    invalid.push(`${name} must be an absolute http(s) URL`);
    return undefined;
  };

  const clientName = text(args.client) ?? text(cfg.client_name);
  if (!clientName) missing.push(`client name: ${where("--client", "client_name")}`);

  const contacts: TechnicalContact[] = [];
  if (args.contacts.length > 0) {
    for (const value of args.contacts) {
      const contact = parseContactFlag(value);
      if (contact) contacts.push(contact);
      else invalid.push(`--contact ${JSON.stringify(value)} must read "Name <email>" (optionally ", notes")`);
    }
  } else if (cfg.technical_contacts !== undefined) {
    if (!Array.isArray(cfg.technical_contacts)) invalid.push(`"technical_contacts" in ${label} must be an array`);
    else {
      cfg.technical_contacts.forEach((entry: unknown, i: number) => {
        const e = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
        const name = text(e.name);
        const email = text(e.email);
        if (!name || !email) {
          invalid.push(`"technical_contacts[${i}]" in ${label} needs "name" and "email"`);
          return;
        }
        const contact: TechnicalContact = { name, email };
        if (text(e.role)) contact.role = text(e.role);
        if (text(e.notes)) contact.notes = text(e.notes);
        contacts.push(contact);
      });
    }
  }
  for (const c of contacts) if (!EMAIL.test(c.email)) invalid.push(`technical contact ${JSON.stringify(c.name)} has no valid email`);
  // An empty list is as missing as an absent one; a malformed one was reported above.
  const configContacts = cfg.technical_contacts;
  const contactsGiven =
    args.contacts.length > 0 || (configContacts !== undefined && !(Array.isArray(configContacts) && configContacts.length === 0));
  if (!contactsGiven) missing.push(`at least one technical contact: ${where("--contact", "technical_contacts")}`);

  const keybaseUsername = text(args.keybase) ?? text(cfg.keybase_username);
  if (!keybaseUsername) missing.push(`Keybase user name: ${where("--keybase", "keybase_username")}`);

  // The template's "Talkdesk Account / Domain Name (i.e. yourOrg.mytalkdesk.com)": the account to activate.
  const talkdeskAccount = text(args.talkdeskAccount) ?? text(cfg.talkdesk_account);
  if (!talkdeskAccount) missing.push(`Talkdesk account domain: ${where("--talkdesk-account", "talkdesk_account")}`);
  else if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(talkdeskAccount)) {
    invalid.push('--talkdesk-account / "talkdesk_account" must be a domain name such as acme.mytalkdesk.com');
  }

  const testRaw = args.testInProduction ?? cfg.test_in_production;
  const testInProduction = yesNo(testRaw);
  if (testRaw === undefined) {
    missing.push(
      `answer to "Should it be tested in the production environment?": ${where("--test-in-production yes|no", "test_in_production")}`,
    );
  } else if (testInProduction === undefined) {
    invalid.push(`--test-in-production / "test_in_production" must be yes or no`);
  }

  const docsRaw = text(args.docsUrl) ?? text(cfg.documentation_url);
  if (!docsRaw) missing.push(`integration documentation weblink: ${where("--docs-url", "documentation_url")}`);
  const documentationUrl = url(docsRaw, "documentation URL");
  const logoUrl = url(text(args.logoUrl) ?? text(cfg.logo_url), "logo URL");
  const iconUrl = url(text(args.iconUrl) ?? text(cfg.icon_url), "icon URL");

  const date = text(args.date) ?? opts.today;
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) invalid.push("--date must be YYYY-MM-DD");

  const errors = [...(missing.length > 0 ? [`missing required values:\n${missing.map((m) => `  - ${m}`).join("\n")}`] : []), ...invalid];
  if (errors.length > 0) return { ok: false, errors };
  const input: ManifestDocumentInput = {
    baseUrl: baseUrl!,
    clientName: clientName!,
    date,
    technicalContacts: contacts,
    keybaseUsername: keybaseUsername!,
    talkdeskAccount: talkdeskAccount!,
    testInProduction: testInProduction!,
    documentationUrl: documentationUrl!,
  };
  if (logoUrl) input.logoUrl = logoUrl;
  if (iconUrl) input.iconUrl = iconUrl;
  return { ok: true, value: input };
}
