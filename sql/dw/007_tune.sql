-- Warehouse schema version 7: the workload dw-tune(1) watches. Each
-- `dw-tune collect` is a row of dw_tune_snapshot; per statement digest of
-- performance_schema a row of dw_tune_stat holds the server's cumulative
-- counters and their change since the snapshot before (d_*), so any window
-- is a sum; per index its reads, per table its rows and sizes. Control
-- tables: no role of dw-user(1) reads them, nor does dw-ask(1).

CREATE TABLE IF NOT EXISTS dw_tune_snapshot (
    snap_id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    taken_at        DATETIME(6) NOT NULL,                -- UTC
    uptime_s        BIGINT NOT NULL,                     -- the server's, to see restarts
    seconds         DOUBLE NOT NULL,                     -- what the snapshot cost
    digests_lost    BIGINT NOT NULL DEFAULT 0,           -- the server's, when its table is full
    KEY dw_tune_snapshot_at (taken_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One row per digest ever seen: its normalised text and one example.
CREATE TABLE IF NOT EXISTS dw_tune_digest (
    schema_name     VARCHAR(64) NOT NULL,
    digest          VARCHAR(64) NOT NULL,
    digest_text     MEDIUMTEXT,
    example         MEDIUMTEXT,
    first_seen      DATETIME(6) NOT NULL,
    last_seen       DATETIME(6) NOT NULL,
    PRIMARY KEY (schema_name, digest)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The table that grows with every snapshot is partitioned by month of its
-- day, like the facts: dw-partition(1) keeps the months ahead and, with a
-- retention in the policy, retires old ones.
CREATE TABLE IF NOT EXISTS dw_tune_stat (
    snap_id         BIGINT NOT NULL,
    snap_day        INT NOT NULL,                        -- YYYYMMDD (UTC) of the snapshot
    schema_name     VARCHAR(64) NOT NULL,
    digest          VARCHAR(64) NOT NULL,
    calls           BIGINT NOT NULL,                     -- cumulative, as the server counts
    total_us        BIGINT NOT NULL,
    max_us          BIGINT NOT NULL,                     -- since the server's counters began
    rows_examined   BIGINT NOT NULL,
    rows_sent       BIGINT NOT NULL,
    full_scans      BIGINT NOT NULL,                     -- no index, or no good index, used
    tmp_tables      BIGINT NOT NULL,
    d_calls         BIGINT NOT NULL,                     -- since the snapshot before
    d_total_us      BIGINT NOT NULL,
    d_rows_examined BIGINT NOT NULL,
    d_rows_sent     BIGINT NOT NULL,
    d_full_scans    BIGINT NOT NULL,
    d_tmp_tables    BIGINT NOT NULL,
    PRIMARY KEY (snap_id, schema_name, digest, snap_day),
    KEY dw_tune_stat_digest (schema_name, digest, snap_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
PARTITION BY RANGE (snap_day) (
    PARTITION p_before VALUES LESS THAN (20260101),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);

-- Which dw-ask question caused which digest: the audit event of each query
-- whose statement the snapshot found in the server's history, by the trace
-- the query names in a comment and its event keeps (dw-ask(1), AUDIT).
CREATE TABLE IF NOT EXISTS dw_tune_asked (
    event_id        BIGINT NOT NULL PRIMARY KEY,         -- dw_audit_event's
    schema_name     VARCHAR(64) NOT NULL,
    digest          VARCHAR(64) NOT NULL,
    snap_id         BIGINT NOT NULL,                     -- the snapshot that found it
    KEY dw_tune_asked_digest (schema_name, digest, snap_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Every dw-tune try: the index built, the digests' examples timed before
-- and after it, and what was decided; revert marks a kept one reverted.
CREATE TABLE IF NOT EXISTS dw_tune_trial (
    trial_id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    advice_id       CHAR(8) NOT NULL,
    action          VARCHAR(8) NOT NULL,                 -- create, drop
    table_name      VARCHAR(64) NOT NULL,
    index_name      VARCHAR(64) NOT NULL,
    columns         VARCHAR(1024) NOT NULL,              -- a,b(10): prefix lengths
    started_at      DATETIME(6) NOT NULL,                -- UTC
    queries         INT NOT NULL,                        -- examples timed
    runs            INT NOT NULL,                        -- each, before and after
    before_ms       DOUBLE NOT NULL,                     -- sum of the medians
    after_ms        DOUBLE NOT NULL,
    worst_pct       DOUBLE NOT NULL,                     -- the largest example's change
    build_s         DOUBLE NOT NULL,                     -- the change took
    merge_rows      BIGINT NOT NULL,                     -- rows the merge rewrote
    merge_before_ms DOUBLE NOT NULL,                     -- its median
    merge_after_ms  DOUBLE NOT NULL,
    decision        VARCHAR(16) NOT NULL,                -- kept, dropped, restored, reverted
    KEY dw_tune_trial_advice (advice_id, trial_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- dw-tune predict --save: a statement's time (ms) as a sum of costs of its
-- plan, for dw-ask.
CREATE TABLE IF NOT EXISTS dw_tune_model (
    model_id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    fitted_at       DATETIME(6) NOT NULL,                -- UTC
    statements      INT NOT NULL,                        -- fitted on
    loo_r2          DOUBLE NOT NULL,                     -- leave-one-out R-squared
    loo_sd          DOUBLE NOT NULL,                     -- their errors' spread, log ms
    b0              DOUBLE NOT NULL,                     -- ms a statement
    b1              DOUBLE NOT NULL,                     -- ms a row scanned
    b2              DOUBLE NOT NULL,                     -- ms a row read through an index
    b3              DOUBLE NOT NULL,                     -- ms an index descent
    b4              DOUBLE NOT NULL,                     -- ms one after an unknown filter
    b5              DOUBLE NOT NULL                      -- ms a row sorted
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS dw_tune_index (
    snap_id         BIGINT NOT NULL,
    table_name      VARCHAR(64) NOT NULL,
    index_name      VARCHAR(64) NOT NULL,
    read_count      BIGINT NOT NULL,                     -- cumulative
    d_read_count    BIGINT NOT NULL,
    PRIMARY KEY (snap_id, table_name, index_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS dw_tune_table (
    snap_id         BIGINT NOT NULL,
    table_name      VARCHAR(64) NOT NULL,
    table_rows      BIGINT NOT NULL,                     -- the server's estimate
    data_bytes      BIGINT NOT NULL,
    index_bytes     BIGINT NOT NULL,
    PRIMARY KEY (snap_id, table_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
