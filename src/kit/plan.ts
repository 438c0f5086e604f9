/**
 * The kit before anything is written: every sample's name, place in the kit, and how it is made
 * (copied as exported, or encoded: resampled, mixed to mono, rendered as a sustain), checked
 * against the device profile's limits. When the device counts sample memory, the sustain length
 * and the mono/stereo choice are planned to fit it; when the chosen sounds cannot fit, the plan
 * refuses with the numbers (KitLimitError) and nothing is written.
 */
import { ConfigError, UsageError } from "../core/errors.js";
import { KitLimitError } from "./errors.js";
import { sampleNames } from "./names.js";
import type { DeviceProfile } from "./profile.js";
import { hasConfidentRoot } from "./score.js";
import type { KitPick } from "./select.js";

/** What the kit needs to know of a picked file (from its header). */
export interface SampleInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly bitDepth: number | null;
}

export type SampleMaking =
  | { readonly kind: "copy" }
  | {
      readonly kind: "encode";
      readonly sampleRate: number;
      readonly bitDepth: 16 | 24;
      readonly channels: 1 | 2;
      /** Rendered as a sustain of this many seconds (loops on devices without loop points). */
      readonly sustainSec: number | null;
    };

export interface PlannedSample {
  readonly pick: KitPick;
  readonly info: SampleInfo;
  /** Name without ".wav", unique in the kit. */
  readonly name: string;
  /** Path in the kit folder (forward slashes). */
  readonly path: string;
  readonly making: SampleMaking;
  /** As written. */
  readonly seconds: number;
  readonly channels: number;
  readonly sampleRate: number;
  /** Seconds of device memory it uses (stereo twice where the device counts so). */
  readonly memorySec: number;
  /** Loop in written frames (end exclusive), when the written file loops; null for one-shots and sustains. */
  readonly loop: { readonly start: number; readonly end: number } | null;
  /** Root note the instrument writers map it by, when confident. */
  readonly rootMidi: number | null;
}

export interface KitPlan {
  readonly profile: DeviceProfile;
  readonly name: string;
  readonly samples: readonly PlannedSample[];
  /** Sustain length used for loops (null when the device loops them itself). */
  readonly sustainSec: number | null;
  readonly totalSec: number;
  readonly memorySec: number;
  /** How the plan was fitted to the device, for the printout. */
  readonly notes: string[];
}

export interface PlanOptions {
  /** The kit's name (`--name`): its folder on devices with a kit folder, its instruments' names. */
  readonly name: string;
  /** Sustain length asked for on the command line (fixed: refused rather than shortened). */
  readonly sustainSec: number | null;
}

const round1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** Folder-safe kit name: ASCII letters, digits, `-` and `_`, within the device's name length. */
export function kitFolderName(name: string, maxLength: number | null): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (s === "" ? "kit" : s).slice(0, maxLength ?? 64);
}

interface Costed {
  pick: KitPick;
  info: SampleInfo;
  /** Rendered as a sustain on this device. */
  sustain: boolean;
  /** Seconds when not a sustain. */
  seconds: number;
  /** Channels as written, before any mono fallback for one-shots. */
  channels: 1 | 2;
}

