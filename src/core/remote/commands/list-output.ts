/** Shared parsing for `gnt-* list --no-headers --separator=|` output. */
import { ExecResult } from '../host-connection';
import { outputLines } from '../command';

export const LIST_SEPARATOR = '|';

/** Rows of exactly `columns` fields; blank lines skipped; anything else is an error naming the line. */
export function parseListRows(result: ExecResult, columns: number): string[][] {
  return outputLines(result)
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const fields = line.split(LIST_SEPARATOR).map((f) => f.trim());
      if (fields.length !== columns) {
        throw new Error(`line ${i + 1} has ${fields.length} fields, expected ${columns}: ${JSON.stringify(line.slice(0, 200))}`);
      }
      return fields;
    });
}

/** Ganeti prints booleans as Y/N. */
export function parseYesNo(value: string, what: string): boolean {
  if (value === 'Y') return true;
  if (value === 'N') return false;
  throw new Error(`${what} is ${JSON.stringify(value)}, expected Y or N`);
}
