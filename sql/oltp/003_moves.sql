-- OLTP schema version 3: an order whose date changes leaves its old date
-- behind for the sync. The warehouse partitions facts by order date; with
-- the old date known, the sync drops an order's old facts from that one
-- partition, instead of probing every partition for every changed line
-- (lib/etl/sync.c, sql/dw/sync_merge.sql). A row of dw_tombstone with
-- table_name 'order_date', key1 the order and key2 its old date, one per
-- change of the date. Dates changed before this version are found by the
-- next dw-etl run --full.
CREATE FUNCTION dw_record_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dw_tombstone (table_name, key1, key2)
    VALUES ('order_date', OLD.order_id, to_char(OLD.order_date, 'YYYYMMDD'));
    RETURN NULL;
END $$;

CREATE TRIGGER orders_move AFTER UPDATE OF order_date ON orders FOR EACH ROW
    WHEN (OLD.order_date IS DISTINCT FROM NEW.order_date)
    EXECUTE FUNCTION dw_record_move();
