/** A stream that does not begin with `MigrationPlanned` is not a migration (or was not planned by Bascule). */
export class UnknownMigrationStreamError extends Error {
  readonly code = 'unknown_migration_stream';

  constructor(readonly firstEventType: string | null) {
    super(
      firstEventType === null
        ? 'no events: this migration does not exist'
        : `the stream begins with ${firstEventType}, not MigrationPlanned: it is not a migration Bascule planned`,
    );
    this.name = 'UnknownMigrationStreamError';
  }
}
