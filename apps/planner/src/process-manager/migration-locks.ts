/**
 * Serializes work per migration inside one process: two events of one migration handled at once
 * would only race for the same expected version. Across copies the expected version decides.
 */
export class MigrationLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(migrationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(migrationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(migrationId, next);
    void next.finally(() => {
      if (this.tails.get(migrationId) === next) this.tails.delete(migrationId);
    }).catch(() => undefined);
    return next;
  }
}
