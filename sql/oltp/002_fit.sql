-- OLTP schema version 2: the OLTP database holds nothing the warehouse
-- cannot (sql/dw/001_schema.sql), keys of the small lookup tables cannot run
-- out, and a row is stamped when it is written.

-- Every text column the sync copies is no wider, in characters, than the
-- warehouse column it lands in: a longer value is refused here, where it is
-- written, instead of being cut in the warehouse (two order IDs alike in
-- their first 32 characters would become one fact). dw-etl import checks the
-- same widths per line (lib/etl/width.h). Ship mode and priority are bounded
-- by their lists. Existing rows must fit: the upgrade fails, naming the
-- constraint, when one does not.
ALTER TABLE segment ADD CONSTRAINT segment_name_width CHECK (char_length(name) <= 50);
ALTER TABLE category ADD CONSTRAINT category_name_width CHECK (char_length(name) <= 50);
ALTER TABLE subcategory ADD CONSTRAINT subcategory_name_width CHECK (char_length(name) <= 50);
ALTER TABLE product
    ADD CONSTRAINT product_product_id_width CHECK (char_length(product_id) <= 32),
    ADD CONSTRAINT product_name_width CHECK (char_length(name) <= 500);
ALTER TABLE customer
    ADD CONSTRAINT customer_customer_id_width CHECK (char_length(customer_id) <= 32),
    ADD CONSTRAINT customer_name_width CHECK (char_length(name) <= 200);
ALTER TABLE orders
    ADD CONSTRAINT orders_order_id_width CHECK (char_length(order_id) <= 32),
    ADD CONSTRAINT orders_market_width CHECK (char_length(market) <= 32),
    ADD CONSTRAINT orders_region_width CHECK (char_length(region) <= 64),
    ADD CONSTRAINT orders_country_width CHECK (char_length(country) <= 64),
    ADD CONSTRAINT orders_state_width CHECK (char_length(state) <= 100),
    ADD CONSTRAINT orders_city_width CHECK (char_length(city) <= 100),
    ADD CONSTRAINT orders_postal_code_width CHECK (char_length(postal_code) <= 16);
ALTER TABLE order_return ADD CONSTRAINT order_return_region_width CHECK (char_length(region) <= 64);

-- Identity values taken by a load that is rolled back are not given back: a
-- smallint key ran out after one failed import of 40,000 segment names.
-- integer keys (and their sequences, which follow the column's type) leave
-- room for that many failures. The warehouse never sees these keys.
ALTER TABLE segment ALTER segment_id TYPE integer;
ALTER TABLE category ALTER category_id TYPE integer;
ALTER TABLE subcategory ALTER subcategory_id TYPE integer, ALTER category_id TYPE integer;
ALTER TABLE product ALTER subcategory_id TYPE integer;
ALTER TABLE customer ALTER segment_id TYPE integer;

-- The stamp is the moment the row is written, no longer its transaction's
-- start (now()). A transaction's start is taken before it shows in
-- pg_stat_activity, so a sync that read T0 in between could set its
-- watermark past rows it cannot yet see; when the row is written the
-- transaction already shows there with an earlier xact_start, which holds
-- T0 back (lib/etl/sync.c, "T0").
CREATE OR REPLACE FUNCTION dw_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END $$;
ALTER TABLE dw_tombstone ALTER deleted_at SET DEFAULT clock_timestamp();
