/**
 * The report's images: a waveform per texture (and a spectrogram for pads and clouds) under
 * `<export_dir>/.report/`, drawn only for WAVs that changed since the last run (the cache records
 * each WAV's mtime and size when its images were drawn: stricter than "image newer than WAV", which
 * misses a WAV replaced by an older copy), so re-running on a big pack costs a few stats per file.
 */
import { dirname, join, resolve } from "node:path";
import { type PlanarAudio, toMono } from "../core/audio.js";
import type { ManifestRow } from "../core/manifest.js";
import { mixHalfInPlace } from "../dsp/sample-kernels.js";
import { listEntries, removeFile, statFile } from "../io/entries.js";
import { ensureDir } from "../io/fs.js";
import { decodeFile, writeFileAtomic } from "../io/index.js";
import { readJsonIfExists } from "../io/workdir.js";
import { type AudioFacts, imagePath, REPORT_ASSETS_DIR } from "./model.js";
import type { ImageSize } from "./render/png.js";
import { spectrogramPng } from "./render/spectrogram.js";
import { waveformPng } from "./render/waveform.js";

/** Image sizes the report draws by default. */
export const IMAGE_DEFAULTS: Pick<ImageOptions, "waveform" | "spectrogram"> = {
  waveform: { width: 480, height: 64 },
  spectrogram: { width: 240, height: 48 },
};

export interface ImageOptions {
  /** Re-render every image even when it is newer than its WAV. */
  readonly force: boolean;
  readonly waveform: ImageSize;
  readonly spectrogram: ImageSize;
  /** Called after each WAV is rendered or found up to date. */
  readonly onProgress: ((done: number, total: number) => void) | null;
  /** Images already drawn from the samples in memory (ImagePrimer), by manifest file name. */
  readonly primed: ReadonlyMap<string, PrimedImages> | null;
}

export { REPORT_ASSETS_DIR };

const META_FILE = "meta.json";
/** Files whose images are drawn at once (their I/O overlaps the others' drawing). */
const RENDER_CONCURRENCY = 4;
/** Bump when the renderers change so old images are redrawn. */
const RENDER_VERSION = 2;

interface MetaEntry extends AudioFacts {
  readonly mtimeMs: number;
  readonly size: number;
}

/** What ImagePrimer drew for one WAV: the WAV's identity when drawn, as the cache records it. */
export type PrimedImages = MetaEntry;

interface Meta {
  readonly key: string;
  readonly files: Record<string, MetaEntry>;
}

const SPECTROGRAM_CATEGORIES = new Set(["pads", "clouds"]);

async function loadMeta(path: string, key: string): Promise<Meta> {
  // No cache yet, or an unreadable one (null): render everything.
  const m = (await readJsonIfExists(path)) as Meta | null;
  if (m && m.key === key && typeof m.files === "object" && m.files !== null) return m;
  return { key, files: {} };
}

/** Draw the waveform (and the spectrogram when `specRel` is set) of mono samples into `dir`. */
async function drawImages(
  dir: string,
  waveRel: string,
  specRel: string | null,
  mono: Float32Array,
  sampleRate: number,
  o: Pick<ImageOptions, "waveform" | "spectrogram">,
): Promise<void> {
  await ensureDir(dirname(join(dir, waveRel)));
  // Thumbnails are rebuilt when missing: no fsync for them.
  const thumb = { durable: false };
  await writeFileAtomic(join(dir, waveRel), waveformPng(mono, o.waveform), thumb);
  if (specRel !== null) {
    await writeFileAtomic(join(dir, specRel), spectrogramPng(mono, sampleRate, o.spectrogram), thumb);
  }
}

/** Mono mix of a texture for its images (stereo through the SIMD kernel: about 5x faster). */
function monoOf(audio: PlanarAudio): Float32Array {
  if (audio.channels.length !== 2) return toMono(audio);
  const mono = audio.channels[0].slice();
  mixHalfInPlace(mono, audio.channels[1]);
  return mono;
}

/**
 * Draws a texture's images while its samples are still in memory (`make` calls `add` right after
 * writing the WAV), so the buildReport that follows finds them fresh instead of decoding every WAV
 * again. Pass `primed` to buildReport with the same image sizes. Drawing problems are not errors
 * here: buildReport then draws that file from disk and reports what goes wrong.
 */
export class ImagePrimer {
  private readonly entries = new Map<string, PrimedImages>();
  private readonly dir: string;
  private readonly o: Pick<ImageOptions, "waveform" | "spectrogram">;

  constructor(exportDir: string, options: Partial<Pick<ImageOptions, "waveform" | "spectrogram">> = {}) {
    this.dir = resolve(exportDir);
    this.o = {
      waveform: options.waveform ?? IMAGE_DEFAULTS.waveform,
      spectrogram: options.spectrogram ?? IMAGE_DEFAULTS.spectrogram,
    };
  }

  /** `file`: the manifest's name for the WAV (relative to the export folder); `audio`: as written. */
  async add(file: string, category: string, audio: PlanarAudio): Promise<void> {
    try {
      const st = await statFile(join(this.dir, ...file.split("/")));
      if (st === null) return;
      const mono = monoOf(audio);
      const specRel = SPECTROGRAM_CATEGORIES.has(category) ? imagePath(file, "spec") : null;
      await drawImages(this.dir, imagePath(file, "wave"), specRel, mono, audio.sampleRate, this.o);
      this.entries.set(file, {
        mtimeMs: st.mtimeMs,
        size: st.size,
        sampleRate: audio.sampleRate,
        frames: mono.length,
      });
    } catch {
      this.entries.delete(file);
    }
  }

