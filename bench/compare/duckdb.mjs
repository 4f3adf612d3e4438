// The DuckDB side of the comparison: loads a ledger CSV into an in-memory
// table and runs housing_early_warning.sql as of each date given.
//
//   node duckdb.mjs --ledger LEDGER --as-of DATE[,DATE…] --output PAIRS [--threads N]
//
// Writes the fired (household, rule) pairs as of each date to PAIRS as CSV,
// `{as_of}` in PAIRS standing for the date, and prints one line of JSON:
// load_seconds, and evaluations: [{as_of, seconds, pairs}].

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values: options } = parseArgs({
  options: {
    ledger: { type: 'string' },
    'as-of': { type: 'string' },
    output: { type: 'string' },
    threads: { type: 'string', default: '2' },
  },
});
for (const name of ['ledger', 'as-of', 'output']) {
  if (!options[name]) {
    console.error('usage: node duckdb.mjs --ledger LEDGER --as-of DATE[,DATE…] --output PAIRS [--threads N]');
    process.exit(2);
  }
}
const dates = options['as-of'].split(',');
for (const date of dates) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    console.error(`--as-of: not a YYYY-MM-DD date: ${date}`);
    process.exit(2);
  }
}
if (dates.length > 1 && !options.output.includes('{as_of}')) {
  console.error('--output must hold {as_of} when there are several dates');
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const rulesSql = readFileSync(join(here, 'housing_early_warning.sql'), 'utf8');

const instance = await DuckDBInstance.create(':memory:', { threads: options.threads });
const connection = await instance.connect();

function quoted(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Household ids may hold commas, quotes or newlines (docs/language.md, Ledger).
function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// The load converts the amount to integer cents through DECIMAL(18, 2), which
// parses the text exactly, as earlywarn's loader does.
const loadStart = performance.now();
await connection.run(`
  CREATE TABLE ledger AS
  SELECT household, date, type, coalesce(CAST(amount * 100 AS BIGINT), 0) AS cents
  FROM read_csv(${quoted(options.ledger)}, header = true, auto_detect = false,
                columns = {'household': 'VARCHAR', 'date': 'DATE',
                           'type': 'VARCHAR', 'amount': 'DECIMAL(18, 2)'})`);
const loadSeconds = (performance.now() - loadStart) / 1000;

const evaluations = [];
for (const date of dates) {
  await connection.run(`SET VARIABLE as_of = DATE ${quoted(date)}`);
  const evaluateStart = performance.now();
  const reader = await connection.runAndReadAll(rulesSql);
  const rows = reader.getRows();
  const seconds = (performance.now() - evaluateStart) / 1000;
  writeFileSync(options.output.replaceAll('{as_of}', date),
                'household,rule\n' + rows.map((r) => `${csvField(r[0])},${r[1]}\n`).join(''));
  evaluations.push({ as_of: date, seconds, pairs: rows.length });
}
console.log(JSON.stringify({ load_seconds: loadSeconds, evaluations }));
