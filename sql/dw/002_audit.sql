-- Warehouse schema version 2: the audit trail. One row per audited action
-- (every dw-ask question, answered or not). dw-audit reviews, verifies and
-- purges it; this table is only ever appended to by the tools.

CREATE TABLE IF NOT EXISTS dw_audit_event (
    event_id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at              DATETIME(6) NOT NULL,
    tool            VARCHAR(32) NOT NULL,                -- dw-ask, ...
    action          VARCHAR(32) NOT NULL,                -- question, report
    os_user         VARCHAR(128) NOT NULL,
    role            VARCHAR(64) NOT NULL,
    db_user         VARCHAR(128) NOT NULL,               -- warehouse account that ran the SQL
    question        TEXT,
    engine          VARCHAR(32),                         -- semantic, ollama, ..., report
    sql_text        MEDIUMTEXT,
    row_count       BIGINT,
    elapsed_ms      BIGINT NOT NULL,
    outcome         VARCHAR(16) NOT NULL,                -- answered, shown (--sql), declined, refused, failed
    detail          TEXT,
    KEY dw_audit_event_at (at),
    KEY dw_audit_event_user (os_user, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
