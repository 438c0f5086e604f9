/**
 * The configuration schema, defined once: it gives the TypeScript type (`PatinaConfig`), the
 * validation (strict objects: unknown keys are errors), the defaults, the commented default
 * `config.yaml` (see `defaults-yaml.ts`) and the JSON Schema for editors (`z.toJSONSchema`).
 *
 * Every field carries a description; the commented YAML and the JSON Schema are built from them.
 * Sections use `.prefault({})` so a missing section (or key) is filled from the inner defaults.
 */
import { z } from "zod";

/** Longest sample the TR-8S (and many samplers) accept, in seconds. */
const MAX_SAMPLE_SEC = 180;

const hz = (description: string, value: number) => z.number().positive().default(value).describe(description);
const db = (description: string, value: number, min = -120, max = 0) =>
  z.number().min(min).max(max).default(value).describe(description);
const seconds = (description: string, value: number, max = MAX_SAMPLE_SEC) =>
  z.number().positive().max(max).default(value).describe(description);
const flag = (description: string, value: boolean) => z.boolean().default(value).describe(description);
const count = (description: string, value: number, min: number, max: number) =>
  z.int().min(min).max(max).default(value).describe(description);

const globalSchema = z
  .strictObject({
    sample_rate: z
      .int()
      .min(8000)
      .max(384000)
      .default(44100)
      .describe("Sample rate (Hz) of the analysis and of every output file."),
    output_bit_depth: z
      .literal([16, 24, 32])
      .default(24)
      .describe("Bit depth of output WAVs: 16 (TPDF-dithered PCM), 24 (PCM) or 32 (float)."),
    target_peak_dbfs: db("Peak level (dBFS) pads, drone loops and swells are normalised to.", -1.0, -60, 0),
  })
  .describe("Output format shared by every texture.");

const pathsSchema = z
  .strictObject({
    source_audio_dir: z
      .string()
      .min(1)
      .default("source_audio")
      .describe("Tracks to mine pads from (relative to --root)."),
    pad_sources_dir: z
      .string()
      .min(1)
      .default("pad_sources")
      .describe("Tonal material for drones and clouds (relative to --root)."),
    drums_dir: z
      .string()
      .min(1)
      .default("drums")
      .describe("Percussive material for hiss (relative to --root)."),
    export_dir: z
      .string()
      .min(1)
      .default("export/tr8s")
      .describe("Where textures, manifest.csv and index.html are written (relative to --root)."),
  })
  .describe("Working folders, relative to --root.");

const padMinerSchema = z
  .strictObject({
    target_durations_sec: z
      .array(z.number().positive().max(MAX_SAMPLE_SEC))
      .min(1)
      .default([2.0, 3.5])
      .describe("Pad lengths (s) to mine; each is searched separately."),
    min_rms_db: db("Quietest window RMS (dB) a pad may have.", -40),
    max_rms_db: db("Loudest window RMS (dB) a pad may have.", -10),
    max_onset_rate_per_second: z
      .number()
      .min(0)
      .default(3.0)
      .describe("Most onsets per second a pad window may hold (steady material has few)."),
    spectral_flatness_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("Highest mean spectral flatness (0 = tonal, 1 = white noise) of a pad window."),
    max_candidates_per_file: count("Most pads kept per file and target duration.", 3, 1, 100),
    loop_crossfade_ms: z
      .number()
      .min(0)
      .default(100)
      .describe("Crossfade (ms) that makes each pad a seamless loop."),
    window_hop_sec: z.number().positive().default(0.5).describe("Hop (s) of the sliding search window."),
  })
  .describe("Pad mining (--mine-pads) from source_audio_dir.");

