-- Warehouse schema version 6: the history of dw-validate(1). Each
-- `dw-validate run` is a row of dw_check_run, and each check it ran a row
-- of dw_check_result, written in one transaction at the end of the run;
-- `dw-validate history` reads them back. Control tables, like the other
-- dw_ tables: no role of dw-user(1) reads them, nor does dw-ask(1).

CREATE TABLE IF NOT EXISTS dw_check_run (
    run_id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    started_at      DATETIME NOT NULL,                   -- UTC
    checks_file     VARCHAR(1024) NOT NULL,
    KEY dw_check_run_started (started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS dw_check_result (
    run_id          BIGINT NOT NULL,
    check_name      VARCHAR(128) NOT NULL,
    database_name   VARCHAR(16) NOT NULL,                -- oltp, warehouse
    outcome         VARCHAR(8) NOT NULL,                 -- pass, warn, fail, error
    failing         BIGINT,                              -- NULL when it could not run
    total           BIGINT,                              -- the table's rows, when counted
    seconds         DOUBLE NOT NULL,
    PRIMARY KEY (run_id, check_name),
    KEY dw_check_result_check (check_name, run_id),
    CONSTRAINT dw_check_result_run FOREIGN KEY (run_id) REFERENCES dw_check_run (run_id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
