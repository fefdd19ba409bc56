/** Shared parsing for `gnt-* list --no-headers --separator=|` output. */
import { ExecResult } from '../host-connection';
import { outputLines } from '../command';
import { isDnsName } from '../names';

export const LIST_SEPARATOR = '|';

/**
 * Rows of exactly `columns` fields; blank lines skipped; anything else is an error naming the line.
 * The first column is the object's name, unique in a Ganeti cluster: a name listed twice is output
 * this parser does not understand (duplicated or interleaved lines), not two objects.
 */
export function parseListRows(result: ExecResult, columns: number): string[][] {
  const seen = new Set<string>();
  return outputLines(result)
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const fields = line.split(LIST_SEPARATOR).map((f) => f.trim());
      if (fields.length !== columns) {
        throw new Error(`line ${i + 1} has ${fields.length} fields, expected ${columns}: ${JSON.stringify(line.slice(0, 200))}`);
      }
      if (seen.has(fields[0])) throw new Error(`line ${i + 1} lists ${JSON.stringify(fields[0].slice(0, 200))} a second time`);
      seen.add(fields[0]);
      return fields;
    });
}

/**
 * A node or instance name as listed: it becomes an ssh host, a command argument and a file name
 * later, so a listed name that is not a DNS name (a header, mangled bytes) is refused here.
 */
export function listedName(value: string, what: string): string {
  if (!isDnsName(value)) throw new Error(`${what} name ${JSON.stringify(value.slice(0, 200))} is not a DNS name`);
  return value;
}

/** Ganeti prints booleans as Y/N. */
export function parseYesNo(value: string, what: string): boolean {
  if (value === 'Y') return true;
  if (value === 'N') return false;
  throw new Error(`${what} is ${JSON.stringify(value)}, expected Y or N`);
}
