// A bench section of docs/benchmarks.md lives between its own markers, so that one section can be
// measured again (`npm run bench -- NAME`) and replaced without touching the others.

/** Replaces the section between start and end, or puts it before the method notes (else at the end). */
export function spliceSection(doc: string, section: string, start: string, end: string): string {
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) return doc.slice(0, a) + section + doc.slice(b + end.length);
  const notes = doc.indexOf('\n## Method notes');
  if (notes >= 0) return doc.slice(0, notes + 1) + section + '\n\n' + doc.slice(notes + 1);
  return doc.replace(/\n*$/, '\n\n') + section + '\n';
}

/**
 * The full run renders the document anew; sections it did not measure (those run only by name)
 * are carried over from the previous document instead of being dropped.
 */
export function keepSections(previous: string, fresh: string, markers: [start: string, end: string][]): string {
  let doc = fresh;
  for (const [start, end] of markers) {
    if (doc.includes(start)) continue;
    const a = previous.indexOf(start);
    const b = previous.indexOf(end);
    if (a >= 0 && b > a) doc = spliceSection(doc, previous.slice(a, b + end.length), start, end);
  }
  return doc;
}
