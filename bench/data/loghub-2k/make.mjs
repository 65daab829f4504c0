// Builds this folder from a checkout of logpai/logparser (its data/loghub_2k and data/loghub_2k_corrected):
//
//   node bench/data/loghub-2k/make.mjs PATH/TO/logparser/data
//
// For each of the 16 systems: SYSTEM.log.gz, the 2,000 raw lines exactly as Loghub ships them, and
// SYSTEM.labels.jsonl.gz, one JSON object per line: {"event": original EventId, "corrected": EventId of the
// corrected labels, "content": the Content column (the message without its header, as Loghub parsed it)}.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SYSTEMS = ['Android', 'Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop', 'HealthApp', 'Linux', 'Mac', 'OpenSSH', 'OpenStack', 'Proxifier', 'Spark', 'Thunderbird', 'Windows', 'Zookeeper'];

function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          f += '"';
          i++;
        } else q = false;
      } else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else if (c !== '\r') f += c;
  }
  if (f || row.length) {
    row.push(f);
    rows.push(row);
  }
  return rows;
}

if (process.argv[2]) {
  const data = process.argv[2];
  mkdirSync(HERE, { recursive: true });
  for (const s of SYSTEMS) {
    const raw = readFileSync(join(data, 'loghub_2k', s, `${s}_2k.log`));
    const original = parseCsv(readFileSync(join(data, 'loghub_2k', s, `${s}_2k.log_structured.csv`), 'utf8'));
    const corrected = parseCsv(readFileSync(join(data, 'loghub_2k_corrected', s, `${s}_2k.log_structured_corrected.csv`), 'utf8'));
    const col = (rows, name) => rows[0].indexOf(name);
    const lines = [];
    for (let i = 1; i < original.length; i++) {
      lines.push(JSON.stringify({ event: original[i][col(original, 'EventId')], corrected: corrected[i][col(corrected, 'EventId')], content: original[i][col(original, 'Content')] }));
    }
    writeFileSync(join(HERE, `${s}.log.gz`), gzipSync(raw, { level: 9 }));
    writeFileSync(join(HERE, `${s}.labels.jsonl.gz`), gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
    console.log(`${s}: ${lines.length} labelled lines`);
  }
}
