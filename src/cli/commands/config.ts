/**
 * `patina config init | validate | show | schema`. Flags are declared in ../spec.ts.
 */
import { isAbsolute, join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { CONFIG_FILE, loadConfig } from "../../config/load.js";
import { JSON_SCHEMA_FILE, renderDefaultConfigYaml, renderJsonSchema } from "../../config/render.js";
import { UsageError } from "../../core/errors.js";
import { pathExists } from "../../io/fs.js";
import { writeTextFileAtomic } from "../../io/textfile.js";
import { type CommandContext, EXIT } from "../context.js";
import type { ConfigFlags, ConfigInitFlags, ConfigShowFlags, GlobalFlags } from "../spec.js";

async function init(ctx: CommandContext<ConfigInitFlags>): Promise<number> {
  const dir = resolve(ctx.io.cwd, ctx.flags.dir ?? ".");
  const files: [string, string][] = [
    [join(dir, CONFIG_FILE), renderDefaultConfigYaml()],
    [join(dir, JSON_SCHEMA_FILE), renderJsonSchema()],
  ];
  if (!ctx.flags.force) {
    const existing: string[] = [];
    for (const [file] of files) if (await pathExists(file)) existing.push(file);
    if (existing.length > 0) {
      throw new UsageError(
        `${existing.join(" and ")} already exist${existing.length === 1 ? "s" : ""}; ` +
          "use --force to overwrite, e.g. patina config init --force",
      );
    }
  }
  for (const [file, text] of files) {
    await writeTextFileAtomic(file, text);
    ctx.info(`wrote ${file}`);
  }
  return EXIT.ok;
}

async function validate(ctx: CommandContext<ConfigFlags & GlobalFlags>): Promise<number> {
  const file = ctx.args[0] as string | undefined;
  const configPath = file ?? CONFIG_FILE;
  // Validating means a file: a missing ./config.yaml is an error here, unlike for other commands.
  const loaded = await loadConfig({
    configPath,
    profile: ctx.flags.profile,
    sets: ctx.flags.set ?? [],
    cwd: ctx.io.cwd,
  });
  const shown = loaded.sources.slice(1).map((s) => (isAbsolute(s) ? relative(ctx.io.cwd, s) || s : s));
  ctx.info(`${ctx.style.green("ok:")} ${shown.join(" + ")} is valid`);
  ctx.debug(`config hash ${loaded.hash}`);
  return EXIT.ok;
}

async function show(ctx: CommandContext<ConfigShowFlags>): Promise<number> {
  const loaded = await ctx.loadConfig();
  if (ctx.flags.json) {
    ctx.out(JSON.stringify({ config: loaded.config, sources: loaded.sources, hash: loaded.hash }, null, 2));
  } else {
    ctx.out(`# sources: ${loaded.sources.join(" < ")}`);
    ctx.out(`# hash: ${loaded.hash}`);
    ctx.out(stringify(loaded.config, { lineWidth: 0, flowCollectionPadding: false }).trimEnd());
  }
  return EXIT.ok;
}

export default async function config(ctx: CommandContext): Promise<number> {
  switch (ctx.command[1]) {
    case "init":
      return init(ctx as CommandContext<ConfigInitFlags>);
    case "validate":
      return validate(ctx as CommandContext<ConfigFlags & GlobalFlags>);
    case "show":
      return show(ctx as CommandContext<ConfigShowFlags>);
    case "schema":
      ctx.io.stdout.write(renderJsonSchema());
      return EXIT.ok;
    default:
      throw new UsageError(`unknown config subcommand: ${ctx.command.join(" ")}`);
  }
}
