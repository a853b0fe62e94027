import { escapeIdentifier } from 'pg';
import type { Queryable } from '../queryable';

/**
 * What the services' role may do in schema `bascule`, table by table: the log itself only takes
 * INSERT and SELECT (through `append_events` or directly); the bookkeeping tables beside it are
 * the services' own. Nothing here lets the role alter, disable a trigger of, or truncate anything:
 * those need ownership, which stays with the admin role that ran the DDL.
 */
export const SERVICE_ROLE_PRIVILEGES: ReadonlyArray<{ table: string; privileges: string }> = [
  { table: 'bascule.events', privileges: 'SELECT, INSERT' },
  { table: 'bascule.store_schema', privileges: 'SELECT' },
  { table: 'bascule.relay_checkpoints', privileges: 'SELECT, INSERT, UPDATE' },
  { table: 'bascule.checkpoints', privileges: 'SELECT, INSERT, UPDATE' },
  { table: 'bascule.processed_messages', privileges: 'SELECT, INSERT' },
  { table: 'bascule.idempotency_keys', privileges: 'SELECT, INSERT, UPDATE, DELETE' },
];

const APPEND_FUNCTION = 'bascule.append_events(text, text, int, boolean, uuid[], text[], jsonb[], jsonb[], bytea[])';

/**
 * The statements that give `role` exactly SERVICE_ROLE_PRIVILEGES, whatever it held before: every
 * table privilege in the schema is revoked first, so running them again after a grant was widened
 * by hand narrows it back. PUBLIC loses its default rights on the schema and the append function.
 */
export function serviceRoleGrants(role: string): string[] {
  const grantee = escapeIdentifier(role);
  return [
    'REVOKE ALL ON SCHEMA bascule FROM PUBLIC',
    `REVOKE ALL ON ALL TABLES IN SCHEMA bascule FROM ${grantee}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA bascule FROM ${grantee}`,
    `REVOKE CREATE ON SCHEMA bascule FROM ${grantee}`,
    `GRANT USAGE ON SCHEMA bascule TO ${grantee}`,
    ...SERVICE_ROLE_PRIVILEGES.map(({ table, privileges }) => `GRANT ${privileges} ON ${table} TO ${grantee}`),
    `REVOKE ALL ON FUNCTION ${APPEND_FUNCTION} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${APPEND_FUNCTION} TO ${grantee}`,
  ];
}

export interface LogExposure {
  role: string;
  /** Superuser, or a member of the role owning `bascule.events`: it may disable triggers, alter or drop the table. Grants cannot take that away. */
  unrestrictable: string | null;
  /** UPDATE, DELETE, TRUNCATE or TRIGGER on `bascule.events`: what serviceRoleGrants revokes. */
  extraPrivileges: string[];
}

/** What `role` (null: the session's own) could do to the log despite its triggers. */
export async function logExposure(db: Queryable, role: string | null = null): Promise<LogExposure> {
  const { rows } = await db.query<{ role: string; superuser: boolean; owner: string; as_owner: boolean; privileges: string[] }>(
    `WITH r AS (SELECT rolname, rolsuper FROM pg_roles WHERE rolname = coalesce($1, current_user)),
          t AS (SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'bascule.events'::regclass)
     SELECT r.rolname AS role, r.rolsuper AS superuser, t.owner,
            pg_has_role(r.rolname, t.owner, 'USAGE') AS as_owner,
            array(SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) AS p
                   WHERE has_table_privilege(r.rolname, 'bascule.events', p)) AS privileges
       FROM r, t`,
    [role],
  );
  const found = rows[0];
  if (!found) throw new Error(`role "${role}" does not exist`);
  const unrestrictable = found.superuser
    ? `role "${found.role}" is a superuser`
    : found.as_owner
      ? `role "${found.role}" owns bascule.events${found.owner === found.role ? '' : ` (through "${found.owner}")`}`
      : null;
  return { role: found.role, unrestrictable, extraPrivileges: unrestrictable ? [] : found.privileges };
}

/** One line for an operator, or null when the role can only append to and read the log. */
export function describeExposure(exposure: LogExposure): string | null {
  if (exposure.unrestrictable) return `${exposure.unrestrictable}: it can alter or empty the log (tamper-evident only)`;
  if (exposure.extraPrivileges.length > 0) return `role "${exposure.role}" holds ${exposure.extraPrivileges.join(', ')} on bascule.events`;
  return null;
}
