/**
 * Which decoder warnings mean that part of a file could not be read: a file cut short, damaged
 * frames replaced by silence, data that is not audio. Such a file is still used (what exists is
 * read), but a run that met one has not processed everything, and its exit code says so (1). The
 * other warnings (a header's odd block align, a length counted by decoding) lose nothing.
 */
const DATA_LOSS =
  /\btruncated\b|\bonly [\d,]+ (exist|could be decoded)\b|\bdamaged\b|\bpartial frame\b|\bcannot parse\b|\bchecksum\b/i;

export function isDataLoss(warning: string): boolean {
  return DATA_LOSS.test(warning);
}
