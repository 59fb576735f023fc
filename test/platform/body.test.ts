// The body-size limit: declared and streamed (chunked) bodies over the limit are refused with 413.
import { describe, expect, it } from "vitest";
import { readBodyWithLimit } from "../../src/platform/body";
import { AppError } from "../../src/platform/errors";

function streamOf(chunks: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const n of chunks) controller.enqueue(new Uint8Array(n).fill(97));
      controller.close();
    },
  });
}

describe("readBodyWithLimit", () => {
  it("reads a body within the limit", async () => {
    const body = await readBodyWithLimit(new Request("http://x", { method: "POST", body: "hello" }), 5);
    expect(new TextDecoder().decode(body)).toBe("hello");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const req = new Request("http://x", { method: "POST", body: "x".repeat(10), headers: { "content-length": "10" } });
    await expect(readBodyWithLimit(req, 5)).rejects.toMatchObject({ code: "payload_too_large", status: 413 });
  });

  it("counts a streamed body without Content-Length", async () => {
    const req = new Request("http://x", { method: "POST", body: streamOf([3, 3, 3]) });
    const err = await readBodyWithLimit(req, 8).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    const ok = await readBodyWithLimit(new Request("http://x", { method: "POST", body: streamOf([4, 4]) }), 8);
    expect(ok.byteLength).toBe(8);
  });

  it("reads an absent body as empty", async () => {
    expect((await readBodyWithLimit(new Request("http://x"), 5)).byteLength).toBe(0);
  });
});
