-- What dw-etl run extracts from the OLTP database for the shipped model.
-- Each "-- extract NAME" section is one query streamed with COPY into the
-- warehouse staging table stage_NAME (sql/dw/sync_stage.sql), columns in
-- the same order.  "{window}" is replaced by "cursor >= last watermark AND
-- cursor < T0" for each "-- cursor" expression (the results are UNIONed), or
-- by "true" for a full sync.  dw-validate diff --repair re-extracts just
-- the rows it found different: each "-- key TABLE COND" line is the
-- condition for the keys of its diff table (sql/oltp/diff.sql), {keys}
-- standing for a query of those keys as column k.  Timestamps leave as UTC text.  A section
-- marked "dimension" has no upper bound (cursor >= watermark only): a fact
-- extracted below T0 may point at a dimension row stamped later, and
-- upserting a dimension row twice is harmless.

-- extract customer dimension
SELECT c.customer_id, c.name, s.name,
       (greatest(c.updated_at, s.updated_at) AT TIME ZONE 'UTC')
FROM customer c JOIN segment s USING (segment_id)
WHERE {window}
-- cursor c.updated_at
-- cursor s.updated_at
-- key customer c.customer_id IN ({keys})

-- extract product dimension
SELECT p.product_id, p.name, sc.name, cat.name,
       (greatest(p.updated_at, sc.updated_at, cat.updated_at) AT TIME ZONE 'UTC')
FROM product p JOIN subcategory sc USING (subcategory_id) JOIN category cat USING (category_id)
WHERE {window}
-- cursor p.updated_at
-- cursor sc.updated_at
-- cursor cat.updated_at
-- key product p.product_id IN ({keys})

-- The calendar days and ship-to locations of changed orders, distinct, for
-- dim_date and dim_location (the OLTP side removes the duplicates cheaply).
-- extract dates dimension
SELECT DISTINCT to_char(v.d, 'YYYYMMDD')
FROM orders o CROSS JOIN LATERAL (VALUES (o.order_date), (o.ship_date)) v(d)
WHERE {window}
-- cursor o.updated_at
-- key sales o.order_id IN (SELECT split_part(k, chr(31), 1) FROM ({keys}) x)
-- key returns o.order_id IN ({keys})

-- extract locations dimension

SELECT DISTINCT o.market, o.region, o.country, o.state, o.city, coalesce(o.postal_code, '')
FROM orders o
WHERE {window}
-- cursor o.updated_at
-- key sales o.order_id IN (SELECT split_part(k, chr(31), 1) FROM ({keys}) x)
-- key returns o.order_id IN ({keys})
-- key location concat_ws(chr(31), o.market, o.region, o.country, o.state, o.city, coalesce(o.postal_code, '')) IN ({keys})

-- extract sales
SELECT ol.order_id, ol.product_id, ol.row_id,
       to_char(o.order_date, 'YYYYMMDD'), to_char(o.ship_date, 'YYYYMMDD'),
       o.customer_id, o.market, o.region, o.country, o.state, o.city,
       coalesce(o.postal_code, ''), o.ship_mode, o.order_priority,
-- The last column is stage_sales.sales_key, filled in by the merge.
       ol.quantity, ol.sales, ol.discount, ol.profit, ol.shipping_cost, NULL::bigint
FROM order_line ol JOIN orders o USING (order_id)
WHERE {window}
-- cursor ol.updated_at
-- cursor o.updated_at
-- key sales ol.order_id || chr(31) || ol.product_id IN ({keys})

-- extract returns
SELECT r.order_id, r.region, to_char(o.order_date, 'YYYYMMDD'), o.customer_id,
       o.market, o.region, o.country, o.state, o.city, coalesce(o.postal_code, '')
FROM order_return r JOIN orders o USING (order_id)
WHERE {window}
-- cursor r.updated_at
-- cursor o.updated_at
-- key returns r.order_id IN ({keys})

-- Deleted rows that are still gone in this snapshot (a row deleted and
-- inserted again is extracted above instead), and the old dates of orders
-- that are no longer on them ('order_date', key2 the date as YYYYMMDD).
-- extract deleted
SELECT t.table_name, t.key1, coalesce(t.key2, '')
FROM dw_tombstone t
WHERE {window}
  AND t.table_name IN ('order_line', 'order_return', 'orders', 'customer', 'product',
                       'order_date')
  AND NOT CASE t.table_name
      WHEN 'order_line' THEN EXISTS (SELECT 1 FROM order_line x
                                     WHERE x.order_id = t.key1 AND x.product_id = t.key2)
      WHEN 'order_return' THEN EXISTS (SELECT 1 FROM order_return x WHERE x.order_id = t.key1)
      WHEN 'orders' THEN EXISTS (SELECT 1 FROM orders x WHERE x.order_id = t.key1)
      WHEN 'customer' THEN EXISTS (SELECT 1 FROM customer x WHERE x.customer_id = t.key1)
      WHEN 'order_date' THEN EXISTS (SELECT 1 FROM orders x WHERE x.order_id = t.key1
                                     AND to_char(x.order_date, 'YYYYMMDD') = t.key2)
      ELSE EXISTS (SELECT 1 FROM product x WHERE x.product_id = t.key1)
  END
-- cursor t.deleted_at
