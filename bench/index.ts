/**
 * `npm run bench`: every benchmark, printed as "name: value" lines. Figures go into the README's
 * performance section. Pass names to run a subset: `npm run bench -- dsp analysis`.
 */
type Bench = () => Promise<Record<string, number>>;

const benches: Record<string, () => Promise<Bench>> = {
  io: async () => (await import("./io.js")).benchIo,
  dsp: async () => (await import("./dsp.js")).benchDsp,
  analysis: async () => (await import("./analysis.js")).benchAnalysis,
  tonal: async () => (await import("./textures-tonal.js")).benchTonal,
  noise: async () => (await import("./textures-noise.js")).benchNoise,
  make: async () => (await import("./make.js")).benchMake,
  discover: async () => (await import("./discover.js")).benchDiscover as Bench,
  batch: async () => (await import("./batch.js")).benchBatch,
  report: async () => (await import("./report.js")).benchReport,
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(benches);
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
