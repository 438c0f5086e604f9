/** `patina make`: pads, drones, clouds and hiss from one working folder (issue "make"). */
import { join, resolve } from "node:path";
import { UsageError } from "../../core/errors.js";
import { isDirectory } from "../../io/fs.js";
import { isDataLoss } from "../../io/warnings.js";
import type { CommandContext } from "../context.js";
import { EXIT } from "../context.js";
import type { MakeFlags } from "../spec.js";

export default async function make(ctx: CommandContext<MakeFlags>): Promise<number> {
  const { runMake } = await import("../../pipeline/make.js");
  const f = ctx.flags;
  const { config, hash } = await ctx.loadConfig();
  const named: ("pads" | "drones" | "clouds" | "hiss")[] = [];
  if (f.minePads) named.push("pads");
  if (f.makeDrones) named.push("drones");
  if (f.makeClouds) named.push("clouds");
  if (f.makeHiss) named.push("hiss");
  const phases = f.all || named.length === 0 ? (["pads", "drones", "clouds", "hiss"] as const) : named;
  const root = resolve(ctx.io.cwd, f.root);
  // A mistyped --root must not become a new folder full of synthetic noise.
  if (!(await isDirectory(root))) throw new UsageError("the --root folder does not exist", { path: root });
  const started = performance.now();
  // The report's images are drawn from each texture's samples as it is written (no second decode).
  const primer =
    !f.dryRun && config.report.enabled
      ? new (await import("../../report/index.js")).ImagePrimer(join(root, config.paths.export_dir))
      : null;
  const result = await runMake({
    root,
    config,
    phases,
    seed: f.seed,
    dryRun: f.dryRun,
    strict: f.strict,
    hissAsked: f.makeHiss === true,
    onWritten: primer ? (w) => primer.add(w.file, w.category, w.audio) : undefined,
    onEvent: (e) => {
      if (e.kind === "phase") ctx.info(ctx.style.bold(`${e.phase}: ${e.sources} source(s)`));
      else if (e.kind === "skip") ctx.info(`  skipped${e.source ? ` ${e.source}` : ""}: ${e.reason}`);
      else if (e.kind === "error") ctx.error(`${e.source}: ${e.message}`);
      else if (e.kind === "file") ctx.debug(`  ${e.saved ? "" : "(not saved) "}${e.file} [${e.grade}]`);
      else if (e.kind === "source-done") ctx.debug(`  ${e.source}: ${e.files} file(s)`);
    },
  });
  const wall = (performance.now() - started) / 1000;
  if (f.dryRun) {
    ctx.out(`Dry run: ${result.files.length} file(s) would be written under ${result.exportDir}`);
    for (const file of result.files) ctx.out(`  ${file}`);
  }
  if (f.seed === undefined && config.reproducibility.random_seed === null) {
    ctx.info(`seed: ${result.seed} (pass --seed ${result.seed} to repeat this run exactly)`);
  }
  const c = result.counts;
  ctx.out(
    `${f.dryRun ? "would make" : "made"}: ${c.pads} pads, ${c.swells} swells, ${c.clouds} clouds, ` +
      `${c.hiss_loops} hiss loops, ${c.hiss_flickers} hiss flickers in ${wall.toFixed(1)} s`,
  );
  if (!f.dryRun) ctx.info(`manifest: ${result.manifestPath}`);
  for (const w of result.warnings) ctx.warn(`${w.path}: ${w.message}`);
  if (result.errors.length > 0) ctx.warn(`${result.errors.length} source(s) failed`);
  const incomplete = new Set(result.warnings.filter((w) => isDataLoss(w.message)).map((w) => w.path));
  if (incomplete.size > 0) ctx.warn(`${incomplete.size} source(s) could be read only in part (see above)`);

  if (!f.dryRun && config.report.enabled) {
    try {
      const { buildReport } = await import("../../report/index.js");
      const report = await buildReport(result.exportDir, { primed: primer?.primed ?? null });
      ctx.info(`report: ${report.htmlPath}`);
    } catch (e) {
      ctx.warn(`could not build the report: ${(e as Error).message}`);
    }
  }
  if (f.jsonOutput) {
    const { writeTextFileAtomic } = await import("../../io/textfile.js");
    const json = {
      seed: result.seed,
      dry_run: result.dryRun,
      config_hash: hash,
      counts: result.counts,
      sources: result.sources,
      errors: result.errors,
      skipped: result.skipped,
      warnings: result.warnings,
      files: result.files,
      timings: { ...result.timings, wall_sec: Math.round(wall * 1000) / 1000 },
    };
    await writeTextFileAtomic(resolve(ctx.io.cwd, f.jsonOutput), `${JSON.stringify(json, null, 2)}\n`);
  }
  return result.errors.length > 0 || incomplete.size > 0 ? EXIT.failed : EXIT.ok;
}
