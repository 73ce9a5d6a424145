-- How dw-etl run merges the staging tables (sql/dw/sync_stage.sql) into the
-- star schema, inside the run's one transaction.  Each "-- step KIND TABLE"
-- starts one statement; its affected rows are reported as KIND (merged or
-- deleted) for TABLE.  @dw_full is 1 for `run --full`; @dw_fiscal_start is
-- etl.fiscal_year_start.  Dimensions first, then deletes, then facts.

-- step none dim_date
INSERT IGNORE INTO dim_date
SELECT k, d, YEAR(d), QUARTER(d), MONTH(d), MONTHNAME(d), WEEK(d, 3), DAY(d), WEEKDAY(d) + 1,
       DAYNAME(d), WEEKDAY(d) >= 5,
       YEAR(d) + (@dw_fiscal_start > 1 AND MONTH(d) >= @dw_fiscal_start),
       (MONTH(d) - @dw_fiscal_start + 12) % 12 DIV 3 + 1
FROM (SELECT date_key AS k, STR_TO_DATE(date_key, '%Y%m%d') AS d FROM stage_dates) x;

-- step merged customer
INSERT INTO dim_customer (customer_id, customer_name, segment, updated_at)
SELECT customer_id, customer_name, segment, updated_at FROM stage_customer
ON DUPLICATE KEY UPDATE customer_name = VALUES(customer_name), segment = VALUES(segment),
    updated_at = VALUES(updated_at);

-- step merged product
INSERT INTO dim_product (product_id, product_name, subcategory, category, updated_at)
SELECT product_id, product_name, subcategory, category, updated_at FROM stage_product
ON DUPLICATE KEY UPDATE product_name = VALUES(product_name), subcategory = VALUES(subcategory),
    category = VALUES(category), updated_at = VALUES(updated_at);

-- step none dim_location
INSERT INTO dim_location (market, region, country, state, city, postal_code)
SELECT STRAIGHT_JOIN s.market, s.region, s.country, s.state, s.city, s.postal_code
FROM stage_locations s
LEFT JOIN dim_location l ON l.market = s.market AND l.region = s.region
    AND l.country = s.country AND l.state = s.state AND l.city = s.city
    AND l.postal_code = s.postal_code
WHERE l.location_key IS NULL;

-- step deleted sales
DELETE f FROM fact_sales f
JOIN stage_deleted d ON d.table_name = 'order_line' AND d.key1 = f.order_id
    AND d.key2 = f.product_id;

-- step deleted returns
DELETE f FROM fact_return f
JOIN stage_deleted d ON d.table_name = 'order_return' AND d.key1 = f.order_id;

-- step deleted sales
DELETE f FROM fact_sales f
LEFT JOIN stage_sales s ON s.order_id = f.order_id AND s.product_id = f.product_id
WHERE @dw_full = 1 AND s.order_id IS NULL;

-- step deleted returns
DELETE f FROM fact_return f
LEFT JOIN stage_returns s ON s.order_id = f.order_id
WHERE @dw_full = 1 AND s.order_id IS NULL;

-- An order whose date changed moves to another partition: drop its facts
-- at each old date the OLTP recorded ('order_date' rows, its lines and
-- return staged again with the order), each found by its whole key in one
-- partition.
-- step none sales
DELETE f FROM stage_deleted d
STRAIGHT_JOIN stage_sales s ON s.order_id = d.key1
STRAIGHT_JOIN fact_sales f ON f.order_id = s.order_id AND f.product_id = s.product_id
    AND f.order_date_key = CAST(d.key2 AS SIGNED)
WHERE d.table_name = 'order_date' AND CAST(d.key2 AS SIGNED) <> s.order_date_key;

-- step none returns
DELETE f FROM stage_deleted d
STRAIGHT_JOIN stage_returns r ON r.order_id = d.key1
STRAIGHT_JOIN fact_return f ON f.order_id = r.order_id AND f.order_date_key = CAST(d.key2 AS SIGNED)
WHERE d.table_name = 'order_date' AND CAST(d.key2 AS SIGNED) <> r.order_date_key;

-- A full run also finds the moves no date was recorded for (made before
-- OLTP schema version 3), probing every partition for every line.
-- step none sales
DELETE f FROM fact_sales f
JOIN stage_sales s ON s.order_id = f.order_id AND s.product_id = f.product_id
WHERE @dw_full = 1 AND f.order_date_key <> s.order_date_key;

-- step none returns
DELETE f FROM fact_return f
JOIN stage_returns s ON s.order_id = f.order_id
WHERE @dw_full = 1 AND f.order_date_key <> s.order_date_key;

-- step merged returns
INSERT INTO fact_return (order_id, order_date_key, customer_key, location_key, region)
SELECT STRAIGHT_JOIN r.order_id, r.order_date_key, c.customer_key, l.location_key,
    r.return_region
FROM stage_returns r
JOIN dim_customer c ON c.customer_id = r.customer_id
JOIN dim_location l ON l.market = r.market AND l.region = r.region AND l.country = r.country
    AND l.state = r.state AND l.city = r.city AND l.postal_code = r.postal_code
ON DUPLICATE KEY UPDATE customer_key = VALUES(customer_key),
    location_key = VALUES(location_key), region = VALUES(region);

