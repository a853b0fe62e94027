import type { MigrationSummary, SchemaStatus } from '@bascule/schema-engine';

function line(migration: MigrationSummary): string {
  const when = migration.completedAt ?? migration.rolledBackAt ?? migration.startedAt ?? '';
  return `  ${migration.name.padEnd(32)} ${migration.status.padEnd(12)} ${migration.versionSchema.padEnd(40)} ${when}`;
}

/** `bascule schema status` for humans. */
export function formatStatus(status: SchemaStatus): string {
  const lines = [`schema ${status.schema}`];
  if (status.active) {
    const active = status.active;
    lines.push(`active migration: ${active.name} (${active.status}), version schema ${active.versionSchema}`);
    lines.push(`  operations: ${active.operations.join(', ')}`);
    for (const checkpoint of active.backfill) {
      lines.push(`  backfill ${checkpoint.table}: ${checkpoint.rowsDone} rows${checkpoint.done ? ', done' : ''}`);
    }
    if (active.error) lines.push(`  error: ${active.error}`);
  } else {
    lines.push('no active migration');
  }
  lines.push(`latest version schema: ${status.latestVersionSchema ?? `(none: applications use "${status.schema}")`}`);
  if (status.migrations.length > 0) {
    lines.push('migrations (newest first):');
    lines.push(...status.migrations.map(line));
  }
  return lines.join('\n');
}
