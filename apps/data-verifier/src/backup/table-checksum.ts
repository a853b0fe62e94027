import { takeBaseline, type Db } from '@bascule/data-verification';
import { parseTableRef } from '../table-ref';

export interface TableChecksum {
  rowCount: number;
  checksum: string;
}

/**
 * A table's row count and checksum, by the same code as a baseline (`takeBaseline`): the sum of its
 * segments is the whole table's, whatever the segment boundaries, so the live table and its
 * restored copy compare equal exactly when their rows do. `snapshot` reads the rows a pg_dump
 * --snapshot read.
 */
export async function tableChecksum(db: Db, table: string, snapshot?: string): Promise<TableChecksum> {
  const baseline = await takeBaseline(db, { ...parseTableRef(table), mode: 'segments', ...(snapshot ? { snapshot } : {}) });
  return { rowCount: baseline.rowCount, checksum: baseline.checksum };
}