-- Lines already in the warehouse are updated in place and new ones
-- inserted: on a partitioned table this is much faster than
-- INSERT ... ON DUPLICATE KEY UPDATE, and marking the staged rows first
-- keeps the INSERT from reading the table it writes.  The join order is
-- fixed: right after a first sync the dimensions' statistics still say
-- they are empty, and a plan that scans them first takes minutes.
-- Into an empty fact table (a first load) every line is new: the two
-- updates are not run at all.
-- step none sales
SET @dw_had_sales = EXISTS (SELECT 1 FROM fact_sales);

-- step none sales
UPDATE stage_sales s
STRAIGHT_JOIN fact_sales f ON f.order_id = s.order_id AND f.product_id = s.product_id
    AND f.order_date_key = s.order_date_key
SET s.sales_key = f.sales_key
WHERE @dw_had_sales;

-- step merged sales
UPDATE stage_sales s
STRAIGHT_JOIN fact_sales f ON f.sales_key = s.sales_key AND f.order_date_key = s.order_date_key
STRAIGHT_JOIN dim_customer c ON c.customer_id = s.customer_id
STRAIGHT_JOIN dim_product p ON p.product_id = s.product_id
STRAIGHT_JOIN dim_location l ON l.market = s.market AND l.region = s.region AND l.country = s.country
    AND l.state = s.state AND l.city = s.city AND l.postal_code = s.postal_code
LEFT JOIN fact_return r ON r.order_id = s.order_id AND r.order_date_key = s.order_date_key
SET f.row_id = s.row_id, f.ship_date_key = s.ship_date_key, f.customer_key = c.customer_key,
    f.product_key = p.product_key, f.location_key = l.location_key, f.ship_mode = s.ship_mode,
    f.order_priority = s.order_priority, f.quantity = s.quantity, f.sales = s.sales,
    f.discount = s.discount, f.profit = s.profit, f.shipping_cost = s.shipping_cost,
    f.returned = r.order_id IS NOT NULL
WHERE @dw_had_sales;

-- step merged sales
INSERT INTO fact_sales (order_id, product_id, row_id, order_date_key, ship_date_key,
    customer_key, product_key, location_key, ship_mode, order_priority, quantity, sales,
    discount, profit, shipping_cost, returned)
SELECT STRAIGHT_JOIN s.order_id, s.product_id, s.row_id, s.order_date_key, s.ship_date_key,
    c.customer_key, p.product_key, l.location_key, s.ship_mode, s.order_priority,
    s.quantity, s.sales, s.discount, s.profit, s.shipping_cost, r.order_id IS NOT NULL
FROM stage_sales s
JOIN dim_customer c ON c.customer_id = s.customer_id
JOIN dim_product p ON p.product_id = s.product_id
JOIN dim_location l ON l.market = s.market AND l.region = s.region AND l.country = s.country
    AND l.state = s.state AND l.city = s.city AND l.postal_code = s.postal_code
LEFT JOIN fact_return r ON r.order_id = s.order_id AND r.order_date_key = s.order_date_key
WHERE s.sales_key IS NULL;

-- A return that arrives after its sale, or goes away, flips the flag.
-- step none sales
UPDATE stage_returns r
STRAIGHT_JOIN fact_sales f ON f.order_id = r.order_id AND f.order_date_key = r.order_date_key
SET f.returned = TRUE
WHERE @dw_full = 0 AND NOT f.returned;

-- step none sales
UPDATE fact_sales f
JOIN stage_deleted d ON d.table_name = 'order_return' AND d.key1 = f.order_id
SET f.returned = FALSE;

-- step deleted customer
DELETE c FROM dim_customer c
JOIN stage_deleted d ON d.table_name = 'customer' AND d.key1 = c.customer_id;

-- step deleted product
DELETE p FROM dim_product p
JOIN stage_deleted d ON d.table_name = 'product' AND d.key1 = p.product_id;

-- After the merge: every staged row must have reached its fact table (a
-- missing dimension row would drop it silently).  Each "-- check" query
-- must count 0.
-- check sales
SELECT count(*) FROM stage_sales s
LEFT JOIN fact_sales f ON f.order_id = s.order_id AND f.product_id = s.product_id
    AND f.order_date_key = s.order_date_key
WHERE f.sales_key IS NULL;

-- check returns
SELECT count(*) FROM stage_returns s
LEFT JOIN fact_return f ON f.order_id = s.order_id AND f.order_date_key = s.order_date_key
WHERE f.return_key IS NULL;

-- A first load (sql/oltp/sync_first.sql): its statement, after the merge,
-- and the dimension keys it hands to its extraction, natural key columns
-- then the surrogate key.
-- load sales
LOAD DATA LOCAL INFILE 'dw-stream' INTO TABLE fact_sales CHARACTER SET utf8mb4
(order_id, product_id, row_id, order_date_key, ship_date_key, customer_key, product_key,
 location_key, ship_mode, order_priority, quantity, sales, discount, profit, shipping_cost,
 returned);

-- keys customers
SELECT customer_id, customer_key FROM dim_customer;

-- keys products
SELECT product_id, product_key FROM dim_product;

-- keys locations
SELECT market, region, country, state, city, postal_code, location_key FROM dim_location;
