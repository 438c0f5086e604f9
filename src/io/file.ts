import { type FileHandle, open } from "node:fs/promises";
import { DecodeError } from "../core/errors.js";

/** A read-only file with positioned reads; the only place decoders touch the file system. */
export class RandomAccessFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<RandomAccessFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unknown";
      throw new DecodeError("io", `cannot open (${code})`, { path, cause: err });
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new DecodeError("io", "not a regular file", { path });
      return new RandomAccessFile(path, handle, st.size);
    } catch (err) {
      await handle.close();
      if (err instanceof DecodeError) throw err;
      throw new DecodeError("io", `cannot stat: ${String(err)}`, { path, cause: err });
    }
  }

  /**
   * Read up to `length` bytes at `position` into `out` (or a new buffer). Returns a view of the bytes
   * actually read: shorter than asked at the end of the file.
   */
  async readAt(position: number, length: number, out?: Uint8Array): Promise<Uint8Array> {
    const avail = Math.max(0, Math.min(length, this.size - position));
    const buf = out && out.length >= avail ? out : new Uint8Array(avail);
    let done = 0;
    try {
      while (done < avail) {
        const { bytesRead } = await this.handle.read(buf, done, avail - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw new DecodeError("io", `read failed at byte ${position}: ${String(err)}`, {
        path: this.path,
        cause: err,
      });
    }
    return buf.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Run `fn` with an open file, closing it afterwards whatever happens. */
export async function withFile<T>(path: string, fn: (f: RandomAccessFile) => Promise<T>): Promise<T> {
  const f = await RandomAccessFile.open(path);
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}
