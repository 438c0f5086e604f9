/**
 * A small static file server for the report: bound to 127.0.0.1 only, serving only files inside
 * the export folder (no path traversal, no symlink escape), with Range support because Chromium's
 * media element needs byte ranges to seek and loop WAVs. One thing can be written: the page posts
 * the musician's choices to /selection.json, accepted only from this computer and from the page's
 * own origin (a web page elsewhere cannot post here, nor reach it through a rebound host name),
 * validated, and written atomically one at a time. A selection.json that cannot be read is never
 * overwritten.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";
import { PatinaError, UsageError } from "../core/errors.js";
import { SELECTION_FILE } from "../core/export-files.js";
import { parseSelection, readSelection, writeSelection } from "../io/export-folder.js";
import { readByteRange, realFolder, resolveServedFile } from "../io/static-files.js";

export interface ServeOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind; loopback only by default so the pack is never exposed to the network. */
  readonly host: string;
}

export const SERVE_DEFAULTS: ServeOptions = { port: 0, host: "127.0.0.1" };

export interface ReportServer {
  /** URL of the report page, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wav": "audio/wav",
  ".wave": "audio/wav",
  ".aif": "audio/aiff",
  ".aiff": "audio/aiff",
  ".flac": "audio/flac",
  ".mp3": "audio/mpeg",
  ".csv": "text/csv; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

/** Content type for a file name (by extension), "application/octet-stream" when unknown. */
export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Parse a single-range "Range: bytes=..." header against a file of `size` bytes. Returns the
 * inclusive [start, end], "unsatisfiable", or null when the header is absent or not a single
 * byte range (then the whole file is sent, as RFC 9110 allows).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return [start, end];
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Content-Type-Options": "nosniff",
  });
  res.end(text);
}

/** Largest selection body accepted (50,000 choices take about 3 MB). */
const MAX_SELECTION_BYTES = 32 * 1024 * 1024;
const SELECTION_URL = `/${SELECTION_FILE}`;

interface ServerState {
  readonly root: string;
  port: number;
  /** Selection writes, one after another. */
  writes: Promise<unknown>;
}

const isLoopback = (addr: string | undefined): boolean =>
  addr === "127.0.0.1" || addr === "::1" || addr === "::ffff:127.0.0.1";

/** The request comes from a page this server served: Host is this server's, Origin matches it. */
function fromOwnPage(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? "";
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return hosts.includes(host) && req.headers.origin === `http://${host}`;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        ok(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

const messageOf = (e: unknown): string =>
  e instanceof PatinaError && e.cause instanceof Error ? e.cause.message : (e as Error).message;

async function postSelection(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress))
    return send(res, 403, "choices are accepted from this computer only");
  if (!fromOwnPage(req, state.port)) return send(res, 403, "choices are accepted from the report page only");
  if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? ""))
    return send(res, 415, "send the selection as application/json");
  const text = await readBody(req, MAX_SELECTION_BYTES);
  if (text === null) return send(res, 413, `selection larger than ${MAX_SELECTION_BYTES} bytes`);
  let textures: ReturnType<typeof parseSelection>["textures"];
  let updated: Date;
  try {
    const sel = parseSelection(text, "posted selection");
    textures = sel.textures;
    const t = Date.parse(sel.updated);
    updated = Number.isFinite(t) ? new Date(t) : new Date();
  } catch (e) {
    return send(res, 400, (e as Error).message);
  }
  const write = async (): Promise<[number, string]> => {
    try {
      await readSelection(state.root);
    } catch (e) {
      return [
        409,
        `${SELECTION_FILE} in the export folder cannot be read (${messageOf(e)}): move it away to save here`,
      ];
    }
    try {
      await writeSelection(state.root, textures, updated);
    } catch (e) {
      return [500, `cannot write ${SELECTION_FILE}: ${messageOf(e)}`];
    }
    return [204, ""];
  };
  const done = state.writes.then(write, write);
  state.writes = done.catch(() => undefined);
  const [status, message] = await done;
  if (status !== 204) return send(res, status, message);
  res.writeHead(204, { "Cache-Control": "no-store" });
  res.end();
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const root = state.root;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    return send(res, 400, "bad request");
  }
  if (pathname.includes("\0")) return send(res, 400, "bad request");
  if (req.method === "POST" && pathname === SELECTION_URL) return postSelection(state, req, res);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", pathname === SELECTION_URL ? "GET, HEAD, POST" : "GET, HEAD");
    return send(res, 405, "method not allowed");
  }
  const file = await resolveServedFile(root, pathname);
  if (file === "forbidden") return send(res, 403, "forbidden");
  if (file === "not-found") {
    // No choices saved yet: an empty answer rather than a 404 the browser would log as an error.
    if (pathname === SELECTION_URL) {
      res.writeHead(204, { "Cache-Control": "no-store" });
      res.end();
      return;
    }
    return send(res, 404, "not found");
  }
  const headers: Record<string, string | number> = {
    "Content-Type": contentType(file.path),
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-cache",
    "Last-Modified": file.mtime.toUTCString(),
    "X-Content-Type-Options": "nosniff",
  };
  const range = parseRange(req.headers.range, file.size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { ...headers, "Content-Range": `bytes */${file.size}`, "Content-Length": 0 });
    res.end();
    return;
  }
  const [start, end] = range ?? [0, file.size - 1];
  const length = file.size === 0 ? 0 : end - start + 1;
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  headers["Content-Length"] = length;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD" || length === 0) {
    res.end();
    return;
  }
  const stream = readByteRange(file.path, start, end);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** Serve `exportDir` on 127.0.0.1 (a free port unless `port` is given). */
export async function serveReport(
  exportDir: string,
  options: Partial<ServeOptions> = {},
): Promise<ReportServer> {
  const o: ServeOptions = { ...SERVE_DEFAULTS, ...options };
  let root: string;
  try {
    root = await realFolder(exportDir);
  } catch (e) {
    throw new UsageError(`cannot serve: not a folder (${(e as Error).message})`, { path: exportDir });
  }
  const state: ServerState = { root, port: 0, writes: Promise.resolve() };
  const server = createServer((req, res) => {
    handle(state, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (e) =>
      fail(new UsageError(`cannot listen on ${o.host}:${o.port}: ${e.message}`, { cause: e })),
    );
    server.listen(o.port, o.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  return {
    url: `http://${o.host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
