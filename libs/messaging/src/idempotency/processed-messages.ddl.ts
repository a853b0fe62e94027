/**
 * `bascule.processed_messages`. The advisory lock serialises copies of a service that start at the
 * same moment: concurrent `CREATE ... IF NOT EXISTS` on a fresh database can still fail with a
 * unique violation in the catalog.
 */
export const PROCESSED_MESSAGES_DDL = `
  SELECT pg_advisory_xact_lock(hashtext('bascule.processed_messages'));
  CREATE SCHEMA IF NOT EXISTS bascule;
  CREATE TABLE IF NOT EXISTS bascule.processed_messages (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
  );
`;
