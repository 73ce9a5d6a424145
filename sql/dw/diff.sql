-- What dw-validate diff compares on the warehouse side: the same sections,
-- columns and renderings as sql/oltp/diff.sql.  A fact whose dimension row
-- is missing shows NULL in that dimension's columns. {from_key} is the
-- first order date compared, as a date key (0: all).  Numbers are selected
-- as they are: MariaDB renders them as text the way CAST(... AS CHAR)
-- would, in the hash and to the client alike, at less cost.

-- The products are read once into an in-memory table (DISTINCT keeps
-- MariaDB from merging it into the join): a hash lookup per fact costs
-- less than an index lookup into InnoDB, 0.45 s less at 1M facts.  The
-- customer and location need none: the lines of an order are neighbours,
-- and MariaDB reuses the row it looked up for the line before.  Past
-- max_heap_table_size the table would go to disk, which costs more than
-- the lookups it saves; dw-validate raises it to 256 MB for its session
-- (the default 16 MB holds some 100,000 products).
-- diff sales order_line
SELECT f.order_date_key DIV 100 AS part,
       CONCAT(f.order_id, CHAR(31 USING utf8mb4), f.product_id) AS k,
       f.row_id, f.order_date_key AS order_date, f.ship_date_key AS ship_date, c.customer_id,
       p.product_id AS product, l.market, l.region, l.country, l.state, l.city, l.postal_code,
       f.ship_mode, f.order_priority, f.quantity, f.sales, f.discount, f.profit,
       f.shipping_cost, f.returned
FROM fact_sales f
LEFT JOIN dim_customer c ON c.customer_key = f.customer_key
LEFT JOIN (SELECT DISTINCT product_key, product_id FROM dim_product) p
    ON p.product_key = f.product_key
LEFT JOIN dim_location l ON l.location_key = f.location_key
WHERE f.order_date_key >= {from_key}

-- diff returns order_return
SELECT f.order_date_key DIV 100 AS part, f.order_id AS k, f.order_date_key AS order_date,
       c.customer_id, l.market, l.region, l.country, l.state, l.city, l.postal_code,
       f.region AS return_region
FROM fact_return f
LEFT JOIN dim_customer c ON c.customer_key = f.customer_key
LEFT JOIN dim_location l ON l.location_key = f.location_key
WHERE f.order_date_key >= {from_key}

-- diff customer customer
SELECT '' AS part, customer_id AS k, customer_name, segment FROM dim_customer

-- diff product product
SELECT '' AS part, product_id AS k, product_name, subcategory, category FROM dim_product

-- diff location -
SELECT '' AS part,
       CONCAT_WS(CHAR(31 USING utf8mb4), market, region, country, state, city, postal_code) AS k
FROM dim_location
JOIN (SELECT location_key FROM fact_sales WHERE order_date_key >= {from_key}
      UNION SELECT location_key FROM fact_return WHERE order_date_key >= {from_key}) used
    USING (location_key)