/** Plan the kit (see the module comment). `infos[i]` is the header of `picks[i]`'s file. */
export function planKit(
  picks: readonly KitPick[],
  infos: readonly SampleInfo[],
  profile: DeviceProfile,
  o: PlanOptions,
): KitPlan {
  const notes: string[] = [];
  const lim = profile.limits;
  const su = profile.sustain;
  const title = profile.title;
  if (lim.max_samples !== null && picks.length > lim.max_samples) {
    throw new KitLimitError(
      `the ${title} holds at most ${lim.max_samples} samples; ${picks.length} were chosen, ` +
        `${picks.length - lim.max_samples} too many (use --count ${lim.max_samples} or keep fewer in the report)`,
    );
  }
  const costed: Costed[] = picks.map((pick, i) => {
    const info = infos[i];
    const row = pick.candidate.row;
    const sustain = su.enabled && row.loop;
    const keep = (sustain ? su.channels : profile.audio.channels) === "keep";
    return {
      pick,
      info,
      sustain,
      seconds: info.frames / info.sampleRate,
      channels: keep && info.channels >= 2 ? 2 : 1,
    };
  });

  // Sustain length and channels: from the asked or default length down to the shortest allowed,
  // then one-shots in mono, until the device memory holds everything.
  const weigh = (ch: number): number => (lim.stereo_counts_twice ? ch : 1);
  const loops = costed.filter((c) => c.sustain);
  const loopWeight = loops.reduce((a, c) => a + weigh(c.channels), 0);
  const oneShotSec = (mono: boolean): number =>
    costed.filter((c) => !c.sustain).reduce((a, c) => a + c.seconds * weigh(mono ? 1 : c.channels), 0);
  checkLengths(costed, profile, o.sustainSec);
  // The profile's length never goes past the device's longest sample (an asked one was checked).
  const defaultSustain = Math.min(su.seconds, lim.max_sample_sec ?? Number.POSITIVE_INFINITY);
  let sustainSec: number | null = loops.length > 0 ? (o.sustainSec ?? defaultSustain) : null;
  let monoOneShots = profile.audio.channels === "mono";
  if (lim.total_sec !== null) {
    const budget = lim.total_sec;
    const fitting = (mono: boolean): number | null => {
      if (loopWeight === 0) return oneShotSec(mono) <= budget ? 0 : null;
      // Longest sustain in half seconds that fits, at most the asked length.
      const s = Math.min(sustainSec ?? 0, Math.floor((2 * (budget - oneShotSec(mono))) / loopWeight) / 2);
      const floor = o.sustainSec ?? su.min_seconds;
      return s >= floor - 1e-9 ? s : null;
    };
    let s = fitting(monoOneShots);
    if (s === null && !monoOneShots && costed.some((c) => !c.sustain && c.channels === 2)) {
      s = fitting(true);
      if (s !== null) {
        monoOneShots = true;
        notes.push(`one-shots mixed to mono to fit the ${title}'s ${budget} s of sample memory`);
      }
    }
    if (s === null) throw overBudget(costed, title, budget, o.sustainSec ?? su.min_seconds, weigh);
    if (sustainSec !== null && s < sustainSec) {
      notes.push(
        `sustains shortened from ${round1(sustainSec)} s to ${round1(s)} s to fit the ${title}'s ${budget} s of sample memory`,
      );
    }
    if (loopWeight > 0) sustainSec = s;
  }
  if (sustainSec !== null) {
    const layout = su.channels === "mono" ? "mono" : "as exported";
    notes.push(
      `loops rendered as ${round1(sustainSec)} s sustains (${layout}, ${su.release_sec} s release): ` +
        `the ${title} has no loop points`,
    );
    const mixed = loops.filter((c) => c.channels === 1 && c.info.channels >= 2).length;
    if (mixed > 0 && lim.total_sec !== null && lim.stereo_counts_twice) {
      // Why mono: a long sustain in stereo costs twice its length of the device's memory.
      const mono = mixed * sustainSec;
      notes.push(
        `${mixed} stereo loop(s) mixed to mono for their sustains: in stereo they would use ` +
          `${round1(2 * mono)} s instead of ${round1(mono)} s of the ${title}'s ${lim.total_sec} s ` +
          `(stereo counts twice; the profile's sustain.channels: mono)`,
      );
    }
  }

  const names = sampleNames(
    picks.map((p) => p.candidate.row),
    { style: profile.names.style, maxLength: profile.names.max_length, sharp: profile.names.sharp },
  );
  const folders = layoutFolders(costed, profile, o.name);
  const samples: PlannedSample[] = costed.map((c, i) => {
    const rate = profile.audio.sample_rate ?? c.info.sampleRate;
    const channels: 1 | 2 = c.sustain ? c.channels : monoOneShots ? 1 : c.channels;
    const seconds = c.sustain && sustainSec !== null ? sustainSec : c.seconds;
    const depth = profile.audio.bit_depth;
    const sameDepth = depth === null || depth === c.info.bitDepth;
    // A device without loop points gets plain WAVs: one-shots too are written again, without the
    // export's smpl chunk (its unity note and loops mean nothing there); the samples stay the same.
    const encode =
      c.sustain ||
      su.enabled ||
      rate !== c.info.sampleRate ||
      !sameDepth ||
      channels !== Math.min(2, c.info.channels);
    const making: SampleMaking = encode
      ? {
          kind: "encode",
          sampleRate: rate,
          bitDepth: depth ?? (c.info.bitDepth === 16 ? 16 : 24),
          channels,
          sustainSec: c.sustain ? seconds : null,
        }
      : { kind: "copy" };
    const row = c.pick.candidate.row;
    const ratio = rate / c.info.sampleRate;
    const loop =
      !c.sustain && row.loop && row.loop_start !== null && row.loop_end !== null
        ? {
            start: Math.round(row.loop_start * ratio),
            end: Math.min(Math.round(c.info.frames * ratio), Math.round(row.loop_end * ratio)),
          }
        : null;
    return {
      pick: c.pick,
      info: c.info,
      name: names[i],
      path: `${folders[i]}${names[i]}.wav`,
      making,
      seconds,
      channels,
      sampleRate: rate,
      memorySec: seconds * weigh(channels),
      loop,
      rootMidi: hasConfidentRoot(row) ? row.root_midi : null,
    };
  });
  const totalSec = samples.reduce((a, s) => a + s.seconds, 0);
  const memorySec = samples.reduce((a, s) => a + s.memorySec, 0);
  return { profile, name: o.name, samples, sustainSec, totalSec, memorySec, notes };
}

/**
 * Lengths the device cannot take, before any budgeting: a one-shot over the longest sample, an
 * asked `--sustain` over it, or one too short to hold the sustain's fade in and release.
 */
