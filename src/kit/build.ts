/**
 * `patina kit`: from one or more export folders (a `make` export or a whole `batch` export) to a
 * kit for a device. Reads the manifests, fingerprints and the musician's choices, picks the
 * textures (select.ts), plans the kit against the device profile (plan.ts), then builds it in a
 * temporary folder and puts it in place with one rename. The export folders are only read.
 */
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import type { FingerprintFile, SelectionFile } from "../core/export-files.js";
import type { TextureCategory } from "../core/manifest.js";
import { seedFromString } from "../dsp/rng.js";
import { decodeFile, decodeRegion } from "../io/decode.js";
import { statFile } from "../io/entries.js";
import { findSelection, readExportFingerprints, readExportRows, readSelection } from "../io/export-folder.js";
import { KIT_MARKER, KitFolder } from "../io/kit-folder.js";
import { probe } from "../io/probe.js";
import { encodeWav } from "../io/wav-writer.js";
import { dspresetFiles } from "./dspreset.js";
import { indexText } from "./index-file.js";
import type { MusicalKey } from "./keys.js";
import { mapInstruments } from "./mapping.js";
import { type KitPlan, kitFolderName, planKit, type SampleInfo } from "./plan.js";
import type { DeviceProfile } from "./profile.js";
import { renderSample } from "./render.js";
import { type Candidate, type KitSelection, SELECT_DEFAULTS, selectTextures } from "./select.js";
import { type InstrumentFile, sfzFiles } from "./sfz.js";
import { CORRELATION_SECONDS, CorrelationAudio } from "./similarity.js";

export interface KitOptions {
  /** Export folders to read (absolute). */
  readonly exportDirs: readonly string[];
  /** The kit folder to write (absolute); null only for a dry run. */
  readonly out: string | null;
  readonly profile: DeviceProfile;
  /** A selection file given with `--from` (absolute), else each export's own `selection.json`. */
  readonly from: string | null;
  readonly count: number | null;
  readonly name: string;
  readonly categories: readonly TextureCategory[] | null;
  readonly key: MusicalKey | null;
  readonly sustainSec: number | null;
  readonly dryRun: boolean;
  /** Called as each sample is written (done, total), for progress. */
  readonly onSample?: (done: number, total: number) => void;
}

export interface KitResult {
  readonly selection: KitSelection;
  readonly plan: KitPlan;
  /** Instrument, index and marker files (paths in the kit). */
  readonly extraFiles: readonly string[];
  /** Where the kit was written (null for a dry run). */
  readonly out: string | null;
  /** Selection files read. */
  readonly selectionFiles: readonly string[];
  /** Lines about the inputs (missing selections, unknown entries). */
  readonly notes: readonly string[];
}

