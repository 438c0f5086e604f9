/**
 * Device profiles: what a sampler accepts and how a kit for it is laid out, as data
 * (`config/devices/<name>.yaml`, one file per device). A new device is a new profile: the writers
 * (`folder`, `sfz`, `decentsampler`) are code, everything a device differs in (rates, names, folder
 * layout, limits, whether it honours loop points) is here. One schema gives the type and the check.
 */
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";

/** Folder of the profiles shipped with patina. */
export const DEVICES_DIR: string = fileURLToPath(new URL("../../config/devices/", import.meta.url));

const positive = z.number().positive();
const count = z.number().int().positive();

export const DeviceProfileSchema = z
  .object({
    /** What `--device` calls it. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, _ and - only"),
    /** Shown in messages, e.g. "Roland TR-8S". */
    title: z.string().min(1),
    /** The code that writes the kit. */
    writer: z.enum(["folder", "sfz", "decentsampler"]),
    /** Where the facts come from (manuals, format specs). */
    sources: z.array(z.string()).default([]),
    /** Sounds picked when `--count` is not given and nothing was chosen in the report. */
    count: count.default(16),
    audio: z
      .object({
        /** Rate of the written files (Hz); null keeps the export's files as they are. */
        sample_rate: z.number().int().min(8000).max(192000).nullable().default(null),
        /** 16 (TPDF-dithered) or 24-bit PCM; null keeps the export's files as they are. */
        bit_depth: z
          .union([z.literal(16), z.literal(24)])
          .nullable()
          .default(null),
        /** Layout of one-shots (and of loops when the device loops them itself). */
        channels: z.enum(["keep", "mono"]).default("keep"),
      })
      .strict()
      .default({ sample_rate: null, bit_depth: null, channels: "keep" }),
    layout: z
      .object({
        /** Folder (forward slashes) the device reads, relative to the kit folder ("" = its top). */
        root: z.string().default(""),
        /** Put the samples in a folder named after the kit (`--name`) under `root`. */
        kit_folder: z.boolean().default(false),
        /** One folder per category (pads, swells, clouds, hiss) for the samples. */
        category_folders: z.boolean().default(true),
        /** Folder the instrument files keep their samples in (sfz, decentsampler). */
        samples_folder: z.string().default("samples"),
        /** Deepest folder level below `root` the device reads (null = any). */
        max_folder_depth: z.number().int().nonnegative().nullable().default(null),
        /** Files per folder the device reads; a bigger kit is split over numbered folders. */
        max_files_per_folder: count.nullable().default(null),
      })
      .strict()
      .default({
        root: "",
        kit_folder: false,
        category_folders: true,
        samples_folder: "samples",
        max_folder_depth: null,
        max_files_per_folder: null,
      }),
    names: z
      .object({
        /** keep: the export's file names; short: kind + source word + root note, e.g. PdGlassC3. */
        style: z.enum(["keep", "short"]).default("keep"),
        /** Characters the device shows (without ".wav"); null = no limit. */
        max_length: count.nullable().default(null),
        /**
         * How a sharp is written in short names ("PdGlassCs3" for C#3): one ASCII letter, digit, `#`,
         * `_` or `-`. "s" by default: letters and digits only read on any screen and copy anywhere.
         */
        sharp: z
          .string()
          .regex(/^[A-Za-z0-9#_-]$/, "one ASCII letter, digit, #, _ or -")
          .default("s"),
      })
      .strict()
      .default({ style: "keep", max_length: null, sharp: "s" }),
    limits: z
      .object({
        max_samples: count.nullable().default(null),
        max_sample_sec: positive.nullable().default(null),
        /** Sample memory in seconds, counted in mono. */
        total_sec: positive.nullable().default(null),
        /** A stereo file uses twice its length of `total_sec`. */
        stereo_counts_twice: z.boolean().default(true),
      })
      .strict()
      .default({ max_samples: null, max_sample_sec: null, total_sec: null, stereo_counts_twice: true }),
    /**
     * For devices without loop points: loops are rendered long enough to hold (the loop repeated
     * seamlessly, a short fade in and a release fade out). The length is planned within
     * [min_seconds, max_seconds] to fit `limits.total_sec`, starting from `seconds`.
     */
    sustain: z
      .object({
        enabled: z.boolean().default(false),
        seconds: positive.default(12),
        min_seconds: positive.default(8),
        max_seconds: positive.default(16),
        release_sec: z.number().nonnegative().default(1.5),
        attack_ms: z.number().nonnegative().default(5),
        channels: z.enum(["mono", "keep"]).default("mono"),
      })
      .strict()
      .refine((s) => s.min_seconds <= s.seconds && s.seconds <= s.max_seconds, {
        message: "needs min_seconds <= seconds <= max_seconds",
      })
      .refine((s) => s.release_sec < s.min_seconds, {
        message: "release_sec must be shorter than min_seconds",
      })
      .default({
        enabled: false,
        seconds: 12,
        min_seconds: 8,
        max_seconds: 16,
        release_sec: 1.5,
        attack_ms: 5,
        channels: "mono",
      }),
    /** Keyboard mapping of the instrument writers (sfz, decentsampler). */
    mapping: z
      .object({
        /** How far the lowest and highest zone of a pitched instrument reach past their root. */
        spread_semitones: z.number().int().min(0).max(48).default(12),
        /** First key of the one-key-per-sound instrument (36 = C2). */
        unpitched_first_key: z.number().int().min(0).max(127).default(36),
        /** Release of looped sounds after the key is let go (s). */
        release_sec: z.number().nonnegative().default(0.5),
      })
      .strict()
      .default({ spread_semitones: 12, unpitched_first_key: 36, release_sec: 0.5 }),
    /** A text file listing what each sample is; `{name}` is the kit's name. */
    index: z
      .object({ file: z.string().min(1), intro: z.string().default("") })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

export type DeviceProfile = z.infer<typeof DeviceProfileSchema>;

/** Parse and check a profile's YAML text; `path` labels the messages (file and line). */
export function parseDeviceProfile(text: string, path: string): DeviceProfile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(`not valid YAML: ${doc.errors[0].message}`, { path });
  }
  const parsed = DeviceProfileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join(".");
    throw new ConfigError(`device profile ${key === "" ? "" : `key "${key}": `}${issue.message}`, {
      path,
      keyPath: key,
    });
  }
  return parsed.data;
}
