import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One metric's baseline: the raw figures every window of the migration is judged against. */
@Entity({ name: 'baselines' })
export class MetricBaselineRow {
  @PrimaryColumn({ name: 'migration_id', type: 'text' })
  migrationId!: string;

  @PrimaryColumn({ type: 'text' })
  metric!: string;

  /** `probe`, `postgres` or `prometheus`. */
  @Column({ type: 'text' })
  source!: string;

  /** Successful samples, in the order taken (the judge measures the baseline's own wander from that order). */
  @Column({ type: 'jsonb' })
  values!: number[];

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
