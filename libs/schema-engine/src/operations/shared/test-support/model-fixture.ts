import type { ColumnModel, ConstraintModel, IndexModel, SchemaModel, TableModel } from '../../../model/schema-model';
import type { OperationContext } from '../../operation';

/** A column as introspection would report it; override what the test cares about. */
export function columnFixture(name: string, overrides: Partial<ColumnModel> = {}): ColumnModel {
  return { name, physicalName: name, type: 'text', nullable: true, default: null, comment: null, identity: null, generated: null, ...overrides };
}

export function tableFixture(
  name: string,
  columns: ColumnModel[],
  extra: { primaryKey?: string[]; constraints?: ConstraintModel[]; indexes?: IndexModel[] } = {},
): TableModel {
  return {
    name,
    physicalName: name,
    columns,
    primaryKey: extra.primaryKey ?? [],
    constraints: extra.constraints ?? [],
    indexes: extra.indexes ?? [],
    comment: null,
    replicaIdentity: 'd',
    rowEstimate: 0,
  };
}

/** The worked example's table: reviews(id integer pk, title text not null, rating text). */
export function reviewsModel(): SchemaModel {
  return {
    schema: 'public',
    tables: [
      tableFixture(
        'reviews',
        [columnFixture('id', { type: 'integer', nullable: false }), columnFixture('title', { nullable: false }), columnFixture('rating')],
        {
          primaryKey: ['id'],
          constraints: [
            { name: 'reviews_pkey', type: 'primary_key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true },
            { name: 'rating_short', type: 'check', columns: ['rating'], definition: 'CHECK ((length(rating) < 10))', validated: true },
          ],
          indexes: [
            { name: 'reviews_pkey', columns: ['id'], unique: true, definition: 'CREATE UNIQUE INDEX reviews_pkey ON public.reviews USING btree (id)', constraint: 'reviews_pkey', valid: true },
            { name: 'reviews_rating_idx', columns: ['rating'], unique: false, definition: 'CREATE INDEX reviews_rating_idx ON public.reviews USING btree (rating)', constraint: null, valid: true },
          ],
        },
      ),
    ],
  };
}

export function contextFixture(model: SchemaModel, index = 0, migrationName = 'm1'): OperationContext {
  return { schema: model.schema, migrationName, versionSchema: `${model.schema}_${migrationName}`, model, index };
}