const dronesSchema = z
  .strictObject({
    pad_loop_duration_sec: seconds("Length (s) of each drone pad loop.", 2.0),
    pad_variants: z
      .array(z.enum(["warm", "airy", "dark"]))
      .default(["warm", "airy", "dark"])
      .describe("Tonal variants of each loop: warm (low-pass), airy (high-pass), dark (low-pass)."),
    warm_lowpass_hz: hz("Low-pass cutoff (Hz) of the warm variant.", 3000),
    airy_highpass_hz: hz("High-pass cutoff (Hz) of the airy variant.", 6000),
    dark_high_cut_hz: hz("Low-pass cutoff (Hz) of the dark variant.", 1500),
    swell_duration_sec: seconds("Length (s) of each swell one-shot.", 6.0),
    fade_in_sec: z.number().min(0).default(0.5).describe("Fade-in (s) of a swell."),
    fade_out_sec: z.number().min(0).default(1.5).describe("Fade-out (s) of a swell."),
    pitch_shift_semitones: z
      .array(z.number().min(-24).max(24))
      .min(1)
      .default([0, 7, 12])
      .describe("Pitch shifts (semitones) of the drone variants."),
    time_stretch_factors: z
      .array(z.number().min(0.25).max(8))
      .min(1)
      .default([1.0, 1.5, 2.0])
      .describe("Time-stretch factors of the drone variants (2.0 = twice as long)."),
    enable_reversal: flag("Also write a reversed copy of each loop.", true),
  })
  .describe("Drones (--make-drones): loops, swells and reversed loops from pad_sources_dir.");

const cloudsSchema = z
  .strictObject({
    grain_length_min_ms: z.number().positive().default(50).describe("Shortest grain (ms)."),
    grain_length_max_ms: z.number().positive().default(150).describe("Longest grain (ms)."),
    grains_per_cloud: count("Grains in each cloud.", 200, 1, 100000),
    cloud_duration_sec: seconds("Length (s) of each cloud.", 6.0),
    pitch_shift_range: z
      .strictObject({
        min: z.number().min(-24).max(24).default(-8).describe("Lowest grain pitch shift (semitones)."),
        max: z.number().min(-24).max(24).default(8).describe("Highest grain pitch shift (semitones)."),
      })
      .prefault({})
      .describe("Random pitch shift of each grain (semitones, tape-speed style)."),
    overlap_ratio: z
      .number()
      .min(0)
      .lt(1)
      .default(0.65)
      .describe("How much neighbouring grains overlap (0 = none, below 1)."),
    lowpass_hz: z.number().min(0).default(8000).describe("Low-pass cutoff (Hz) of the cloud; 0 = off."),
    clouds_per_source: count("Clouds made from each source.", 2, 0, 1000),
    target_peak_dbfs: db(
      "Peak level (dBFS) of clouds: a little lower than pads, dense grains sum to a busy texture.",
      -3.0,
      -60,
      0,
    ),
  })
  .describe("Clouds (--make-clouds): granular textures from pad_sources_dir.");

const hissSchema = z
  .strictObject({
    loop_duration_sec: seconds("Length (s) of each hiss loop.", 1.5),
    highpass_hz: hz("High-pass cutoff (Hz) used when use_bandpass is false.", 6000),
    bandpass_low_hz: hz("Lower edge (Hz) of the band-pass.", 5000),
    bandpass_high_hz: hz("Upper edge (Hz) of the band-pass; below sample_rate/2.", 14000),
    use_bandpass: flag(
      "Band-pass [bandpass_low_hz, bandpass_high_hz]; false = high-pass at highpass_hz.",
      true,
    ),
    tremolo_rate_hz: z
      .number()
      .min(0)
      .default(3.0)
      .describe("Tremolo rate (Hz), snapped to a whole number of cycles per loop."),
    tremolo_depth: z.number().min(0).max(1).default(0.6).describe("Tremolo depth, 0 (none) to 1 (full)."),
    hiss_loops_per_source: count("Hiss loops made from each source.", 2, 0, 1000),
    flicker_min_ms: z.number().positive().default(50).describe("Shortest flicker one-shot (ms)."),
    flicker_max_ms: z.number().positive().default(300).describe("Longest flicker one-shot (ms)."),
    flicker_count: count("Flicker one-shots made from each source.", 4, 0, 1000),
    use_synthetic_noise: flag("Use synthetic noise when no usable noisy material exists.", true),
    synthetic_noise_level_db: db("Level (dB) of the synthetic noise.", -10),
    target_peak_dbfs: db(
      "Peak level (dBFS) of hiss loops and flickers: hiss sits under a mix, so it is kept lower.",
      -6.0,
      -60,
      0,
    ),
  })
  .describe("Hiss (--make-hiss): noise loops and flickers from drums_dir.");

const exportSchema = z
  .strictObject({
    pads_stereo: flag("Write pads in stereo (else mono).", false),
    swells_stereo: flag("Write drone loops, swells and reversed loops in stereo.", false),
    clouds_stereo: flag("Write clouds in stereo, every grain panned on its own.", false),
    hiss_stereo: flag("Write hiss loops and flickers in stereo.", false),
  })
  .describe("Channel layout per category (mono unless set).");

