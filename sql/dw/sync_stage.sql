-- Staging tables of dw-etl run, one per "-- extract" section of
-- sql/oltp/sync_extract.sql, created as TEMPORARY inside the run's
-- transaction (no implicit commit) and loaded with LOAD DATA LOCAL.
-- Text compares exactly (utf8mb4_nopad_bin), as in the star schema.

-- stage customer
CREATE TEMPORARY TABLE stage_customer (
    customer_id VARCHAR(32) NOT NULL PRIMARY KEY, customer_name VARCHAR(200) NOT NULL,
    segment VARCHAR(50) NOT NULL, updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage product
CREATE TEMPORARY TABLE stage_product (
    product_id VARCHAR(32) NOT NULL PRIMARY KEY, product_name VARCHAR(500) NOT NULL,
    subcategory VARCHAR(50) NOT NULL, category VARCHAR(50) NOT NULL,
    updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage dates
CREATE TEMPORARY TABLE stage_dates (
    date_key INT NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage locations
CREATE TEMPORARY TABLE stage_locations (
    market VARCHAR(32) NOT NULL, region VARCHAR(64) NOT NULL, country VARCHAR(64) NOT NULL,
    state VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL, postal_code VARCHAR(16) NOT NULL,
    PRIMARY KEY (market, region, country, state, city, postal_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage sales
CREATE TEMPORARY TABLE stage_sales (
    order_id VARCHAR(32) NOT NULL, product_id VARCHAR(32) NOT NULL, row_id BIGINT NOT NULL,
    order_date_key INT NOT NULL, ship_date_key INT NOT NULL, customer_id VARCHAR(32) NOT NULL,
    market VARCHAR(32) NOT NULL, region VARCHAR(64) NOT NULL, country VARCHAR(64) NOT NULL,
    state VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL, postal_code VARCHAR(16) NOT NULL,
    ship_mode VARCHAR(20) NOT NULL, order_priority VARCHAR(10) NOT NULL, quantity INT NOT NULL,
    sales DECIMAL(14,4) NOT NULL, discount DECIMAL(6,4) NOT NULL, profit DECIMAL(14,4) NOT NULL,
    shipping_cost DECIMAL(14,4) NOT NULL,
    sales_key BIGINT NULL,   -- set by the merge when the line is already a fact
    PRIMARY KEY (order_id, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage returns
CREATE TEMPORARY TABLE stage_returns (
    order_id VARCHAR(32) NOT NULL PRIMARY KEY, return_region VARCHAR(64) NOT NULL,
    order_date_key INT NOT NULL, customer_id VARCHAR(32) NOT NULL,
    market VARCHAR(32) NOT NULL, region VARCHAR(64) NOT NULL, country VARCHAR(64) NOT NULL,
    state VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL, postal_code VARCHAR(16) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin

-- stage deleted
CREATE TEMPORARY TABLE stage_deleted (
    table_name VARCHAR(64) NOT NULL, key1 VARCHAR(200) NOT NULL, key2 VARCHAR(200) NOT NULL,
    KEY (table_name, key1, key2)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
