#!/usr/bin/env bash
# Regenerates test/fixtures/audio: small audio files in every container/variant patina reads, plus
# reference decodes (interleaved float32 little-endian, "*.f32", made by ffmpeg) and the values ffprobe
# reports (probe.json). Needs Debian's sox, ffmpeg, flac and lame; the tests themselves do not.
#
# `scripts/make-fixtures.sh seek` makes only the seek fixtures (long enough for many frames), leaving
# the others untouched.
set -euo pipefail
cd "$(dirname "$0")/../test/fixtures/audio"

# Seek fixtures: a FLAC with many small frames (20 s of low-level noise at 8 kHz, block size 1024),
# with a seek table (a point every 2 s) and without one, and a 16 s VBR MP3 (MPEG-1, 32 kHz stereo).
make_seek_fixtures() {
  local t
  t=$(mktemp -d)
  sox -R -D -n -r 8000 -c 1 -b 16 "$t/noise.wav" synth 20 whitenoise vol 0.0001
  flac -s -f -b 1024 -S 2s -o seek_noise_8k.flac "$t/noise.wav"
  flac -s -f -b 1024 --no-seektable -o seek_noise_8k_noseektable.flac "$t/noise.wav"
  sox -R -D -n -r 32000 -c 2 -b 16 "$t/tones.wav" synth 16 sine 110-880 sine 165-1320 vol 0.4 tremolo 0.5 60
  sox -R -D -n -r 32000 -c 2 -b 16 "$t/pink.wav" synth 16 pinknoise vol 0.02
  sox -D -m "$t/tones.wav" "$t/pink.wav" "$t/mix.wav"
  lame --quiet -V 9 "$t/mix.wav" seek_vbr_32k.mp3
  rm -rf "$t"
}
if [ "${1:-}" = "seek" ]; then
  make_seek_fixtures
  exit 0
