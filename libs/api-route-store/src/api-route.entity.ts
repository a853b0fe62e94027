import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One router the api-agent drives: the service behind it, its versions, the weights last applied
 * and which migration step applied them. A read model of the migration streams (ApiTrafficShifted,
 * ApiStepPromoted, ApiStepRolledBack): rebuilt from them at every boot, then updated on every change.
 */
@Entity({ name: 'routes' })
export class ApiRoute {
  /** `127.0.0.1:8080` for an embedded router, `haproxy <socket> backend <name>` for HAProxy. */
  @PrimaryColumn({ type: 'text' })
  address!: string;

  @Column({ type: 'text' })
  service!: string;

  /** `embedded` or `haproxy`. */
  @Column({ type: 'text' })
  kind!: string;

  /** Version name → upstream URL. */
  @Column({ type: 'jsonb' })
  versions!: Record<string, string>;

  /** Version name → percent of the traffic, as last applied. */
  @Column({ type: 'jsonb' })
  weights!: Record<string, number>;

  @Column({ name: 'migration_id', type: 'text' })
  migrationId!: string;

  @Column({ name: 'step_id', type: 'text' })
  stepId!: string;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}
