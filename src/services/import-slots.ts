// How many imports of observations may run at once in one database — with tenants, in all of
// them together: KOMMUNALMONITOR_IMPORT_SLOTS (unset: no limit). Imports beyond it wait for a
// slot inside their transaction; nothing is lost, they take longer.
export function importSlotsFrom(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.KOMMUNALMONITOR_IMPORT_SLOTS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`KOMMUNALMONITOR_IMPORT_SLOTS must be a positive whole number, not "${raw}"`);
  return n;
}