  get primed(): ReadonlyMap<string, PrimedImages> {
    return this.entries;
  }
}

/** Every PNG under `<dir>/<rel>` (relative to dir, forward slashes): one walk serves the freshness check and the pruning. */
async function listImages(dir: string, rel: string, out: Set<string>): Promise<Set<string>> {
  const entries = await listEntries(join(dir, rel));
  await Promise.all(
    entries.map(async (e) => {
      const childRel = `${rel}/${e.name}`;
      if (e.kind === "dir") await listImages(dir, childRel, out);
      else if (e.kind === "file" && e.name.endsWith(".png")) out.add(childRel);
    }),
  );
  return out;
}

/**
 * Delete the PNGs of `existing` that no texture uses any more (deleted or renamed textures), so
 * `.report/` does not grow forever. Only `.png` files inside the assets folder are touched.
 */
async function pruneImages(
  dir: string,
  existing: ReadonlySet<string>,
  keep: ReadonlySet<string>,
): Promise<number> {
  let removed = 0;
  for (const rel of existing) {
    if (keep.has(rel)) continue;
    await removeFile(join(dir, rel));
    removed++;
  }
  return removed;
}

/** Which images a texture has (false: its WAV is missing or could not be drawn). */
export interface TextureImages {
  readonly waveform: boolean;
  readonly spectrogram: boolean;
}

export interface ImagesResult {
  /** By manifest file name. */
  readonly images: ReadonlyMap<string, TextureImages>;
  /** Sample rate and length of each readable WAV, by manifest file name. */
  readonly facts: ReadonlyMap<string, AudioFacts>;
  readonly rendered: number;
  readonly reused: number;
  readonly pruned: number;
  readonly warnings: readonly string[];
}

/** Draw what is missing or stale for `rows` (saved rows) in `dir`, update the cache, prune the rest. */
export async function renderImages(
  dir: string,
  rows: readonly ManifestRow[],
  o: ImageOptions,
): Promise<ImagesResult> {
  const warnings: string[] = [];
  // One render per distinct WAV (several rows may name the same file).
  const needsSpec = new Map<string, boolean>();
  for (const r of rows)
    needsSpec.set(r.file, (needsSpec.get(r.file) ?? false) || SPECTROGRAM_CATEGORIES.has(r.category));
  const assets = join(dir, REPORT_ASSETS_DIR);
  const metaPath = join(assets, META_FILE);
  const key = `v${RENDER_VERSION} w${o.waveform.width}x${o.waveform.height} s${o.spectrogram.width}x${o.spectrogram.height}`;
  const oldMeta = await loadMeta(metaPath, key);
  const existing = await listImages(dir, REPORT_ASSETS_DIR, new Set());
  const files: Record<string, MetaEntry> = {};
  const images = new Map<string, TextureImages>();
  let rendered = 0;
  let reused = 0;
  let done = 0;
  type Images = { waveform: string | null; spectrogram: string | null };
  interface Outcome {
    images: Images;
    meta: MetaEntry | null;
    warning: string | null;
    rendered: boolean;
  }
  const none: Images = { waveform: null, spectrogram: null };
  const renderOne = async (file: string, spec: boolean): Promise<Outcome> => {
    const wav = join(dir, ...file.split("/"));
    const wave = imagePath(file, "wave");
    const specRel = spec ? imagePath(file, "spec") : null;
    const st = await statFile(wav);
    if (st === null) {
      const warning = `${file}: listed as saved in the manifest but the file is missing`;
      return { images: none, meta: null, warning, rendered: false };
    }
    const old = o.primed?.get(file) ?? oldMeta.files[file];
    const fresh =
      !o.force &&
      old !== undefined &&
      old.mtimeMs === st.mtimeMs &&
      old.size === st.size &&
      existing.has(wave) &&
      (specRel === null || existing.has(specRel));
    const images = { waveform: wave, spectrogram: specRel };
    if (fresh) return { images, meta: old, warning: null, rendered: false };
    try {
      const audio = await decodeFile(wav, { mono: true });
      const mono = toMono(audio);
      await drawImages(dir, wave, specRel, mono, audio.sampleRate, o);
      const meta = { mtimeMs: st.mtimeMs, size: st.size, sampleRate: audio.sampleRate, frames: mono.length };
      return { images, meta, warning: null, rendered: true };
    } catch (e) {
      return {
        images: none,
        meta: null,
        warning: `${file}: cannot draw (${(e as Error).message})`,
        rendered: false,
      };
    }
  };
  // A few files at a time: one file's reads and writes wait while another's images are drawn.
  const work = [...needsSpec];
  const outcomes: Outcome[] = new Array(work.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < work.length) {
      const i = next++;
      outcomes[i] = await renderOne(work[i][0], work[i][1]);
      o.onProgress?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, work.length) }, lane));
  // Applied in manifest order, so the cache file and the warnings do not depend on timing.
  work.forEach(([file], i) => {
    const r = outcomes[i];
    images.set(file, { waveform: r.images.waveform !== null, spectrogram: r.images.spectrogram !== null });
    if (r.meta) files[file] = r.meta;
    if (r.warning) warnings.push(r.warning);
    if (r.rendered) rendered++;
    else if (r.meta) reused++;
  });
  await ensureDir(assets);
  await writeFileAtomic(metaPath, JSON.stringify({ key, files } satisfies Meta));
  const keep = new Set<string>();
  for (const r of outcomes) {
    if (r.images.waveform) keep.add(r.images.waveform);
    if (r.images.spectrogram) keep.add(r.images.spectrogram);
  }
  const pruned = await pruneImages(dir, existing, keep);

  return { images, facts: new Map(Object.entries(files)), rendered, reused, pruned, warnings };
}
