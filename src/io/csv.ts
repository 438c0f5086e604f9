/** Minimal RFC 4180 CSV: quote fields holding comma, quote or newline; parse quoted fields back. */

export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) lines.push(r.map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}

/** Parse CSV text into records keyed by the header row. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const n = text.length;
  let i = 0;
  // Runs without a special character are sliced, not copied a character at a time: a 50,000-row
  // manifest parses several times faster.
  while (i < n) {
    if (quoted) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        field += text.slice(i);
        break;
      }
      field += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 34) {
        field += '"';
        i = q + 2;
      } else {
        quoted = false;
        i = q + 1;
      }
      continue;
    }
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34 || c === 44 || c === 10 || c === 13) break;
      j++;
    }
    if (j > i) field += text.slice(i, j);
    if (j >= n) break;
    const c = text.charCodeAt(j);
    if (c === 34) quoted = true;
    else if (c === 44) {
      row.push(field);
      field = "";
    } else {
      if (c === 13 && text.charCodeAt(j + 1) === 10) j++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    }
    i = j + 1;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ""));
  if (nonEmpty.length === 0) return [];
  const header = nonEmpty[0].map((h) => h.replace(/^\uFEFF/, ""));
  return nonEmpty.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])));
}