const brightnessSchema = z
  .strictObject({
    enabled: flag("Tag textures dark/mid/bright by spectral centroid (in names and the manifest).", true),
    centroid_low_hz: hz("Centroid (Hz) below which a texture is dark.", 1500),
    centroid_high_hz: hz("Centroid (Hz) above which a texture is bright.", 3500),
  })
  .describe("Brightness tags.");

const patterns = (description: string, value: string[]) =>
  z.array(z.string().min(1)).default(value).describe(description);

const selectionSchema = z
  .strictObject({
    min_duration_sec: z.number().min(0).default(30).describe("Shortest track (s) selected."),
    max_duration_sec: z.number().positive().default(3600).describe("Longest track (s) selected."),
    preferred_path_patterns: patterns(
      "Whole words of the relative path (case-insensitive) that add preferred_path_score each.",
      ["bounces", "masters", "tracks", "songs", "finished", "complete"],
    ),
    skip_path_patterns: patterns("Whole words of the relative path (case-insensitive) that reject a file.", [
      "scratch",
      "test",
      "demo",
      "draft",
      "_old",
      "rejected",
      "unused",
    ]),
    preferred_channels: z
      .enum(["mono", "stereo"])
      .nullable()
      .default(null)
      .describe("mono or stereo: files with this layout get preferred_channels_score; null = no preference."),
    preferred_sample_rate: z
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe("Files at this rate (Hz) get preferred_sample_rate_score; null = no preference."),
    preferred_path_score: z.number().default(10).describe("Score per preferred path pattern matched."),
    preferred_channels_score: z.number().default(5).describe("Score for the preferred channel layout."),
    preferred_sample_rate_score: z.number().default(5).describe("Score for the preferred sample rate."),
  })
  .describe("Track selection rules (patina select).");

const thresholdsSchema = z
  .strictObject({
    silence_rms_db: db("RMS (dB) below which a texture is silent: grade F.", -60),
    clip_peak_dbfs: db(
      "Sample peak (dBFS) at or above which a texture counts as clipped: grade F.",
      -0.1,
      -60,
      6,
    ),
    max_crest_factor: z
      .number()
      .positive()
      .default(30)
      .describe("Crest factor (dB, peak over RMS) above which a texture is a lone spike: grade F."),
    min_crest_factor: z
      .number()
      .min(0)
      .default(1.5)
      .describe("Crest factor (dB) below which a texture is squashed (square-like): grade F."),
    quiet_rms_db: db("RMS (dB) below which a texture that is not silent loses 20 points.", -40),
    max_loop_seam_db: z
      .number()
      .default(6)
      .describe("Loop seam click score (dB) above which a loop loses 20 points and more."),
    min_loop_dip_db: z
      .number()
      .max(0)
      .default(-3)
      .describe("Loop seam dip score (dB) below which a loop loses 20 points and more."),
    min_score_a: z
      .number()
      .min(0)
      .max(100)
      .default(95)
      .describe("Quality score (0-100) from which a texture is grade A: nothing heard to object to."),
    min_score_b: z
      .number()
      .min(0)
      .max(100)
      .default(70)
      .describe("Quality score from which a texture is grade B (a flaw you may hear); below it, grade C."),
    duplicate_correlation: z
      .number()
      .min(0)
      .max(1)
      .default(0.98)
      .describe(
        "Correlation (best lag within 2.9 ms, round the loop) above which a variant of one stretch of a source is a duplicate of one kept (not written).",
      ),
    duplicate_spectral_db: z
      .number()
      .min(0)
      .default(0.1)
      .describe(
        "Spectral distance (energy-weighted mean dB over 24 bands) at or below which a texture of the same kind and length is a duplicate.",
      ),
  })
  .describe(
    "Grades: F = silent, clipped or extreme crest factor; otherwise the quality score (100 less the points each measured flaw costs) decides: A from min_score_a, B from min_score_b, C below.",
  );

const curationSchema = z
  .strictObject({
    auto_delete_grade_f: flag(
      "Do not write grade F files (they stay in the manifest with saved=false).",
      false,
    ),
    thresholds: thresholdsSchema.prefault({}),
  })
  .describe("Quality scores and grades (A/B/C/F) recorded in manifest.csv.");

