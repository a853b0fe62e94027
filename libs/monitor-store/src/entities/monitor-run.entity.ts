import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MonitorRunStatus = 'baselining' | 'watching' | 'failed' | 'ended';

/**
 * One migration the monitor watches: where its watch stands, updated after every judged window.
 * The events keep decisions; this row keeps the count a restarted monitor resumes from (the window
 * number and the failed windows in a row), which no event records on every window.
 */
@Entity({ name: 'runs' })
export class MonitorRun {
  @PrimaryColumn({ name: 'migration_id', type: 'text' })
  migrationId!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text' })
  status!: MonitorRunStatus;

  /** `running`, `expanded` or `completed`: what a failure would mean (rollback, or a regression after the fact). */
  @Column({ type: 'text' })
  phase!: string;

  /** Windows judged so far, over every watch of the migration (a restart goes on counting). */
  @Column({ type: 'integer', default: 0 })
  windows!: number;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  /** The backfill is held by this monitor's throttle. */
  @Column({ type: 'boolean', default: false })
  throttled!: boolean;

  /** Why the watch ended or failed, in one sentence; null while it goes on. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
