/**
 * `npm run bench`: every benchmark, printed as "name: value" lines. Figures go into the README's
 * performance section. Pass names to run a subset: `npm run bench -- dsp analysis`. Arguments from the
 * first `--flag` on go to the music bench (`npm run bench -- music --json out.json`), which runs only
 * when named: it needs fluidsynth.
 */
type Bench = () => Promise<Record<string, number>>;

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith("--"));
const wanted = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);

const benches: Record<string, () => Promise<Bench>> = {
  io: async () => (await import("./io.js")).benchIo,
  dsp: async () => (await import("./dsp.js")).benchDsp,
  analysis: async () => (await import("./analysis.js")).benchAnalysis,
  tonal: async () => (await import("./textures-tonal.js")).benchTonal,
  noise: async () => (await import("./textures-noise.js")).benchNoise,
  make: async () => (await import("./make.js")).benchMake,
  discover: async () => (await import("./discover.js")).benchDiscover as Bench,
  batch: async () => (await import("./batch.js")).benchBatch,
  music: async () => {
    const { benchMusic } = await import("./music/index.js");
    return () => benchMusic(flags);
  },
};

const names = wanted.length > 0 ? wanted : Object.keys(benches).filter((n) => n !== "music");
let failed = false;
for (const name of names) {
  const load = benches[name];
  if (!load) {
    console.error(`unknown benchmark: ${name} (have: ${Object.keys(benches).join(", ")})`);
    failed = true;
    continue;
  }
  console.log(`# ${name}`);
  try {
    const figures = await (await load())();
    for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
  } catch (e) {
    failed = true;
    console.error(`${name} failed: ${(e as Error).stack ?? e}`);
  }
}
process.exitCode = failed ? 1 : 0;