const inside = (parent: string, child: string): boolean => {
  const rel = relative(resolve(parent), resolve(child));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

interface Inputs {
  candidates: Candidate[];
  dims: readonly string[] | null;
  selectionFiles: string[];
  notes: string[];
}

/** Every texture of the export folders, with its fingerprint and the musician's choice. */
async function readInputs(o: KitOptions): Promise<Inputs> {
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  const selectionFiles: string[] = [];
  let dims: readonly string[] | null = null;
  const several = o.exportDirs.length > 1;
  const fromDir =
    o.from === null
      ? -1
      : Math.max(
          0,
          o.exportDirs.findIndex((d) => inside(d, o.from ?? "")),
        );
  for (const [i, dir] of o.exportDirs.entries()) {
    const rows = await readExportRows(dir);
    const prints: FingerprintFile | null = await readExportFingerprints(dir);
    if (prints !== null) {
      if (dims === null) dims = prints.dims;
      else if (dims.join() !== prints.dims.join())
        notes.push(`${dir}: fingerprints of another kind, not used`);
    }
    const usePrints = prints !== null && dims !== null && prints.dims.join() === dims.join();
    let selection: SelectionFile["textures"] | null = null;
    if (o.from !== null && i === fromDir) {
      const file = await readSelection(o.from);
      if (file === null) throw new UsageError("--from: no such selection file", { path: o.from });
      selection = file.textures;
      selectionFiles.push(o.from);
    } else if (o.from === null) {
      // The export's own choices, or those made on the page of a batch export above it.
      const found = await findSelection(dir);
      if (found !== null) {
        selection = found.textures;
        selectionFiles.push(found.path);
      }
    }
    const label = several ? `${basename(dir)}#${i + 1}/` : "";
    const known = new Set<string>();
    for (const row of rows) {
      known.add(row.file);
      candidates.push({
        id: `${label}${row.file}`,
        row,
        path: join(dir, ...row.file.split("/")),
        fingerprint: usePrints ? (prints.textures[row.file] ?? null) : null,
        choice: selection?.[row.file] ?? null,
      });
    }
    const unknown = selection === null ? 0 : Object.keys(selection).filter((f) => !known.has(f)).length;
    if (unknown > 0)
      notes.push(`${unknown} choice(s) in the selection name textures not in ${dir}'s manifest`);
  }
  return { candidates, dims, selectionFiles, notes };
}

const audioReader = {
  exists: async (c: Candidate): Promise<boolean> => (await statFile(c.path)) !== null,
  opening: async (c: Candidate): Promise<CorrelationAudio> => {
    // Only the opening is compared: a long texture is not decoded whole (2 s at up to 48 kHz).
    const a = await decodeRegion(c.path, 0, Math.ceil(CORRELATION_SECONDS * 48000));
    return new CorrelationAudio(a.channels, a.sampleRate);
  },
};

/** Choose, plan and (unless a dry run) write the kit. */
export async function buildKit(o: KitOptions): Promise<KitResult> {
  if (o.out !== null) {
    for (const dir of o.exportDirs) {
      if (inside(dir, o.out) || inside(o.out, dir)) {
        throw new UsageError(`--out must be outside the export folder ${dir} (patina never writes into it)`, {
          path: o.out,
        });
      }
    }
  }
  const inputs = await readInputs(o);
  const selection = await selectTextures(
    inputs.candidates,
    {
      ...SELECT_DEFAULTS,
      count: o.count,
      defaultCount: o.profile.count,
      categories: o.categories,
      key: o.key,
      dims: inputs.dims,
    },
    audioReader,
  );
  if (selection.picks.length === 0) {
    const why = selection.notes.length > 0 ? `: ${selection.notes.join("; ")}` : "";
    throw new UsageError(`nothing to put in the kit${why}`);
  }
  const infos: SampleInfo[] = [];
  for (const p of selection.picks) {
    const info = await probe(p.candidate.path);
    infos.push({
      sampleRate: info.sampleRate,
      channels: info.channels,
      frames: info.frames ?? Math.round(info.durationSec * info.sampleRate),
      bitDepth: info.bitDepth,
    });
  }
  const plan = planKit(selection.picks, infos, o.profile, { name: o.name, sustainSec: o.sustainSec });
  const extra = instrumentFiles(plan);
  const extraFiles = [...extra.map((f) => f.path), KIT_MARKER];
  const base = {
    selection,
    plan,
    extraFiles,
    selectionFiles: inputs.selectionFiles,
    notes: inputs.notes,
  };
  if (o.dryRun || o.out === null) return { ...base, out: null };

  const kit = await KitFolder.open(o.out);
  try {
    for (const [i, s] of plan.samples.entries()) {
      if (s.making.kind === "copy") {
        await kit.copy(s.path, s.pick.candidate.path);
      } else {
        const m = s.making;
        const decoded = await decodeFile(s.pick.candidate.path, { sampleRate: m.sampleRate });
        const audio = renderSample(decoded, s, o.profile);
        // A device without loop points gets plain WAVs (no smpl chunk it would not read).
        const smpl = !o.profile.sustain.enabled;
        const bytes = encodeWav(audio, {
          bitDepth: m.bitDepth,
          ...(m.bitDepth === 16 ? { dither: { seed: seedFromString(s.path) } } : {}),
          ...(smpl && s.loop !== null ? { loop: s.loop } : {}),
          ...(smpl && s.rootMidi !== null ? { midiUnityNote: s.rootMidi } : {}),
        });
        await kit.write(s.path, bytes);
      }
      o.onSample?.(i + 1, plan.samples.length);
    }
    for (const f of extra) await kit.write(f.path, f.text);
    await kit.write(KIT_MARKER, markerText(plan));
    await kit.commit();
  } catch (e) {
    await kit.discard();
    throw e;
  }
  return { ...base, out: o.out };
}

/** Instrument files (sfz, decentsampler) and the index file, as the profile asks. */
function instrumentFiles(plan: KitPlan): InstrumentFile[] {
  const p = plan.profile;
  const out: InstrumentFile[] = [];
  if (p.writer === "sfz" || p.writer === "decentsampler") {
    const instruments = mapInstruments(plan.samples, {
      spread: p.mapping.spread_semitones,
      firstKey: p.mapping.unpitched_first_key,
    });
    const write = p.writer === "sfz" ? sfzFiles : dspresetFiles;
    out.push(...write(plan.name, instruments, p.mapping.release_sec));
  }
  if (p.index !== null) {
    const file = p.index.file.replace(/\{name\}/g, kitFolderName(plan.name, null));
    out.push({ path: file, text: indexText(plan, p.index.intro) });
  }
  return out;
}

/** What the kit holds, for a rerun to recognise the folder (no dates: same inputs, same bytes). */
function markerText(plan: KitPlan): string {
  const marker = {
    version: 1,
    device: plan.profile.name,
    name: plan.name,
    samples: plan.samples.map((s) => ({ file: s.path, from: s.pick.candidate.id })),
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}