const reproducibilitySchema = z
  .strictObject({
    random_seed: z
      .int()
      .min(0)
      .max(4294967295)
      .nullable()
      .default(null)
      .describe("Seed (0..4294967295) for bit-identical runs; null = a fresh seed, printed and recorded."),
  })
  .describe("Randomness.");

const batchSchema = z
  .strictObject({
    jobs: z
      .int()
      .min(1)
      .max(256)
      .nullable()
      .default(null)
      .describe("Tracks processed at once; null = number of CPU cores."),
    timeout_sec: z.number().positive().default(300).describe("Time limit (s) per track; it fails alone."),
  })
  .describe("patina batch.");

const reportSchema = z
  .strictObject({
    enabled: flag("Write <export_dir>/index.html after make, batch and run.", true),
  })
  .describe("HTML report.");

/** Top-level sections in file order (the order of the commented default config). */
const sections = {
  global: globalSchema.prefault({}),
  paths: pathsSchema.prefault({}),
  pad_miner: padMinerSchema.prefault({}),
  drones: dronesSchema.prefault({}),
  clouds: cloudsSchema.prefault({}),
  hiss: hissSchema.prefault({}),
  export: exportSchema.prefault({}),
  brightness_tags: brightnessSchema.prefault({}),
  selection: selectionSchema.prefault({}),
  curation: curationSchema.prefault({}),
  reproducibility: reproducibilitySchema.prefault({}),
  batch: batchSchema.prefault({}),
  report: reportSchema.prefault({}),
};

/** The shape without cross-field checks (walked by the YAML generator and the key suggester). */
export const ConfigShape = z.strictObject(sections);

type Shape = z.infer<typeof ConfigShape>;

/** A cross-field rule: `check` returns a message when broken; `paths` are the keys involved. */
interface CrossRule {
  readonly paths: readonly string[];
  readonly check: (c: Shape) => string | undefined;
}

const lessThan = (a: string, av: number, b: string, bv: number, orEqual = false): string | undefined =>
  (orEqual ? av <= bv : av < bv) ? undefined : `${a} (${av}) must be ${orEqual ? "<=" : "<"} ${b} (${bv})`;

const belowNyquist = (key: string, v: number, sampleRate: number): string | undefined =>
  v < sampleRate / 2 ? undefined : `${key} (${v}) must be < global.sample_rate/2 (${sampleRate / 2})`;

