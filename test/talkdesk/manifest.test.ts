// The integration configuration: every field named exactly as Talkdesk's configuration reference names
// it, absolute URLs under the deployment base, actions consistent with their input schemas, and assets.
import { describe, expect, it } from "vitest";
import { isTalkdeskActionName, TALKDESK_ACTIONS } from "../../src/talkdesk/actions-def";
import { buildManifest, normalizeBaseUrl, TALKDESK_ICON_SVG, TALKDESK_LOGO_SVG, TALKDESK_PATHS } from "../../src/talkdesk/manifest";
import { ACTION_INPUT_SCHEMAS } from "../../src/talkdesk/schemas";

const INTEGRATION_FIELDS = [
  "name",
  "display_name",
  "description",
  "logo_url",
  "icon_url",
  "authentication_type",
  "authentication_configuration",
  "auth_validation_endpoint",
  "contact_synchronization_endpoint",
  "interaction_retrieval_endpoint",
  "agent_synchronization_endpoint",
  "interaction_types",
];
const ACTION_FIELDS = ["provider", "name", "display", "description", "endpoint", "inputs"];

describe("buildManifest", () => {
  const manifest = buildManifest("https://bridge.example.com");

  it("has exactly Talkdesk's configuration fields plus actions", () => {
    expect(Object.keys(manifest).sort()).toEqual([...INTEGRATION_FIELDS, "actions"].sort());
    expect(manifest).toMatchObject({
      name: "talemetry",
      display_name: "Talemetry",
      authentication_type: "custom",
      interaction_types: ["note", "application"],
    });
    expect(manifest.description.length).toBeGreaterThan(20);
  });

  it("asks for one stored api_key input, in Talkdesk's one-key-object form", () => {
    expect(manifest.authentication_configuration).toHaveLength(1);
    const [field] = manifest.authentication_configuration;
    expect(Object.keys(field!)).toEqual(["api_key"]);
    expect(field!.api_key).toMatchObject({ source: "input", display: "API key", mandatory: true, type: "input", store: true });
    expect(field!.api_key.help).toMatch(/API key/);
  });

  it("points every endpoint and asset at absolute URLs under the base", () => {
    expect(manifest).toMatchObject({
      logo_url: "https://bridge.example.com/talkdesk/assets/logo.png",
      icon_url: "https://bridge.example.com/talkdesk/assets/icon.png",
      auth_validation_endpoint: "https://bridge.example.com/talkdesk/auth",
      contact_synchronization_endpoint: "https://bridge.example.com/talkdesk/contacts",
      interaction_retrieval_endpoint: "https://bridge.example.com/talkdesk/interactions",
      agent_synchronization_endpoint: "https://bridge.example.com/talkdesk/agents",
    });
    for (const action of manifest.actions) {
      expect(action.endpoint).toBe(`https://bridge.example.com/talkdesk/actions/${action.name}`);
    }
  });

  it("handles trailing slashes and path prefixes in the base", () => {
    expect(buildManifest("https://bridge.example.com///").auth_validation_endpoint).toBe("https://bridge.example.com/talkdesk/auth");
    expect(buildManifest("https://host.example/bridge/").contact_synchronization_endpoint).toBe(
      "https://host.example/bridge/talkdesk/contacts",
    );
    expect(buildManifest("http://localhost:8787").agent_synchronization_endpoint).toBe("http://localhost:8787/talkdesk/agents");
  });

  it("refuses bases that would make broken endpoints", () => {
    for (const bad of [
      "",
      "bridge.example.com",
      "/talkdesk",
      "ftp://bridge.example.com",
      "https://x.example/?a=1",
      "https://u:p@x.example",
      // Talkdesk sends the API key in every request: plain http only for a local run.
      "http://bridge.example.com",
      "http://10.0.0.5:8787",
    ]) {
      expect(() => buildManifest(bad), bad).toThrow(TypeError);
    }
    expect(() => buildManifest("http://bridge.example.com")).toThrow(/https/);
    expect(buildManifest("http://127.0.0.1:8787").auth_validation_endpoint).toBe("http://127.0.0.1:8787/talkdesk/auth");
  });

  it("takes logo and icon overrides only as absolute URLs", () => {
    const m = buildManifest("https://b.example", { logoUrl: "https://cdn.example/logo.png", iconUrl: "https://cdn.example/icon.png" });
    expect(m.logo_url).toBe("https://cdn.example/logo.png");
    expect(m.icon_url).toBe("https://cdn.example/icon.png");
    expect(() => buildManifest("https://b.example", { logoUrl: "logo.png" })).toThrow(/logoUrl/);
  });

  it("describes each action with Talkdesk's action fields", () => {
    expect(manifest.actions.map((a) => a.name)).toEqual(
      expect.arrayContaining(["log_call", "add_note", "update_contact", "create_contact"]),
    );
    for (const action of manifest.actions) {
      expect(Object.keys(action).sort()).toEqual([...ACTION_FIELDS].sort());
      expect(action.provider).toBe(manifest.name);
      // Talkdesk shows it as "Then <display>".
      expect(action.display).toBe(action.display.toLowerCase());
      expect(action.display).not.toMatch(/^then /);
      // Talkdesk shows the description after "Then" too: a lower-case phrase, not a sentence.
      expect(action.description[0]).toBe(action.description[0]!.toLowerCase());
      expect(action.description).not.toMatch(/\.$/);
      for (const input of action.inputs) {
        expect(Object.keys(input).sort()).toEqual(["key", "mandatory", "name"]);
        expect(typeof input.mandatory).toBe("boolean");
      }
    }
    const logCall = manifest.actions.find((a) => a.name === "log_call")!;
    expect(logCall.inputs.map((i) => i.key)).toEqual(["direction", "duration", "summary", "call_id", "phone"]);
    // Talkdesk runs no action whose mandatory input is empty: a call log needs none of them.
    expect(logCall.inputs.filter((i) => i.mandatory).map((i) => i.key)).toEqual([]);
  });

  it("returns fresh objects: a caller mutating one manifest cannot change the next", () => {
    const a = buildManifest("https://b.example");
    a.actions[0]!.inputs.push({ key: "x", name: "x", mandatory: false });
    a.authentication_configuration[0]!.api_key!.display = "changed";
    const b = buildManifest("https://b.example");
    expect(b.actions[0]!.inputs.map((i) => i.key)).not.toContain("x");
    expect(b.authentication_configuration[0]!.api_key!.display).toBe("API key");
  });
});

