-- Warehouse schema version 3: text in the star schema compares exactly.
-- utf8mb4_bin is a PAD SPACE collation in MariaDB: 'P-1' and 'P-1 ', or the
-- cities 'Lyon' and 'Lyon ', were one key, so a fact vanished or pointed at
-- the wrong product. utf8mb4_nopad_bin compares every byte, trailing spaces
-- included, as PostgreSQL does. The staging tables (sync_stage.sql) use it
-- too. Converting keeps the rows (no two of them can collide under a
-- stricter collation); rows merged wrongly before cannot be told apart here,
-- so dw-etl(1) says to run `dw-etl run --full` once after this upgrade.
-- Every statement can run again if the upgrade is interrupted.

ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE dim_date CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE dim_customer CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE dim_product CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE dim_location CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE fact_sales CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE fact_return CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
