-- What dw-validate diff compares on the OLTP side: each "-- diff NAME
-- TOMBSTONE" section selects the rows of one warehouse table as the OLTP
-- says they should be (sql/dw/diff.sql selects them as the warehouse has
-- them, with the same columns in the same order).  Every column is text:
--   part  the range the first checksums group by (the order's month for
--         facts, '' for dimensions),
--   k     the key, its parts joined by U+001F,
--   then each compared column, rendered as both sides render it (numbers
--   at the warehouse's scale, dates as YYYYMMDD, flags as 0 or 1).
-- TOMBSTONE is the dw_tombstone table name a repair deletes the row as.
-- {from_date} is the first order date compared (YYYY-MM-DD): with a
-- retention in the partition policy, the older facts are archived and not
-- in the warehouse (dw-partition(1) retain); else 0001-01-01.
-- Each "-- pending NAME" query returns the keys whose OLTP rows changed at
-- or after $1 (the warehouse's watermark, UTC): a difference there is a
-- change the next sync will carry, not an error.

-- The order's columns are rendered once per order, not once per line:
-- OFFSET 0 keeps PostgreSQL from pulling the subquery up.
-- diff sales order_line
SELECT o.part, ol.order_id || chr(31) || ol.product_id AS k, ol.row_id::text AS row_id,
       o.order_date, o.ship_date, o.customer_id, ol.product_id AS product, o.market, o.region,
       o.country, o.state, o.city, o.postal_code, o.ship_mode, o.order_priority,
       ol.quantity::text AS quantity, ol.sales::text AS sales, ol.discount::text AS discount,
       ol.profit::text AS profit, ol.shipping_cost::text AS shipping_cost,
       CASE WHEN r.order_id IS NULL THEN '0' ELSE '1' END AS returned
FROM order_line ol
JOIN (SELECT order_id, to_char(order_date, 'YYYYMM') AS part,
             to_char(order_date, 'YYYYMMDD') AS order_date,
             to_char(ship_date, 'YYYYMMDD') AS ship_date, customer_id, market, region, country,
             state, city, coalesce(postal_code, '') AS postal_code, ship_mode, order_priority
      FROM orders WHERE order_date >= DATE '{from_date}' OFFSET 0) o USING (order_id)
LEFT JOIN order_return r USING (order_id)

-- diff returns order_return
SELECT to_char(o.order_date, 'YYYYMM') AS part, r.order_id AS k,
       to_char(o.order_date, 'YYYYMMDD') AS order_date, o.customer_id, o.market, o.region,
       o.country, o.state, o.city, coalesce(o.postal_code, '') AS postal_code,
       r.region AS return_region
FROM order_return r JOIN orders o USING (order_id)
WHERE o.order_date >= DATE '{from_date}'

-- diff customer customer
SELECT '' AS part, c.customer_id AS k, c.name AS customer_name, s.name AS segment
FROM customer c JOIN segment s USING (segment_id)

-- diff product product
SELECT '' AS part, p.product_id AS k, p.name AS product_name, sc.name AS subcategory,
       cat.name AS category
FROM product p JOIN subcategory sc USING (subcategory_id) JOIN category cat USING (category_id)

-- The ship-to locations the facts use (the warehouse keeps a location no
-- fact points at any more; that is not a difference).
-- diff location -
SELECT '' AS part,
       concat_ws(chr(31), market, region, country, state, city, coalesce(postal_code, '')) AS k
FROM (SELECT DISTINCT market, region, country, state, city, postal_code FROM orders o
      WHERE o.order_date >= DATE '{from_date}'
        AND EXISTS (SELECT 1 FROM order_line ol WHERE ol.order_id = o.order_id)
      UNION
      SELECT o.market, o.region, o.country, o.state, o.city, o.postal_code
      FROM orders o JOIN order_return r USING (order_id)
      WHERE o.order_date >= DATE '{from_date}') used

-- pending sales
SELECT order_id || chr(31) || product_id FROM order_line
WHERE updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT ol.order_id || chr(31) || ol.product_id FROM orders o JOIN order_line ol USING (order_id)
WHERE o.updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT ol.order_id || chr(31) || ol.product_id FROM order_return r JOIN order_line ol USING (order_id)
WHERE r.updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT t.key1 || chr(31) || coalesce(t.key2, '') FROM dw_tombstone t
WHERE t.table_name = 'order_line' AND t.deleted_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT ol.order_id || chr(31) || ol.product_id FROM dw_tombstone t
JOIN order_line ol ON ol.order_id = t.key1
WHERE t.table_name = 'order_return' AND t.deleted_at >= $1::timestamp AT TIME ZONE 'UTC'

-- pending returns
SELECT order_id FROM order_return WHERE updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT r.order_id FROM orders o JOIN order_return r USING (order_id)
WHERE o.updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT key1 FROM dw_tombstone
WHERE table_name = 'order_return' AND deleted_at >= $1::timestamp AT TIME ZONE 'UTC'

-- pending customer
SELECT c.customer_id FROM customer c JOIN segment s USING (segment_id)
WHERE greatest(c.updated_at, s.updated_at) >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT key1 FROM dw_tombstone
WHERE table_name = 'customer' AND deleted_at >= $1::timestamp AT TIME ZONE 'UTC'

-- pending product
SELECT p.product_id FROM product p JOIN subcategory sc USING (subcategory_id)
JOIN category cat USING (category_id)
WHERE greatest(p.updated_at, sc.updated_at, cat.updated_at) >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT key1 FROM dw_tombstone
WHERE table_name = 'product' AND deleted_at >= $1::timestamp AT TIME ZONE 'UTC'

-- pending location
SELECT concat_ws(chr(31), market, region, country, state, city, coalesce(postal_code, ''))
FROM orders WHERE updated_at >= $1::timestamp AT TIME ZONE 'UTC'
UNION
SELECT concat_ws(chr(31), o.market, o.region, o.country, o.state, o.city,
                 coalesce(o.postal_code, ''))
FROM dw_tombstone t JOIN orders o ON o.order_id = t.key1
WHERE t.table_name IN ('order_line', 'order_return')
  AND t.deleted_at >= $1::timestamp AT TIME ZONE 'UTC'
