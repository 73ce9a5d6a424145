-- What dw-validate diff compares on the warehouse side: the same sections,
-- columns and renderings as sql/oltp/diff.sql.  A fact whose dimension row
-- is missing shows NULL in that dimension's columns. {from_key} is the
-- first order date compared, as a date key (0: all).

-- diff sales order_line
SELECT CAST(f.order_date_key DIV 100 AS CHAR) AS part,
       CONCAT(f.order_id, CHAR(31 USING utf8mb4), f.product_id) AS k,
       CAST(f.row_id AS CHAR) AS row_id, CAST(f.order_date_key AS CHAR) AS order_date,
       CAST(f.ship_date_key AS CHAR) AS ship_date, c.customer_id, p.product_id AS product,
       l.market, l.region, l.country, l.state, l.city, l.postal_code, f.ship_mode, f.order_priority,
       CAST(f.quantity AS CHAR) AS quantity, CAST(f.sales AS CHAR) AS sales,
       CAST(f.discount AS CHAR) AS discount, CAST(f.profit AS CHAR) AS profit,
       CAST(f.shipping_cost AS CHAR) AS shipping_cost, CAST(f.returned AS CHAR) AS returned
FROM fact_sales f
LEFT JOIN dim_customer c ON c.customer_key = f.customer_key
LEFT JOIN dim_product p ON p.product_key = f.product_key
LEFT JOIN dim_location l ON l.location_key = f.location_key
WHERE f.order_date_key >= {from_key}

-- diff returns order_return
SELECT CAST(f.order_date_key DIV 100 AS CHAR) AS part, f.order_id AS k,
       CAST(f.order_date_key AS CHAR) AS order_date, c.customer_id, l.market, l.region,
       l.country, l.state, l.city, l.postal_code, f.region AS return_region
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