describe("action definitions and input schemas agree", () => {
  const sampleValue: Record<string, unknown> = {
    direction: "inbound",
    duration: 30,
    summary: "s",
    call_id: "c1",
    phone: "+14155550142",
    text: "hello",
    phones: "+14155550142",
    emails: "a@example.com",
    name: "Jane Doe",
    email: "jane@example.com",
    note: "Called about the ICU posting.",
  };

  for (const action of TALKDESK_ACTIONS) {
    it(`${action.name}: every input key is read, every mandatory one is required`, () => {
      const schema = ACTION_INPUT_SCHEMAS[action.name];
      expect(Object.keys(schema.shape).sort()).toEqual(action.inputs.map((i) => i.key).sort());
      const full = Object.fromEntries(action.inputs.map((i) => [i.key, sampleValue[i.key]]));
      expect(schema.safeParse(full).success).toBe(true);
      for (const input of action.inputs.filter((i) => i.mandatory)) {
        const { [input.key]: _dropped, ...rest } = full;
        const result = schema.safeParse(rest);
        expect(result.success, input.key).toBe(false);
      }
    });
  }

  it("log_call runs with any subset of its inputs", () => {
    const keys = TALKDESK_ACTIONS.find((a) => a.name === "log_call")!.inputs.map((i) => i.key);
    for (let mask = 0; mask < 1 << keys.length; mask++) {
      const data = Object.fromEntries(keys.filter((_k, i) => mask & (1 << i)).map((k) => [k, sampleValue[k]]));
      expect(ACTION_INPUT_SCHEMAS.log_call.safeParse(data).success, JSON.stringify(data)).toBe(true);
    }
  });

  it("recognises only our action names", () => {
    expect(isTalkdeskActionName("log_call")).toBe(true);
    expect(isTalkdeskActionName("create_ticket")).toBe(false);
    expect(isTalkdeskActionName("__proto__")).toBe(false);
  });
});

describe("assets", () => {
  it("are self-contained SVG documents", () => {
    for (const svg of [TALKDESK_LOGO_SVG, TALKDESK_ICON_SVG]) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.endsWith("</svg>")).toBe(true);
      expect(svg).not.toMatch(/<script|href=/i);
    }
    expect(TALKDESK_PATHS.logoSvg.endsWith("logo.svg")).toBe(true);
    // The manifest names the PNG renders (Talkdesk's logo and icon format).
    expect(TALKDESK_PATHS.logo.endsWith("logo.png")).toBe(true);
    expect(TALKDESK_PATHS.icon.endsWith("icon.png")).toBe(true);
  });

  it("normalizeBaseUrl keeps the origin and path prefix", () => {
    expect(normalizeBaseUrl(" https://Bridge.Example.com/x/ ")).toBe("https://bridge.example.com/x");
  });
});
