/** Writes COMMANDS.md, TYPES.md and EVENTS.md into `dir`, every section copied `k` times under new names; the counts written. */
export function writeSynthetic(dir: string, docs: Record<string, string>, k: number): { commands: number; types: number; events: number };
