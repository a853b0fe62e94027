import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The api-agent's route table (schema `bascule_api`, created beforehand by prepareServiceTables). */
export class ApiRoutes1765120000000 implements MigrationInterface {
  name = 'ApiRoutes1765120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bascule_api.routes (
        address text PRIMARY KEY,
        service text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('embedded', 'haproxy')),
        versions jsonb NOT NULL,
        weights jsonb NOT NULL,
        migration_id text NOT NULL,
        step_id text NOT NULL,
        applied_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE bascule_api.routes');
  }
}
