-- Warehouse schema version 5: the audit trail becomes a hash chain
-- (dw-audit(1)). Each event has a sequence number seq, the hash of the
-- event before it (prev_hash) and its own hash:
--   hash = SHA-256(prev_hash || canonical encoding of the event), in hex,
-- the first prev_hash being 64 zeros. The canonical encoding is, for each
-- field in the order of dw_audit_canonical's arguments, "~," for NULL and
-- otherwise its byte length in decimal, ":", its UTF-8 bytes and ","; seq,
-- row_count and elapsed_ms as decimal numbers, at as
-- 'YYYY-MM-DD HH:MM:SS.ffffff'. The trigger appends every insert to the
-- chain under a lock on its head (dw_audit_head), whoever inserts, so that
-- concurrent writers make one chain with no gaps.
-- Every statement can run again if the upgrade is interrupted.

ALTER TABLE dw_audit_event
    ADD COLUMN IF NOT EXISTS seq BIGINT NULL,
    ADD COLUMN IF NOT EXISTS prev_hash CHAR(64) NULL,
    ADD COLUMN IF NOT EXISTS hash CHAR(64) NULL,
    ADD UNIQUE KEY IF NOT EXISTS dw_audit_event_seq (seq);

CREATE TABLE IF NOT EXISTS dw_audit_head (
    id              TINYINT NOT NULL PRIMARY KEY,
    seq             BIGINT NOT NULL,
    hash            CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO dw_audit_head (id, seq, hash) VALUES (1, 0, REPEAT('0', 64));

CREATE OR REPLACE FUNCTION dw_audit_canonical(
    p_seq BIGINT, p_at DATETIME(6), p_tool VARCHAR(32), p_action VARCHAR(32),
    p_os_user VARCHAR(128), p_role VARCHAR(64), p_db_user VARCHAR(128), p_question TEXT,
    p_engine VARCHAR(32), p_sql MEDIUMTEXT, p_rows BIGINT, p_elapsed BIGINT,
    p_outcome VARCHAR(16), p_detail TEXT)
RETURNS LONGTEXT CHARACTER SET utf8mb4 DETERMINISTIC NO SQL
RETURN CONCAT(
    IFNULL(CONCAT(LENGTH(p_seq), ':', p_seq), '~'), ',',
    IFNULL(CONCAT(LENGTH(DATE_FORMAT(p_at, '%Y-%m-%d %H:%i:%s.%f')), ':',
                  DATE_FORMAT(p_at, '%Y-%m-%d %H:%i:%s.%f')), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_tool), ':', p_tool), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_action), ':', p_action), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_os_user), ':', p_os_user), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_role), ':', p_role), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_db_user), ':', p_db_user), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_question), ':', p_question), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_engine), ':', p_engine), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_sql), ':', p_sql), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_rows), ':', p_rows), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_elapsed), ':', p_elapsed), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_outcome), ':', p_outcome), '~'), ',',
    IFNULL(CONCAT(LENGTH(p_detail), ':', p_detail), '~'), ',');

-- The events written before the chain, chained in the order they came
-- (bytes hashed: no collation comes into it).
SET @dw_h = (SELECT hash FROM dw_audit_head WHERE id = 1),
    @dw_s = (SELECT seq FROM dw_audit_head WHERE id = 1),
    @dw_audit_purge = 1;
UPDATE dw_audit_event
   SET seq = (@dw_s := @dw_s + 1),
       prev_hash = @dw_h,
       hash = (@dw_h := SHA2(CONCAT(CAST(@dw_h AS BINARY), CAST(dw_audit_canonical(seq, at,
               tool, action, os_user, role, db_user, question, engine, sql_text, row_count,
               elapsed_ms, outcome, detail) AS BINARY)), 256))
 WHERE seq IS NULL ORDER BY event_id;
UPDATE dw_audit_head SET seq = @dw_s, hash = @dw_h WHERE id = 1;
SET @dw_audit_purge = NULL;

CREATE OR REPLACE TRIGGER dw_audit_chain BEFORE INSERT ON dw_audit_event FOR EACH ROW
BEGIN
    DECLARE s BIGINT;
    DECLARE h CHAR(64);
    SELECT seq, hash INTO s, h FROM dw_audit_head WHERE id = 1 FOR UPDATE;
    SET NEW.seq = s + 1, NEW.prev_hash = h;
    SET NEW.hash = SHA2(CONCAT(CAST(h AS BINARY), CAST(dw_audit_canonical(NEW.seq, NEW.at,
        NEW.tool, NEW.action, NEW.os_user, NEW.role, NEW.db_user, NEW.question, NEW.engine,
        NEW.sql_text, NEW.row_count, NEW.elapsed_ms, NEW.outcome, NEW.detail) AS BINARY)), 256);
    UPDATE dw_audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END;

-- Append-only: an UPDATE or DELETE of an event is refused, but on the
-- purge path of dw-audit, which sets @dw_audit_purge = 1 in its session.
-- The accounts of the tools hold INSERT only, so this guards against
-- accounts that may do more; the chain shows whatever gets past it.
CREATE OR REPLACE TRIGGER dw_audit_no_update BEFORE UPDATE ON dw_audit_event FOR EACH ROW
BEGIN
    IF IFNULL(@dw_audit_purge, 0) <> 1 THEN
        SIGNAL SQLSTATE '45000'
            SET MESSAGE_TEXT = 'dw_audit_event is append-only: events are never changed';
    END IF;
END;

CREATE OR REPLACE TRIGGER dw_audit_no_delete BEFORE DELETE ON dw_audit_event FOR EACH ROW
BEGIN
    IF IFNULL(@dw_audit_purge, 0) <> 1 THEN
        SIGNAL SQLSTATE '45000'
            SET MESSAGE_TEXT = 'dw_audit_event is append-only: only dw-audit purge removes events';
    END IF;
END;