fi
rm -f ./*.wav ./*.aif ./*.aiff ./*.aifc ./*.flac ./*.mp3 ./*.f32 ./*.WAV ./*.Flac probe.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Master signals: two different tones plus a little noise so every bit is exercised; fixed seed (-R).
sox -R -D -n -r 44100 -c 2 -e floating-point -b 32 "$tmp/m44.wav" synth 1024s sine 440 sine 997 synth 1024s pinknoise mix vol 0.7
sox -R -D -n -r 44100 -c 2 -e floating-point -b 32 "$tmp/m44l.wav" synth 2400s sine 440 sine 997 synth 2400s pinknoise mix vol 0.7
sox -R -D -n -r 48000 -c 2 -e floating-point -b 32 "$tmp/m48l.wav" synth 2600s sine 330 sine 1200 synth 2600s pinknoise mix vol 0.7
sox -R -D -n -r 44100 -c 6 -e floating-point -b 32 "$tmp/m6.wav" synth 512s sine 100 sine 200 sine 300 sine 400 sine 500 sine 600 vol 0.5

# WAV (wavpcm = plain PCM/float format tags, not WAVE_FORMAT_EXTENSIBLE)
sox -D "$tmp/m44.wav" -t wavpcm -e unsigned-integer -b 8 wav_u8.wav
sox -D "$tmp/m44.wav" -t wavpcm -e signed-integer -b 16 wav_s16.wav
sox -D "$tmp/m44.wav" -t wavpcm -e signed-integer -b 24 wav_s24.wav
sox -D "$tmp/m44.wav" -t wavpcm -e signed-integer -b 32 wav_s32.wav
sox -D "$tmp/m44.wav" -t wavpcm -e floating-point -b 32 wav_f32.wav
sox -D "$tmp/m44.wav" -t wavpcm -e floating-point -b 64 wav_f64.wav
sox -D "$tmp/m44.wav" -t wav -e signed-integer -b 24 wav_extensible_s24.wav
sox -D "$tmp/m6.wav" -t wav -e signed-integer -b 16 wav_6ch_s16.wav
ffmpeg -v error -i wav_s16.wav -c:a pcm_s16le -rf64 always wav_rf64_s16.wav
# An unknown odd-sized chunk (with its pad byte) before "data", and upper-case extension.
node -e '
const fs = require("fs");
const b = fs.readFileSync("wav_s16.wav");
const body = b.subarray(12);
let p = 0, fmt, data;
while (p < body.length) { const id = body.toString("latin1", p, p + 4); const n = body.readUInt32LE(p + 4);
  const c = body.subarray(p, p + 8 + n + (n & 1)); if (id === "fmt ") fmt = c; if (id === "data") data = c; p += 8 + n + (n & 1); }
const junk = Buffer.alloc(8 + 5 + 1); junk.write("odd ", 0, "latin1"); junk.writeUInt32LE(5, 4); junk.write("hello", 8, "latin1");
const list = Buffer.alloc(8 + 3 + 1); list.write("zzzz", 0, "latin1"); list.writeUInt32LE(3, 4);
const riff = Buffer.alloc(12); riff.write("RIFF", 0, "latin1"); riff.write("WAVE", 8, "latin1");
const out = Buffer.concat([riff, junk, fmt, list, data]); out.writeUInt32LE(out.length - 8, 4);
fs.writeFileSync("wav_odd_chunk.WAV", out);
'

# AIFF / AIFF-C
sox -D "$tmp/m44.wav" -e signed-integer -b 16 aiff_s16.aiff
sox -D "$tmp/m44.wav" -e signed-integer -b 24 aiff_s24.aif
ffmpeg -v error -i "$tmp/m44.wav" -c:a pcm_s16le -f aiff aifc_sowt.aifc
ffmpeg -v error -i "$tmp/m44.wav" -c:a pcm_f32be -f aiff aifc_fl32.aifc
ffmpeg -v error -i "$tmp/m44.wav" -c:a pcm_f64be -f aiff aifc_fl64.aifc

# FLAC, small block size so a fixture holds several frames
sox -D "$tmp/m44l.wav" -e signed-integer -b 16 "$tmp/f44_16.wav"
sox -D "$tmp/m44l.wav" -e signed-integer -b 24 "$tmp/f44_24.wav"
sox -D "$tmp/m48l.wav" -e signed-integer -b 16 "$tmp/f48_16.wav"
sox -D "$tmp/m48l.wav" -e signed-integer -b 24 "$tmp/f48_24.wav"
for f in f44_16 f44_24 f48_16 f48_24; do flac -s -f --no-padding -b 1152 -o "flac_${f#f}.flac" "$tmp/$f.wav"; done
mv flac_44_16.flac flac_44_16.Flac
cp flac_48_16.flac flac_named_as.mp3

# MP3: CBR stereo (Info tag), VBR mono (Xing tag), VBR with a large ID3v2 picture, long files for probe
sox -R -D -n -r 44100 -c 2 -b 16 "$tmp/mp3src.wav" synth 0.1 sine 440 sine 660 vol 0.5
sox -R -D -n -r 44100 -c 1 -b 16 "$tmp/mp3mono.wav" synth 0.15 sine 550 vol 0.5
sox -R -D -n -r 44100 -c 1 -b 16 "$tmp/long.wav" synth 8 sine 300-3000 vol 0.5
sox -R -D -n -r 22050 -c 1 -b 16 "$tmp/long22.wav" synth 5 sine 300-3000 vol 0.5
ffmpeg -v error -f lavfi -i "nullsrc=s=160x160,geq=random(1)*255:random(2)*255:random(3)*255" -frames:v 1 "$tmp/pic.png"
lame --quiet -b 128 "$tmp/mp3src.wav" mp3_cbr_stereo.mp3
lame --quiet -V 4 "$tmp/mp3mono.wav" mp3_vbr_mono.mp3
lame --quiet -V 4 --ti "$tmp/pic.png" --tt "A title" "$tmp/mp3mono.wav" mp3_id3_picture.mp3
lame --quiet -V 9 --resample 44.1 "$tmp/long.wav" mp3_long_vbr.mp3
lame --quiet -t -b 32 --resample 44.1 "$tmp/long.wav" mp3_long_cbr_noxing.mp3
lame --quiet -V 9 "$tmp/long22.wav" mp3_long_mpeg2.mp3

make_seek_fixtures

# Bad inputs
printf 'This is a text file, not audio.\n' > text_named_as.wav
head -c 3000 wav_s16.wav > bad_truncated.wav
head -c 4500 flac_44_16.Flac > bad_truncated.flac
head -c 300 flac_44_16.Flac > bad_header_only.flac
head -c 1500 mp3_cbr_stereo.mp3 > bad_truncated.mp3
head -c 30 wav_s16.wav > bad_header_only.wav
: > bad_empty.wav
node -e '
const fs = require("fs");
// A float WAV holding NaN and Inf samples.
const b = fs.readFileSync("wav_f32.wav"); const d = b.indexOf("data") + 8;
b.writeFloatLE(NaN, d + 400); b.writeFloatLE(Infinity, d + 800); fs.writeFileSync("bad_nan.wav", b);
// A WAV header with zero data bytes.
const z = Buffer.from(fs.readFileSync("wav_s16.wav").subarray(0, 44)); z.writeUInt32LE(0, 40); z.writeUInt32LE(36, 4);
fs.writeFileSync("bad_zero_length.wav", z);
'

# Reference decodes (interleaved f32le) by ffmpeg
for f in wav_u8.wav wav_s16.wav wav_s24.wav wav_s32.wav wav_f32.wav wav_f64.wav wav_extensible_s24.wav \
  wav_6ch_s16.wav wav_rf64_s16.wav aiff_s16.aiff aiff_s24.aif aifc_sowt.aifc aifc_fl32.aifc aifc_fl64.aifc \
  flac_44_16.Flac flac_44_24.flac flac_48_16.flac flac_48_24.flac mp3_cbr_stereo.mp3 mp3_vbr_mono.mp3; do
  ffmpeg -v error -i "$f" -f f32le -c:a pcm_f32le "$f.f32"
done

# What ffprobe says (and how many frames ffmpeg decodes), for the probe tests
for f in *.wav *.WAV *.aif *.aiff *.aifc *.flac *.Flac *.mp3; do
  case "$f" in bad_*|text_*) continue;; esac
  printf '%s\t' "$f"
  ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate,channels,codec_name:format=duration -of json "$f" | tr -d '\n'
  printf '\t%s\n' "$(ffmpeg -v error -i "$f" -map 0:a:0 -f s16le -c:a pcm_s16le - | wc -c)"
done | node -e '
const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const out = {};
for (const l of lines) { const [name, json, bytes] = l.split("\t"); const j = JSON.parse(json); const s = j.streams[0];
  out[name] = { codec: s.codec_name, sample_rate: Number(s.sample_rate), channels: s.channels, duration_sec: Number(j.format.duration),
  ffmpeg_decoded_frames: Number(bytes) / (2 * s.channels) }; }
require("fs").writeFileSync("probe.json", JSON.stringify(out, null, 2) + "\n");
'
ls -la