const CROSS_RULES: readonly CrossRule[] = [
  {
    paths: ["hiss.bandpass_low_hz", "hiss.bandpass_high_hz"],
    check: (c) =>
      lessThan(
        "hiss.bandpass_low_hz",
        c.hiss.bandpass_low_hz,
        "hiss.bandpass_high_hz",
        c.hiss.bandpass_high_hz,
      ),
  },
  ...(
    [
      ["hiss", "bandpass_high_hz"],
      ["hiss", "highpass_hz"],
      ["drones", "warm_lowpass_hz"],
      ["drones", "airy_highpass_hz"],
      ["drones", "dark_high_cut_hz"],
      ["clouds", "lowpass_hz"],
    ] as const
  ).map(
    ([section, key]): CrossRule => ({
      paths: [`${section}.${key}`, "global.sample_rate"],
      check: (c) => {
        const v = (c[section] as unknown as Record<string, number>)[key];
        return section === "clouds" && v === 0
          ? undefined
          : belowNyquist(`${section}.${key}`, v, c.global.sample_rate);
      },
    }),
  ),
  {
    paths: ["clouds.grain_length_min_ms", "clouds.grain_length_max_ms"],
    check: (c) =>
      lessThan(
        "clouds.grain_length_min_ms",
        c.clouds.grain_length_min_ms,
        "clouds.grain_length_max_ms",
        c.clouds.grain_length_max_ms,
        true,
      ),
  },
  {
    paths: ["clouds.grain_length_max_ms", "clouds.cloud_duration_sec"],
    check: (c) =>
      c.clouds.grain_length_max_ms <= c.clouds.cloud_duration_sec * 1000
        ? undefined
        : `clouds.grain_length_max_ms (${c.clouds.grain_length_max_ms}) must fit in clouds.cloud_duration_sec (${c.clouds.cloud_duration_sec} s)`,
  },
  {
    paths: ["clouds.pitch_shift_range.min", "clouds.pitch_shift_range.max"],
    check: (c) =>
      lessThan(
        "clouds.pitch_shift_range.min",
        c.clouds.pitch_shift_range.min,
        "clouds.pitch_shift_range.max",
        c.clouds.pitch_shift_range.max,
        true,
      ),
  },
  {
    paths: ["hiss.flicker_min_ms", "hiss.flicker_max_ms"],
    check: (c) =>
      lessThan(
        "hiss.flicker_min_ms",
        c.hiss.flicker_min_ms,
        "hiss.flicker_max_ms",
        c.hiss.flicker_max_ms,
        true,
      ),
  },
  {
    paths: ["pad_miner.min_rms_db", "pad_miner.max_rms_db"],
    check: (c) =>
      lessThan(
        "pad_miner.min_rms_db",
        c.pad_miner.min_rms_db,
        "pad_miner.max_rms_db",
        c.pad_miner.max_rms_db,
      ),
  },
  {
    paths: ["pad_miner.loop_crossfade_ms", "pad_miner.target_durations_sec"],
    check: (c) => {
      const shortest = Math.min(...c.pad_miner.target_durations_sec);
      return c.pad_miner.loop_crossfade_ms <= (shortest * 1000) / 2
        ? undefined
        : `pad_miner.loop_crossfade_ms (${c.pad_miner.loop_crossfade_ms}) must be at most half the shortest pad_miner.target_durations_sec (${shortest} s)`;
    },
  },
  {
    paths: ["drones.fade_in_sec", "drones.fade_out_sec", "drones.swell_duration_sec"],
    check: (c) =>
      c.drones.fade_in_sec + c.drones.fade_out_sec <= c.drones.swell_duration_sec
        ? undefined
        : `drones.fade_in_sec + drones.fade_out_sec (${c.drones.fade_in_sec} + ${c.drones.fade_out_sec}) must be <= drones.swell_duration_sec (${c.drones.swell_duration_sec})`,
  },
  {
    paths: ["brightness_tags.centroid_low_hz", "brightness_tags.centroid_high_hz"],
    check: (c) =>
      lessThan(
        "brightness_tags.centroid_low_hz",
        c.brightness_tags.centroid_low_hz,
        "brightness_tags.centroid_high_hz",
        c.brightness_tags.centroid_high_hz,
      ),
  },
  {
    paths: ["selection.min_duration_sec", "selection.max_duration_sec"],
    check: (c) =>
      lessThan(
        "selection.min_duration_sec",
        c.selection.min_duration_sec,
        "selection.max_duration_sec",
        c.selection.max_duration_sec,
        true,
      ),
  },
  {
    paths: ["curation.thresholds.min_crest_factor", "curation.thresholds.max_crest_factor"],
    check: (c) =>
      lessThan(
        "curation.thresholds.min_crest_factor",
        c.curation.thresholds.min_crest_factor,
        "curation.thresholds.max_crest_factor",
        c.curation.thresholds.max_crest_factor,
      ),
  },
  {
    paths: ["curation.thresholds.min_score_b", "curation.thresholds.min_score_a"],
    check: (c) =>
      lessThan(
        "curation.thresholds.min_score_b",
        c.curation.thresholds.min_score_b,
        "curation.thresholds.min_score_a",
        c.curation.thresholds.min_score_a,
        true,
      ),
  },
  {
    paths: ["curation.thresholds.silence_rms_db", "curation.thresholds.quiet_rms_db"],
    check: (c) =>
      lessThan(
        "curation.thresholds.silence_rms_db",
        c.curation.thresholds.silence_rms_db,
        "curation.thresholds.quiet_rms_db",
        c.curation.thresholds.quiet_rms_db,
        true,
      ),
  },
];

/**
 * The full schema: shape plus cross-field rules. A broken rule is reported on its first key, with
 * every involved key in `params.related` so the loader can point at the line the user wrote.
 */
export const ConfigSchema = ConfigShape.superRefine((c, ctx) => {
  for (const rule of CROSS_RULES) {
    const message = rule.check(c);
    if (message !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: rule.paths[0].split("."),
        message,
        params: { related: rule.paths },
      });
    }
  }
});

/** The effective configuration every part of patina reads. */
export type PatinaConfig = z.infer<typeof ConfigSchema>;

/** What a config file may hold (every key optional). */
export type PatinaConfigInput = z.input<typeof ConfigSchema>;

/** The seed defaults (deeply frozen: copy before changing). */
export const DEFAULT_CONFIG: PatinaConfig = deepFreeze(ConfigSchema.parse({}));

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
