import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { contentType, parseRange, type ReportServer, serveReport } from "../../src/report/serve.js";

const base = mkdtempSync(join(tmpdir(), "patina-serve-"));
const root = join(base, "export");
let server: ReportServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raw request (no URL normalisation by a client library), so traversal attempts reach the server as sent. */
function get(
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
  body: string | null = null,
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", fail);
    req.end(body ?? undefined);
  });
}

/** POST a selection as the page does: JSON, from the page's own origin (plus any header overrides). */
function postSelection(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const own = `http://127.0.0.1:${server.port}`;
  return get(
    "/selection.json",
    { "Content-Type": "application/json", Origin: own, ...headers },
    "POST",
    typeof body === "string" ? body : JSON.stringify(body),
  );
}

const SELECTION = {
  version: 1,
  updated: "2026-03-01T12:00:00.000Z",
  textures: { "a b/pads/x#1.wav": { state: "keep", star: true }, "w.wav": { state: "reject" } },
};

const wavBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  mkdirSync(join(root, "a b", "pads"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(root, "a b", "pads", "x#1.wav"), wavBytes);
  writeFileSync(join(root, "w.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(base, "secret.txt"), "outside");
  symlinkSync(join(base, "secret.txt"), join(root, "link.txt"));
  server = await serveReport(root, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

describe("serveReport", () => {
  it("binds to 127.0.0.1 on a free port and serves index.html at /", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    const r = await get("/");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.body.toString()).toContain("<title>t</title>");
  });

  it("serves encoded names with the right content types", async () => {
    const r = await get("/a%20b/pads/x%231.wav");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("audio/wav");
    expect(r.headers["accept-ranges"]).toBe("bytes");
    expect(r.body.equals(wavBytes)).toBe(true);
    expect((await get("/w.png")).headers["content-type"]).toBe("image/png");
  });

  it("answers byte ranges with 206 and the exact bytes", async () => {
    const r = await get("/a%20b/pads/x%231.wav", { Range: "bytes=100-199" });
    expect(r.status).toBe(206);
    expect(r.headers["content-range"]).toBe("bytes 100-199/1000");
    expect(r.headers["content-length"]).toBe("100");
    expect(r.body.equals(wavBytes.subarray(100, 200))).toBe(true);
    const open = await get("/a%20b/pads/x%231.wav", { Range: "bytes=990-" });
    expect(open.body.equals(wavBytes.subarray(990))).toBe(true);
    const suffix = await get("/a%20b/pads/x%231.wav", { Range: "bytes=-10" });
    expect(suffix.headers["content-range"]).toBe("bytes 990-999/1000");
    const bad = await get("/a%20b/pads/x%231.wav", { Range: "bytes=5000-" });
    expect(bad.status).toBe(416);
    expect(bad.headers["content-range"]).toBe("bytes */1000");
  });

  it("never serves files outside the folder", async () => {
    for (const p of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/a%20b/..%2f..%2fsecret.txt",
    ]) {
      const r = await get(p);
      expect([403, 404], p).toContain(r.status);
      expect(r.body.toString()).not.toContain("outside");
    }
    const link = await get("/link.txt");
    expect(link.status).toBe(403);
    expect(link.body.toString()).not.toContain("outside");
  });

  it("answers 404, HEAD and 405 properly", async () => {
    expect((await get("/nope.wav")).status).toBe(404);
    expect((await get("/bad%zz")).status).toBe(400);
    const head = await get("/a%20b/pads/x%231.wav", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe("1000");
    expect(head.body.length).toBe(0);
    const post = await get("/", {}, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect((await get("/selection.json", {}, "PUT")).headers.allow).toBe("GET, HEAD, POST");
  });

  it("refuses a folder that does not exist", async () => {
    await expect(serveReport(join(base, "missing"))).rejects.toThrow(UsageError);
  });
});

describe("serveReport: the page's choices", () => {
  const file = join(root, "selection.json");
  afterAll(() => rmSync(file, { force: true }));

  it("writes a valid selection posted from the page to selection.json, and serves it back", async () => {
    const r = await postSelection(SELECTION);
    expect(r.status).toBe(204);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(SELECTION);
    const back = await get("/selection.json");
    expect(back.status).toBe(200);
    expect(JSON.parse(back.body.toString())).toEqual(SELECTION);
    // No temporary file is left beside it.
    expect(readdirSync(root).filter((f) => f.includes("selection") && f !== "selection.json")).toEqual([]);
  });

  it("refuses other origins, other hosts, other content types and invalid bodies, and keeps the file", async () => {
    await postSelection(SELECTION);
    const before = readFileSync(file, "utf8");
    const evil = { ...SELECTION, textures: {} };
    const refused: [Reply, number][] = [
      [await postSelection(evil, { Origin: "http://evil.example" }), 403],
      [await postSelection(evil, { Origin: "null" }), 403],
      // A page elsewhere that reached this port through a name it rebound to 127.0.0.1.
      [
        await postSelection(evil, {
          Host: `evil.example:${server.port}`,
          Origin: `http://evil.example:${server.port}`,
        }),
        403,
      ],
      [
        await get("/selection.json", { "Content-Type": "application/json" }, "POST", JSON.stringify(evil)),
        403,
      ],
      [await postSelection(evil, { "Content-Type": "text/plain" }), 415],
      [await postSelection("{ not json"), 400],
      [await postSelection({ ...evil, version: 2 }), 400],
      [await postSelection({ ...SELECTION, textures: { "a.wav": { state: "maybe" } } }), 400],
    ];
    for (const [reply, status] of refused) expect(reply.status).toBe(status);
    expect(refused[6][0].body.toString()).toMatch(/not a patina selection file: version/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("never overwrites a selection.json it cannot read", async () => {
    writeFileSync(file, "{ my own notes");
    const r = await postSelection(SELECTION);
    expect(r.status).toBe(409);
    expect(r.body.toString()).toMatch(/selection\.json in the export folder cannot be read/);
    expect(readFileSync(file, "utf8")).toBe("{ my own notes");
    rmSync(file);
  });

  it("writes concurrent posts one at a time: the file is always one of them, whole", async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => ({
      ...SELECTION,
      updated: `2026-03-01T12:00:0${i}.000Z`,
      textures: { [`t${i}.wav`]: { state: "keep" } },
    }));
    const replies = await Promise.all(bodies.map((b) => postSelection(b)));
    expect(replies.map((r) => r.status)).toEqual(bodies.map(() => 204));
    expect(bodies).toContainEqual(JSON.parse(readFileSync(file, "utf8")));
  });
});

describe("parseRange and contentType", () => {
  it("parses the single-range forms and rejects the rest", () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange("bytes=0-0", 10)).toEqual([0, 0]);
    expect(parseRange("bytes=5-100", 10)).toEqual([5, 9]);
    expect(parseRange("bytes=-3", 10)).toEqual([7, 9]);
    expect(parseRange("bytes=-30", 10)).toEqual([0, 9]);
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=5-2", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,4-5", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
  });

  it("maps extensions case-insensitively", () => {
    expect(contentType("A.WAV")).toBe("audio/wav");
    expect(contentType("index.html")).toBe("text/html; charset=utf-8");
    expect(contentType("x.bin")).toBe("application/octet-stream");
  });
});