function checkLengths(costed: readonly Costed[], profile: DeviceProfile, asked: number | null): void {
  const max = profile.limits.max_sample_sec;
  const title = profile.title;
  const su = profile.sustain;
  const hasLoops = costed.some((c) => c.sustain);
  if (max !== null) {
    const long = costed.filter((c) => !c.sustain && c.seconds > max);
    if (long.length > 0) {
      const c = long[0];
      throw new KitLimitError(
        `the ${title} takes samples of at most ${max} s; ${c.pick.candidate.id} is ${round1(c.seconds)} s, ` +
          `${round1(c.seconds - max)} s over${long.length > 1 ? ` (and ${long.length - 1} more)` : ""}: leave it out of the kit`,
      );
    }
    if (hasLoops && asked !== null && asked > max) {
      throw new KitLimitError(
        `the ${title} takes samples of at most ${max} s; --sustain ${asked} is ${round1(asked - max)} s over: ` +
          `use --sustain ${max} or less`,
      );
    }
  }
  const shortest = su.release_sec + su.attack_ms / 1000;
  if (hasLoops && asked !== null && asked <= shortest) {
    throw new UsageError(
      `--sustain ${asked} cannot hold the sustain's ${su.attack_ms} ms fade in and ${su.release_sec} s release: ` +
        `use at least ${Math.floor(shortest * 10 + 1) / 10} s (the profile suggests ${su.min_seconds}-${su.max_seconds} s)`,
    );
  }
}

/** The refusal when even the shortest sustains and mono one-shots exceed the memory. */
function overBudget(
  costed: readonly Costed[],
  title: string,
  budget: number,
  sustain: number,
  weigh: (ch: number) => number,
): KitLimitError {
  const cost = (c: Costed): number => (c.sustain ? sustain * weigh(c.channels) : c.seconds * weigh(1));
  const loops = costed.filter((c) => c.sustain);
  const oneShots = costed.filter((c) => !c.sustain);
  const loopSec = loops.reduce((a, c) => a + cost(c), 0);
  const oneShotSec = oneShots.reduce((a, c) => a + cost(c), 0);
  const total = loopSec + oneShotSec;
  let fit = 0;
  for (let used = 0; fit < costed.length && used + cost(costed[fit]) <= budget; fit++)
    used += cost(costed[fit]);
  const parts = [
    loops.length > 0 ? `${loops.length} sustain(s) of ${round1(sustain)} s: ${round1(loopSec)} s` : "",
    oneShots.length > 0 ? `${oneShots.length} one-shot(s) in mono: ${round1(oneShotSec)} s` : "",
  ].filter((p) => p !== "");
  return new KitLimitError(
    `the ${title} holds ${budget} s of sample memory (counted in mono, stereo twice); the ` +
      `${costed.length} chosen sounds need at least ${round1(total)} s (${parts.join(" + ")}), ` +
      `${round1(total - budget)} s over. The first ${fit} would fit: use --count ${fit}` +
      `${loops.length > 0 ? " or a shorter --sustain" : ""}, or keep fewer in the report`,
  );
}

/** Folder of each sample in the kit (ending in "/", or "" at the top), within the device's layout. */
function layoutFolders(costed: readonly Costed[], profile: DeviceProfile, kitName: string): string[] {
  const l = profile.layout;
  const root = l.root.replace(/^\/+|\/+$/g, "");
  const instrument = profile.writer === "sfz" || profile.writer === "decentsampler";
  const samplesFolder = instrument ? l.samples_folder.replace(/^\/+|\/+$/g, "") : "";
  const depth = (l.kit_folder ? 1 : 0) + (samplesFolder !== "" ? 1 : 0) + (l.category_folders ? 1 : 0);
  if (l.max_folder_depth !== null && depth > l.max_folder_depth) {
    throw new ConfigError(
      `device profile "${profile.name}": its layout puts samples ${depth} folder(s) below ` +
        `${root || "the top"}, but the device reads at most ${l.max_folder_depth}`,
      { keyPath: "layout" },
    );
  }
  const maxName = profile.names.max_length ?? 64;
  const kit = l.kit_folder ? kitFolderName(kitName, maxName) : "";
  const sub = (c: Costed): string =>
    [samplesFolder, l.category_folders ? c.pick.candidate.row.category : ""]
      .filter((p) => p !== "")
      .join("/");
  const place = (kitPart: string, c: Costed): string => {
    const f = [root, kitPart, sub(c)].filter((p) => p !== "").join("/");
    return f === "" ? "" : `${f}/`;
  };
  const folders = costed.map((c) => place(kit, c));
  const max = l.max_files_per_folder;
  if (max === null) return folders;
  const counts = new Map<string, number>();
  for (const f of folders) counts.set(f, (counts.get(f) ?? 0) + 1);
  const full = [...counts].find(([, n]) => n > max);
  if (full === undefined) return folders;
  if (!l.kit_folder) {
    throw new KitLimitError(
      `the ${profile.title} reads at most ${max} files per folder; ${full[1]} would go in ` +
        `${full[0] || "the top folder"}, ${full[1] - max} too many`,
    );
  }
  // Split into numbered kit folders of at most `max` files each, in pick order.
  const seen = new Map<string, number>();
  return costed.map((c) => {
    const k = seen.get(sub(c)) ?? 0;
    seen.set(sub(c), k + 1);
    const part = String(Math.floor(k / max) + 1);
    return place(`${kit.slice(0, Math.max(1, maxName - part.length))}${part}`, c);
  });
}
