// A tiny webhook receiver for the local walkthrough (`npm start`) and the delivery benchmark: a Node HTTP
// server that verifies each delivery with the Standard Webhooks library — as a partner's receiver would —
// and hands the verified event on. Nothing here is imported by the Worker.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

/**
 * Listens on 127.0.0.1:`port`. `secretFor()` gives the current whsec_ secret (known only once the
 * subscription exists). Each verified delivery calls `onEvent(event, headers, receivedAt)` and is answered
 * 204; a delivery that fails verification is answered 400 (and `onRejected` is told why).
 */
export function startReceiver({ port, secretFor, onEvent, onRejected = () => {} }) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const receivedAt = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const secret = secretFor();
      try {
        if (!secret) throw new Error("no subscription secret yet");
        const event = new Webhook(secret).verify(body, req.headers);
        res.writeHead(204).end();
        onEvent(event, req.headers, receivedAt);
      } catch (err) {
        res.writeHead(400, { "content-type": "text/plain" }).end("signature check failed");
        onRejected(err, req.headers);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${port}/webhooks`, close: () => server.close() }));
  });
}
