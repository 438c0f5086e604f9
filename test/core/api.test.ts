import { describe, expect, it } from "vitest";
import * as patina from "../../src/index.js";

describe("package root", () => {
  it("exports the documented API", () => {
    for (const name of [
      "probe",
      "openAudio",
      "decodeRegion",
      "decodeFile",
      "writeWav",
      "loadConfig",
      "DEFAULT_CONFIG",
      "analyzeStream",
      "estimatePitch",
      "detectKey",
      "minePads",
      "makeDrones",
      "makeClouds",
      "makeHiss",
      "runMake",
      "discover",
      "select",
      "buildReport",
      "buildKit",
      "loadDeviceProfile",
      "timbreFingerprint",
      "run",
      "Rng",
    ]) {
      expect(typeof (patina as Record<string, unknown>)[name], name).not.toBe("undefined");
    }
    expect(typeof patina.dsp.makeLoop).toBe("function");
    expect(typeof patina.analysis.detectOnsets).toBe("function");
  });
});
