-- How dw-etl run loads the facts of a first load (fact_sales empty, no
-- sales watermark; dw-etl(1), "The first load"): one query streamed with
-- COPY straight into fact_sales by the "-- load sales" statement of
-- sql/dw/sync_merge.sql, columns in its order, with no staging table and
-- no INSERT ... SELECT.  The warehouse's dimension keys come in as
-- temporary tables of text, dw_keys_NAME for each "-- keys NAME" section of
-- sql/dw/sync_merge.sql, columns named as there; a key that is missing
-- gives NULL, which fact_sales refuses, failing the run.  "returned" is
-- whether the order has a return in this snapshot, as fact_return holds it.

-- first sales
SELECT ol.order_id, ol.product_id, ol.row_id,
       to_char(o.order_date, 'YYYYMMDD'), to_char(o.ship_date, 'YYYYMMDD'),
       c.customer_key, p.product_key, l.location_key, o.ship_mode, o.order_priority,
       ol.quantity, ol.sales, ol.discount, ol.profit, ol.shipping_cost,
       EXISTS (SELECT 1 FROM order_return r WHERE r.order_id = o.order_id)::int
FROM order_line ol JOIN orders o USING (order_id)
LEFT JOIN dw_keys_customers c ON c.customer_id = o.customer_id
LEFT JOIN dw_keys_products p ON p.product_id = ol.product_id
LEFT JOIN dw_keys_locations l ON l.market = o.market AND l.region = o.region
    AND l.country = o.country AND l.state = o.state AND l.city = o.city
    AND l.postal_code = coalesce(o.postal_code, '')
