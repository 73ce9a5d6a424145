-- Warehouse schema (MariaDB/MySQL), version 1: the Superstore star schema
-- and the dw_ control tables. Facts are range-partitioned by month of order
-- date: created here with a catch-all for older rows (its bound is where the
-- months begin) and one for later rows; dw-etl init then makes the months
-- through the planner of dw-partition (lib/partplan.c), which adds and
-- retires them afterwards. Partitioned InnoDB tables cannot have foreign
-- keys, so dw-validate checks referential integrity.

CREATE TABLE IF NOT EXISTS dim_date (
    date_key        INT NOT NULL PRIMARY KEY,            -- YYYYMMDD
    full_date       DATE NOT NULL UNIQUE,
    year            SMALLINT NOT NULL,
    quarter         TINYINT NOT NULL,
    month           TINYINT NOT NULL,
    month_name      VARCHAR(9) NOT NULL,
    week            TINYINT NOT NULL,                    -- ISO 8601 week
    day_of_month    TINYINT NOT NULL,
    day_of_week     TINYINT NOT NULL,                    -- 1 = Monday .. 7 = Sunday
    day_name        VARCHAR(9) NOT NULL,
    is_weekend      BOOLEAN NOT NULL,
    fiscal_year     SMALLINT NOT NULL,
    fiscal_quarter  TINYINT NOT NULL,
    KEY dim_date_year_month (year, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS dim_customer (
    customer_key    INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id     VARCHAR(32) NOT NULL,
    customer_name   VARCHAR(200) NOT NULL,
    segment         VARCHAR(50) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    UNIQUE KEY dim_customer_nk (customer_id),
    KEY dim_customer_segment (segment)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS dim_product (
    product_key     INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    product_id      VARCHAR(32) NOT NULL,
    product_name    VARCHAR(500) NOT NULL,
    subcategory     VARCHAR(50) NOT NULL,
    category        VARCHAR(50) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    UNIQUE KEY dim_product_nk (product_id),
    KEY dim_product_hierarchy (category, subcategory)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS dim_location (
    location_key    INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    market          VARCHAR(32) NOT NULL,
    region          VARCHAR(64) NOT NULL,
    country         VARCHAR(64) NOT NULL,
    state           VARCHAR(100) NOT NULL,
    city            VARCHAR(100) NOT NULL,
    postal_code     VARCHAR(16) NOT NULL DEFAULT '',
    UNIQUE KEY dim_location_nk (market, region, country, state, city, postal_code),
    KEY dim_location_country (country)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fact_sales (
    sales_key       BIGINT NOT NULL AUTO_INCREMENT,
    order_id        VARCHAR(32) NOT NULL,
    product_id      VARCHAR(32) NOT NULL,
    row_id          BIGINT NOT NULL,
    order_date_key  INT NOT NULL,
    ship_date_key   INT NOT NULL,
    customer_key    INT NOT NULL,
    product_key     INT NOT NULL,
    location_key    INT NOT NULL,
    ship_mode       VARCHAR(20) NOT NULL,
    order_priority  VARCHAR(10) NOT NULL,
    quantity        INT NOT NULL,
    sales           DECIMAL(14,4) NOT NULL,
    discount        DECIMAL(6,4) NOT NULL,
    profit          DECIMAL(14,4) NOT NULL,
    shipping_cost   DECIMAL(14,4) NOT NULL,
    returned        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (sales_key, order_date_key),
    UNIQUE KEY fact_sales_nk (order_id, product_id, order_date_key),
    KEY fact_sales_customer (customer_key),
    KEY fact_sales_product (product_key),
    KEY fact_sales_location (location_key),
    KEY fact_sales_ship_date (ship_date_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
PARTITION BY RANGE (order_date_key) (
    PARTITION p_before VALUES LESS THAN (20110101),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);

CREATE TABLE IF NOT EXISTS fact_return (
    return_key      BIGINT NOT NULL AUTO_INCREMENT,
    order_id        VARCHAR(32) NOT NULL,
    order_date_key  INT NOT NULL,
    customer_key    INT NOT NULL,
    location_key    INT NOT NULL,
    region          VARCHAR(64) NOT NULL,
    PRIMARY KEY (return_key, order_date_key),
    UNIQUE KEY fact_return_nk (order_id, order_date_key),
    KEY fact_return_customer (customer_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
PARTITION BY RANGE (order_date_key) (
    PARTITION p_before VALUES LESS THAN (20110101),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);

-- One row per dw-etl run: outcome, per-table counts (JSON) and error.
CREATE TABLE IF NOT EXISTS dw_etl_run (
    run_id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    started_at      DATETIME(6) NOT NULL,
    finished_at     DATETIME(6),
    mode            VARCHAR(16) NOT NULL,                -- incremental, full
    status          VARCHAR(16) NOT NULL,                -- running, ok, failed
    watermark       DATETIME(6),
    counts          TEXT,
    error           TEXT,
    KEY dw_etl_run_started (started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Per source table: every change stamped before watermark has been merged.
CREATE TABLE IF NOT EXISTS dw_etl_watermark (
    table_name      VARCHAR(64) NOT NULL PRIMARY KEY,
    watermark       DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
