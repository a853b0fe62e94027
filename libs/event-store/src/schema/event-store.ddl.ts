/**
 * DDL of the event store, every statement idempotent so each service can run it on start.
 * Runs under one advisory lock (see ensure-event-store-schema.ts): concurrent `CREATE ... IF NOT
 * EXISTS` is otherwise racy in Postgres (two sessions both see "absent" and one fails on the catalog
 * unique index).
 */
export const EVENT_STORE_SCHEMA = 'bascule';

/** SQLSTATE raised by the append-only triggers: "bascule" class, stable for callers to match. */
export const APPEND_ONLY_SQLSTATE = 'BSC01';

/** SQLSTATE of an insert whose previous stream version does not exist (a version gap). */
export const CHAIN_GAP_SQLSTATE = 'BSC02';

export const EVENT_STORE_DDL: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS bascule`,
  // transaction_id: the writer's xid, taken at insert. Readers that follow the global order read only
  // below the oldest running xid, so an event whose position was taken early but committed late is
  // never skipped (see read/read-all.ts).
  `CREATE TABLE IF NOT EXISTS bascule.events (
     global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
     stream_id       text        NOT NULL CHECK (stream_id <> ''),
     stream_version  int         NOT NULL CHECK (stream_version > 0),
     event_id        uuid        NOT NULL,
     type            text        NOT NULL,
     data            jsonb       NOT NULL,
     metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
     recorded_at     timestamptz NOT NULL DEFAULT now(),
     content_hash    bytea       NOT NULL,
     previous_hash   bytea,
     hash            bytea       NOT NULL,
     CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
     CONSTRAINT events_event_id_key UNIQUE (event_id)
   )`,
  `CREATE INDEX IF NOT EXISTS events_commit_order_idx ON bascule.events (transaction_id, global_position)`,
  // The database links the chain, so no writer can get it wrong: previous_hash is the hash of the
  // stream's previous version (committed, or written earlier by this same INSERT: a row-level
  // BEFORE trigger sees the rows its statement already inserted), hash = sha256(previous || content || version).
  // enable_seqscan = off: the previous-hash lookup is planned once per connection and cached (see
  // append_events below); an append that inserts directly, outside append_events, must not inherit a
  // sequential scan planned while the log was tiny.
  `CREATE OR REPLACE FUNCTION bascule.chain_event() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
   BEGIN
     NEW.previous_hash := NULL;
     IF NEW.stream_version > 1 THEN
       SELECT e.hash INTO NEW.previous_hash FROM bascule.events AS e
        WHERE e.stream_id = NEW.stream_id AND e.stream_version = NEW.stream_version - 1;
       IF NEW.previous_hash IS NULL THEN
         RAISE EXCEPTION 'stream % has no version % to chain version % to', NEW.stream_id, NEW.stream_version - 1, NEW.stream_version
           USING ERRCODE = '${CHAIN_GAP_SQLSTATE}';
       END IF;
     END IF;
     NEW.hash := sha256(coalesce(NEW.previous_hash, ''::bytea) || NEW.content_hash || convert_to(NEW.stream_version::text, 'UTF8'));
     RETURN NEW;
   END
   $fn$`,
  `CREATE OR REPLACE TRIGGER events_chain BEFORE INSERT ON bascule.events
     FOR EACH ROW EXECUTE FUNCTION bascule.chain_event()`,
  `CREATE OR REPLACE FUNCTION bascule.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     RAISE EXCEPTION 'bascule.events is append-only: % is not allowed', TG_OP
       USING ERRCODE = '${APPEND_ONLY_SQLSTATE}',
             HINT = 'correct a fact by appending a compensating event';
   END
   $fn$`,
  // Statement level: refused even when no row matches (a row-level trigger let `DELETE FROM
  // bascule.events` through on an empty log, and any WHERE that matched nothing).
  `DROP TRIGGER IF EXISTS events_reject_update_delete ON bascule.events`,
  `CREATE OR REPLACE TRIGGER events_reject_update_delete_statement BEFORE UPDATE OR DELETE ON bascule.events
     FOR EACH STATEMENT EXECUTE FUNCTION bascule.reject_event_change()`,
  `CREATE OR REPLACE TRIGGER events_reject_truncate BEFORE TRUNCATE ON bascule.events
     FOR EACH STATEMENT EXECUTE FUNCTION bascule.reject_event_change()`,
  // ALWAYS: fires even under session_replication_role = replica, which skips ordinary triggers.
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_chain`,
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_reject_update_delete_statement`,
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_reject_truncate`,
  // One append = one call of this function = one round trip and one statement to parse (none, once the
  // client has prepared the call). Inserts nothing, and says why, when the stream is not at the expected
  // version or an event id is already stored. The ids are looked up only with p_check_ids or when the version
  // does not match (a retried append): otherwise a stored id surfaces as a unique violation on
  // events_event_id_key, and the pool path re-runs with the check, so the common case pays no id lookup.
  // A concurrent writer that read the same head gets a unique violation on (stream_id, stream_version).
  // The chain is still linked by the events_chain trigger.
  // enable_seqscan = off: plpgsql caches generic plans per connection; one built while the table was nearly
  // empty kept sequential scans for the head and id lookups as the log grew (measured ~2 ms of server CPU per
  // append instead of ~0.25 ms, until autovacuum's ANALYZE happened to invalidate it). Every lookup here has
  // an index, so forbidding the scan is never worse.
  // Its signature is fixed (CREATE OR REPLACE cannot change OUT parameters): a new shape needs a new name.
  `CREATE OR REPLACE FUNCTION bascule.append_events(
     p_stream_id text, p_expected text, p_expected_version int, p_check_ids boolean,
     p_event_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_content_hashes bytea[],
     OUT head_version int, OUT stored_id_seen boolean, OUT global_positions bigint[])
   LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
   DECLARE
     version_matches boolean;
   BEGIN
     SELECT e.stream_version INTO head_version FROM bascule.events AS e
      WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1;
     head_version := coalesce(head_version, 0);
     version_matches := CASE p_expected WHEN 'any' THEN true
                                        WHEN 'no_stream' THEN head_version = 0
                                        WHEN 'stream_exists' THEN head_version > 0
                                        ELSE head_version = p_expected_version END;
     -- A retried append usually also misses the version it once matched: look for its ids then too.
     stored_id_seen := false;
     IF p_check_ids OR NOT version_matches THEN
       stored_id_seen := EXISTS (SELECT 1 FROM bascule.events AS e WHERE e.event_id = ANY (p_event_ids));
     END IF;
     IF stored_id_seen OR NOT version_matches THEN
       RETURN;
     END IF;
     WITH inserted AS (
       INSERT INTO bascule.events (stream_id, stream_version, event_id, type, data, metadata, content_hash)
       SELECT p_stream_id, head_version + b.n, b.e, b.t, b.d, b.m, b.c
         FROM unnest(p_event_ids, p_types, p_data, p_metadata, p_content_hashes) WITH ORDINALITY AS b(e, t, d, m, c, n)
        ORDER BY b.n
       RETURNING global_position, stream_version
     )
     SELECT array_agg(inserted.global_position ORDER BY inserted.stream_version) INTO global_positions FROM inserted;
   END
   $fn$`,
  // The outbox relay's checkpoint: every position at or below it is published or proven never to
  // commit (see relay/relay-frontier.ts). Positions draw from the identity sequence one at a time
  // (CACHE 1, Postgres' default, kept): a position drawn later is always higher.
  `DO $do$ BEGIN
     IF (SELECT seqcache FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('bascule.events', 'global_position')::regclass) <> 1 THEN
       ALTER TABLE bascule.events ALTER COLUMN global_position SET CACHE 1;
     END IF;
   END $do$`,
  `CREATE TABLE IF NOT EXISTS bascule.relay_checkpoints (
     relay_id        text        PRIMARY KEY,
     global_position bigint      NOT NULL,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS bascule.checkpoints (
     subscriber_id   text        PRIMARY KEY,
     transaction_id  xid8        NOT NULL,
     global_position bigint      NOT NULL,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,
  // Which DDL the schema was last brought to (see ensure-event-store-schema.ts).
  `CREATE TABLE IF NOT EXISTS bascule.store_schema (
     singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
     ddl_digest text        NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now()
   )`,
];
