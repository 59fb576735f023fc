// A webhook receiver for tests: an auxiliary Worker (vitest.config.ts) to which the bridge's outbound
// fetch is routed (miniflare `outboundService`: the test network, as a real network routes a delivery to
// the receiver's host). It records every request and answers each path by a programmed list of statuses
// (then 204). The test controls it at http://receiver-control/ (that fetch is routed here as well).
// Plain JavaScript: miniflare loads it as it is.

/** path → statuses still to answer, in order */
const plans = new Map();
/** every request received, oldest first */
const received = [];

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.hostname === "receiver-control") {
      if (url.pathname === "/plan" && request.method === "POST") {
        const { path, statuses } = await request.json();
        plans.set(path, [...statuses]);
        return Response.json({ ok: true });
      }
      if (url.pathname === "/requests") {
        const path = url.searchParams.get("path");
        return Response.json(received.filter((r) => r.path === path));
      }
      return new Response("unknown control route", { status: 404 });
    }
    const body = await request.text();
    received.push({
      url: request.url,
      host: url.host,
      path: url.pathname,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body,
      at: Date.now(),
    });
    const status = plans.get(url.pathname)?.shift() ?? 204;
    return new Response(status === 204 ? null : `status ${status}`, { status });
  },
};
