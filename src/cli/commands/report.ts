/** `patina report [EXPORT_DIR] [--open] [--serve]`: (re)build the audition page of an export folder. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CommandContext } from "../context.js";
import { EXIT } from "../context.js";
import type { ReportFlags } from "../spec.js";

/** Hand a URL to the desktop's opener; failures only warn (headless machines have none). */
function openInBrowser(url: string, ctx: CommandContext<ReportFlags>): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(cmd, [url], { detached: true, stdio: "ignore" });
  child.on("error", () => ctx.warn(`could not open a browser (${cmd}); open ${url} yourself`));
  child.unref();
}

export default async function report(ctx: CommandContext<ReportFlags>): Promise<number> {
  const { buildReport, serveReport } = await import("../../report/index.js");
  const exportDir = resolve(ctx.io.cwd, (ctx.args[0] as string | undefined) ?? "export/tr8s");
  const progress = ctx.progress();
  let started = false;
  const result = await buildReport(exportDir, {
    onProgress: (done, total) => {
      if (!started) {
        progress.start(total, "Drawing waveforms");
        started = true;
      }
      progress.tick(1, `${done}/${total}`);
    },
  });
  progress.done();
  ctx.info(
    `Report: ${result.textures} textures from ${result.sources} sources ` +
      `(drawn ${result.rendered}, up to date ${result.reused}, removed ${result.pruned} stale images)`,
  );
  if (result.batchResultsPath) ctx.info(`Batch summary: ${result.batchResultsPath}`);
  if (result.selection)
    ctx.info(
      `Choices: ${result.selection.kept} kept, ${result.selection.rejected} rejected (selection.json)`,
    );
  if (result.map === "features")
    ctx.info("Map: from manifest columns (no fingerprints.json in this export; a newer make writes one)");
  if (result.warnings.length > 0) {
    ctx.warn(`${result.warnings.length} warning(s):`);
    for (const w of result.warnings) ctx.warn(`  ${w}`);
  }
  const fileUrl = pathToFileURL(result.htmlPath).href;
  ctx.out(`Open: ${fileUrl}`);
  if (ctx.flags.serve) {
    const server = await serveReport(exportDir);
    ctx.out(`Serving ${exportDir} at ${server.url} (choices are saved to selection.json; Ctrl-C to stop)`);
    if (ctx.flags.open) openInBrowser(server.url, ctx);
    await new Promise<void>((done) => {
      process.once("SIGINT", () => done());
      process.once("SIGTERM", () => done());
    });
    await server.close();
    return EXIT.ok;
  }
  if (ctx.flags.open) openInBrowser(fileUrl, ctx);
  return EXIT.ok;
}
