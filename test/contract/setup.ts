// The one contract hook (vitest setupFiles): every answer a test observes from /v1 and /oauth through
// the Worker's fetch is checked against the served /openapi.json — an undocumented status, media type,
// header or field fails the test that saw it, whichever test that is. Installed once per runtime
// (test files share it: vitest.config.ts, isolate: false).
import { exports } from "cloudflare:workers";
import { ContractChecker, type OpenApiDoc } from "./openapi-contract";

const INSTALLED = Symbol.for("talemetry-bridge.contract-hook");
const CHECKED = /^\/(v1|oauth)\//;

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
const worker = exports.default as unknown as { fetch: Fetch };
const scope = globalThis as { [INSTALLED]?: true };

if (!scope[INSTALLED]) {
  scope[INSTALLED] = true;
  const fetchWorker = worker.fetch.bind(worker);
  let checker: Promise<ContractChecker> | null = null;
  const checkerOf = (origin: string) => {
    checker ??= fetchWorker(`${origin}/openapi.json`).then(async (res) => new ContractChecker((await res.json()) as OpenApiDoc));
    return checker;
  };
  worker.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const res = await fetchWorker(input, init);
    if (!CHECKED.test(url.pathname)) return res;
    const body = method === "HEAD" ? "" : await res.clone().text();
    const violations = (await checkerOf(url.origin)).check(method, url.pathname, res.status, res.headers, body);
    if (violations.length > 0) throw new Error(`The answer breaks /openapi.json (test/contract/setup.ts):\n- ${violations.join("\n- ")}`);
    return res;
  };
}
