import { describe, expect, it } from "vitest";
import { workerExecArgv } from "../../src/pipeline/batch.js";

describe("worker process flags", () => {
  it("keep module hooks and conditions, drop the parent's V8 flags (the workers get their own)", () => {
    expect(
      workerExecArgv([
        "--single-threaded-gc",
        "--import",
        "tsx",
        "--max-semi-space-size=64",
        "--conditions=dev",
        "-r",
        "./hook.cjs",
        "--enable-source-maps",
        "--stack-size=2000",
        "--loader=./l.mjs",
      ]),
    ).toEqual([
      "--import",
      "tsx",
      "--conditions=dev",
      "-r",
      "./hook.cjs",
      "--enable-source-maps",
      "--loader=./l.mjs",
    ]);
    expect(workerExecArgv([])).toEqual([]);
  });
});
