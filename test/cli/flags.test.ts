/**
 * The flag types are derived from the option table (src/cli/flags.ts): these checks run in the
 * type checker (npm test runs tsc over the tests), and the runtime part checks that the names the
 * types use are the ones commander produces.
 */
import { Option } from "commander";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { BatchFlags, DiscoverFlags, MakeFlags, RunFlags, SelectFlags } from "../../src/cli/spec.js";
import { COMMANDS, type CommandSpec, GLOBAL_FLAGS } from "../../src/cli/spec.js";

describe("flag types derived from the option table", () => {
  it("value flags take their parser's type, choices their union, defaults make them always set", () => {
    expectTypeOf<MakeFlags["seed"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MakeFlags["minePads"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<MakeFlags["root"]>().toEqualTypeOf<string>();
    expectTypeOf<MakeFlags["set"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<MakeFlags["jsonOutput"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BatchFlags["startIndex"]>().toEqualTypeOf<number>();
    expectTypeOf<BatchFlags["timeout"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BatchFlags["jobs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DiscoverFlags["format"]>().toEqualTypeOf<"csv" | "json" | "markdown" | undefined>();
    expectTypeOf<SelectFlags["format"]>().toEqualTypeOf<"csv" | "json" | undefined>();
    expectTypeOf<RunFlags["cache"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RunFlags["quiet"]>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error: a flag the table does not declare does not exist
    expectTypeOf<MakeFlags["decode"]>().toBeNever();
  });

  it("the names are commander's own camel-cased attribute names", () => {
    const namesOf = (name: string): string[] => {
      const spec = (COMMANDS as readonly CommandSpec[]).find((c) => c.name === name);
      return [...(spec?.options ?? []), ...GLOBAL_FLAGS]
        .map((o) => new Option(o.flags).attributeName())
        .sort();
    };
    // Typed lists: the compiler checks each name is a key of the derived type; the test that
    // commander produces exactly these.
    const make: (keyof MakeFlags)[] = [
      "all",
      "minePads",
      "makeDrones",
      "makeClouds",
      "makeHiss",
      "root",
      "config",
      "profile",
      "set",
      "seed",
      "dryRun",
      "jsonOutput",
      "strict",
      "verbose",
      "quiet",
    ];
    const run: (keyof RunFlags)[] = [
      "output",
      "profile",
      "jobs",
      "config",
      "set",
      "cacheDir",
      "cache",
      "verbose",
      "quiet",
    ];
    expect(namesOf("make")).toEqual(make.sort());
    expect(namesOf("run")).toEqual(run.sort());
  });
});
