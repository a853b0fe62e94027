import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One metric's verdict in one judged window: the analysis as a time series, every window. The event
 * log records only decisions (failures, changed verdicts, one window in twelve), so a 72-hour watch
 * does not flood the migration's stream; the numbers of every window are here.
 */
@Entity({ name: 'windows' })
@Index('windows_by_migration', ['migrationId', 'window'])
export class AnalysisWindowRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'migration_id', type: 'text' })
  migrationId!: string;

  @Column({ type: 'integer' })
  window!: number;

  @Column({ type: 'text' })
  metric!: string;

  @Column({ type: 'text' })
  phase!: string;

  /** `pass`, `fail` or `insufficient`. */
  @Column({ type: 'text' })
  verdict!: string;

  @Column({ type: 'float8', nullable: true })
  baseline!: number | null;

  @Column({ type: 'float8', nullable: true })
  current!: number | null;

  @Column({ type: 'float8', nullable: true })
  change!: number | null;

  /** The value beyond which the metric fails (degradation or the baseline's wander, or a bound). */
  @Column({ type: 'float8', nullable: true })
  threshold!: number | null;

  @Column({ name: 'p_value', type: 'float8', nullable: true })
  pValue!: number | null;

  @Column({ name: 'baseline_samples', type: 'integer' })
  baselineSamples!: number;

  @Column({ name: 'current_samples', type: 'integer' })
  currentSamples!: number;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'judged_at', type: 'timestamptz' })
  judgedAt!: Date;
}
