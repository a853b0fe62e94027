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
  `CREATE OR REPLACE FUNCTION bascule.chain_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
  `CREATE OR REPLACE TRIGGER events_reject_update_delete BEFORE UPDATE OR DELETE ON bascule.events
     FOR EACH ROW EXECUTE FUNCTION bascule.reject_event_change()`,
  `CREATE OR REPLACE TRIGGER events_reject_truncate BEFORE TRUNCATE ON bascule.events
     FOR EACH STATEMENT EXECUTE FUNCTION bascule.reject_event_change()`,
  // ALWAYS: fires even under session_replication_role = replica, which skips ordinary triggers.
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_chain`,
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_reject_update_delete`,
  `ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER events_reject_truncate`,
  `CREATE TABLE IF NOT EXISTS bascule.checkpoints (
     subscriber_id   text        PRIMARY KEY,
     transaction_id  xid8        NOT NULL,
     global_position bigint      NOT NULL,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,
];
