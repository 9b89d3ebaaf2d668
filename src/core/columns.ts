// Columns that a command adds to a user's file (area codes of `assign points`, the match of
// `match addresses`): one rule for every such output (decision 0014).
//
// An added column never has the name of an input column, nor of another added column. Names are
// compared without regard to case and surrounding spaces, because spreadsheets, databases and
// most readers treat "Bezirk" and "bezirk " as the same column. Without a prefix the added
// columns keep their plain names (a layer key, "status" …); when one of them collides, the
// command is refused with an error that names every collision and asks for a column prefix
// (CLI `--column-prefix`, HTTP `columnPrefix`), which is then put in front of every added
// column. Nothing is renamed silently: a script reading the output finds the added columns
// either under their documented names or under the prefix it chose.
import { formatProblem, InputRejected, type Problem } from './problems.ts';

export interface AddedColumn {
  /** The name the command gives the column (before the prefix). */
  name: string;
  /** What the column holds, for the error message, e.g. 'the area code of layer "bezirk"'. */
  what: string;
}

export interface AddedColumnsOptions {
  /** Put in front of every added column. */
  prefix?: string;
  /** Display name of the input file, for the problem. */
  file?: string;
  /** How the caller sets the prefix, for the hint: '--column-prefix' (CLI) or 'columnPrefix=' (HTTP). */
  option: string;
}

/** The longest prefix accepted. */
const COLUMN_PREFIX_MAX_LENGTH = 40;

const key = (name: string) => name.trim().toLowerCase();

/**
 * The names of the added columns (prefixed when a prefix is given), checked against the input
 * columns and against each other; throws InputRejected (code `column-collision`, or
 * `bad-column-prefix`) otherwise.
 */
export function addedColumnNames(
  input: readonly string[],
  added: readonly AddedColumn[],
  o: AddedColumnsOptions,
): string[] {
  const prefix = o.prefix ?? '';
  const problems: Problem[] = [];
  if (prefix.length > COLUMN_PREFIX_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(prefix)) {
    problems.push({
      severity: 'error',
      code: 'bad-column-prefix',
      file: o.file,
      value: prefix.slice(0, COLUMN_PREFIX_MAX_LENGTH + 1),
      reason: `a column prefix has at most ${COLUMN_PREFIX_MAX_LENGTH} characters and no control characters`,
      hint: `e.g. ${o.option} gebiet_`,
    });
    throw new InputRejected(problems);
  }
  const names = added.map((a) => prefix + a.name);
  const inputByKey = new Map<string, string>();
  for (const c of input) if (!inputByKey.has(key(c))) inputByKey.set(key(c), c);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const k = key(name);
    const clash = inputByKey.get(k);
    if (clash !== undefined) {
      problems.push({
        severity: 'error',
        code: 'column-collision',
        file: o.file,
        line: 1,
        column: clash,
        value: name,
        reason: `the added column "${name}" (${added[i].what}) would have the name of the input column "${clash}"`,
        hint: `give the added columns a prefix, e.g. ${o.option} ${suggestedPrefix(input, added, prefix)} (→ ${suggestedPrefix(input, added, prefix)}${added[i].name}), or rename the input column`,
      });
    }
    const j = seen.get(k);
    if (j !== undefined) {
      problems.push({
        severity: 'error',
        code: 'column-collision',
        file: o.file,
        value: name,
        reason: `two added columns would be named "${name}": ${added[j].what} and ${added[i].what}`,
        hint: 'rename the layer, or choose the layers with --layer',
      });
    } else seen.set(k, i);
  });
  if (problems.length) {
    const n = problems.length;
    throw new InputRejected(
      problems,
      `The output would have ${n === 1 ? 'a column name twice' : `${n} column names twice`}: nothing was written.\n${problems.map(formatProblem).join('\n')}`,
    );
  }
  return names;
}

/** A prefix that resolves every collision with the input (tried in order; the first that works). */
function suggestedPrefix(input: readonly string[], added: readonly AddedColumn[], current: string): string {
  const taken = new Set(input.map(key));
  for (const p of ['km_', 'gebiet_', 'zugeordnet_', 'km2_', 'km3_']) {
    const candidate = current + p;
    if (added.every((a) => !taken.has(key(candidate + a.name)))) return candidate;
  }
  return current + 'km_';
}
