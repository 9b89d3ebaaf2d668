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
