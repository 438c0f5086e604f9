/** `patina kit [EXPORT_DIR...] --device NAME --out DIR`: chosen textures as a kit for a sampler. */
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.js";
import type { TextureCategory } from "../../core/manifest.js";
import type { CommandContext } from "../context.js";
import { EXIT } from "../context.js";
import type { KitFlags } from "../spec.js";

const CATEGORIES: readonly TextureCategory[] = ["pads", "swells", "clouds", "hiss"];

function parseCategories(values: readonly string[] | undefined): TextureCategory[] | null {
  if (values === undefined || values.length === 0) return null;
  const out: TextureCategory[] = [];
  for (const v of values.flatMap((x) => x.split(",")).map((x) => x.trim().toLowerCase())) {
    if (v === "") continue;
    if (!(CATEGORIES as readonly string[]).includes(v)) {
      throw new UsageError(`--category ${JSON.stringify(v)} is not one of ${CATEGORIES.join(", ")}`);
    }
    if (!out.includes(v as TextureCategory)) out.push(v as TextureCategory);
  }
  return out.length > 0 ? out : null;
}

export default async function kit(ctx: CommandContext<KitFlags>): Promise<number> {
  const { buildKit, describeSample, loadDeviceProfile, parseKeyArg } = await import("../../kit/index.js");
  const f = ctx.flags;
  const cwd = ctx.io.cwd;
  const dirs = (ctx.args[0] as string[] | undefined) ?? [];
  const exportDirs = (dirs.length > 0 ? dirs : ["export/tr8s"]).map((d) => resolve(cwd, d));
  const profile = await loadDeviceProfile(f.device ?? "", cwd);
  const progress = ctx.progress();
  let started = false;
  const result = await buildKit({
    exportDirs,
    out: f.out === undefined ? null : resolve(cwd, f.out),
    profile,
    from: f.from === undefined ? null : resolve(cwd, f.from),
    count: f.count ?? null,
    name: f.name,
    categories: parseCategories(f.category),
    key: f.key === undefined ? null : parseKeyArg(f.key),
    sustainSec: f.sustain ?? null,
    dryRun: f.dryRun === true,
    onSample: (done, total) => {
      if (!started) {
        progress.start(total, "Writing samples");
        started = true;
      }
      progress.tick(1, `${done}/${total}`);
    },
  });
  progress.done();
  const { plan, selection } = result;
  const how =
    selection.mode === "chosen"
      ? `kept in ${result.selectionFiles.join(", ")}`
      : result.selectionFiles.length > 0
        ? "chosen automatically (nothing kept in the selection)"
        : "chosen automatically (no selection.json: keep textures in the report to choose them)";
  ctx.out(`Kit "${plan.name}" for the ${profile.title}: ${plan.samples.length} sample(s), ${how}`);
  for (const n of [...result.notes, ...selection.notes]) ctx.out(`  left out: ${n}`);
  for (const n of plan.notes) ctx.out(`  ${n}`);
  const memory =
    profile.limits.total_sec === null
      ? ""
      : `; sample memory ${plan.memorySec.toFixed(1)} of ${profile.limits.total_sec} s (mono-equivalent)`;
  ctx.out(`  ${plan.totalSec.toFixed(1)} s of audio${memory}`);
  const width = Math.max(...plan.samples.map((s) => s.path.length));
  for (const s of plan.samples) {
    ctx.out(`  ${s.path.padEnd(width)}  ${describeSample(s)}`);
    ctx.out(`  ${"".padEnd(width)}  why: ${s.pick.reason}`);
  }
  if (result.extraFiles.length > 0) ctx.out(`  also: ${result.extraFiles.join(", ")}`);
  if (result.out === null) ctx.out("Dry run: nothing written.");
  else ctx.out(`Wrote ${result.out}`);
  return EXIT.ok;
}
