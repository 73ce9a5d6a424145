-- Warehouse schema version 8: the indexes dw-etl run takes off an empty
-- fact table for its first load and builds again from the loaded rows
-- (dw-etl(1), "The first load").  A row is written before its index is
-- dropped and deleted once the index is built again, so a run killed in
-- between leaves the row, and the next run builds the index first.
-- A control table: no role of dw-user(1) reads it, nor does dw-ask(1).

CREATE TABLE IF NOT EXISTS dw_etl_pending_index (
    table_name  VARCHAR(64) NOT NULL,
    index_name  VARCHAR(64) NOT NULL,
    definition  TEXT NOT NULL,          -- as SHOW CREATE TABLE writes it: KEY `name` (...)
    PRIMARY KEY (table_name, index_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
