-- OLTP schema (PostgreSQL), version 1: the normalized Superstore model.
-- Every table carries updated_at, kept by a trigger; deletes are recorded in
-- dw_tombstone; a statement-level trigger NOTIFYs dw_change for followers.

CREATE TABLE segment (
    segment_id   smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name <> ''),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE category (
    category_id  smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name <> ''),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subcategory (
    subcategory_id smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id    smallint NOT NULL REFERENCES category,
    name           text NOT NULL UNIQUE CHECK (name <> ''),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE product (
    product_id     text PRIMARY KEY CHECK (product_id <> ''),
    subcategory_id smallint NOT NULL REFERENCES subcategory,
    name           text NOT NULL CHECK (name <> ''),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_subcategory_idx ON product (subcategory_id);

CREATE TABLE customer (
    customer_id  text PRIMARY KEY CHECK (customer_id <> ''),
    name         text NOT NULL CHECK (name <> ''),
    segment_id   smallint NOT NULL REFERENCES segment,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_segment_idx ON customer (segment_id);

-- The ship-to location is a property of the order: one customer orders to
-- many cities and countries.
CREATE TABLE orders (
    order_id       text PRIMARY KEY CHECK (order_id <> ''),
    customer_id    text NOT NULL REFERENCES customer,
    order_date     date NOT NULL,
    ship_date      date NOT NULL,
    ship_mode      text NOT NULL
                   CHECK (ship_mode IN ('Same Day', 'First Class', 'Second Class', 'Standard Class')),
    order_priority text NOT NULL CHECK (order_priority IN ('Critical', 'High', 'Medium', 'Low')),
    market         text NOT NULL CHECK (market <> ''),
    region         text NOT NULL CHECK (region <> ''),
    country        text NOT NULL CHECK (country <> ''),
    state          text NOT NULL,
    city           text NOT NULL,
    postal_code    text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ship_date >= order_date)
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_order_date_idx ON orders (order_date);

CREATE TABLE order_line (
    order_id       text NOT NULL REFERENCES orders ON DELETE CASCADE,
    product_id     text NOT NULL REFERENCES product,
    row_id         bigint NOT NULL,          -- the source file's Row ID, informational
    quantity       integer NOT NULL CHECK (quantity > 0),
    sales          numeric(14,4) NOT NULL CHECK (sales >= 0),
    discount       numeric(6,4) NOT NULL CHECK (discount >= 0 AND discount < 1),
    profit         numeric(14,4) NOT NULL,
    shipping_cost  numeric(14,4) NOT NULL CHECK (shipping_cost >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_line_product_idx ON order_line (product_id);

CREATE TABLE order_return (
    order_id     text PRIMARY KEY REFERENCES orders ON DELETE CASCADE,
    region       text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Deleted rows, by table and natural key, for the warehouse sync.
CREATE TABLE dw_tombstone (
    tombstone_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name   text NOT NULL,
    key1         text NOT NULL,
    key2         text,
    deleted_at   timestamptz NOT NULL DEFAULT now()
);

-- The sync extracts by change time: one index per table on the cursor.
CREATE INDEX segment_updated_idx ON segment (updated_at);
CREATE INDEX category_updated_idx ON category (updated_at);
CREATE INDEX subcategory_updated_idx ON subcategory (updated_at);
CREATE INDEX product_updated_idx ON product (updated_at);
CREATE INDEX customer_updated_idx ON customer (updated_at);
CREATE INDEX orders_updated_idx ON orders (updated_at);
CREATE INDEX order_line_updated_idx ON order_line (updated_at);
CREATE INDEX order_return_updated_idx ON order_return (updated_at);
CREATE INDEX dw_tombstone_deleted_idx ON dw_tombstone (deleted_at);

CREATE FUNCTION dw_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

-- Records the deleted row's natural key (TG_ARGV: key column names); also
-- fired after an UPDATE that changes the key, where the old key is gone too.
CREATE FUNCTION dw_record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k jsonb := to_jsonb(OLD);
BEGIN
    INSERT INTO dw_tombstone (table_name, key1, key2)
    VALUES (TG_TABLE_NAME, k ->> TG_ARGV[0],
            CASE WHEN TG_NARGS > 1 THEN k ->> TG_ARGV[1] END);
    RETURN OLD;
END $$;

CREATE FUNCTION dw_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dw_change', TG_TABLE_NAME);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('segment', 'name', NULL), ('category', 'name', NULL),
        ('subcategory', 'name', NULL), ('product', 'product_id', NULL),
        ('customer', 'customer_id', NULL), ('orders', 'order_id', NULL),
        ('order_line', 'order_id', 'product_id'), ('order_return', 'order_id', NULL))
        AS v(tbl, k1, k2)
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION dw_touch()',
                       t.tbl || '_touch', t.tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION dw_record_delete(%L%s)',
                       t.tbl || '_tombstone', t.tbl, t.k1,
                       CASE WHEN t.k2 IS NULL THEN '' ELSE format(', %L', t.k2) END);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I FOR EACH ROW
                        WHEN ((OLD.%I, OLD.%I) IS DISTINCT FROM (NEW.%I, NEW.%I))
                        EXECUTE FUNCTION dw_record_delete(%L%s)',
                       t.tbl || '_rekey', t.tbl, t.k1, coalesce(t.k2, t.k1), t.k1,
                       coalesce(t.k2, t.k1), t.k1,
                       CASE WHEN t.k2 IS NULL THEN '' ELSE format(', %L', t.k2) END);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION dw_notify_change()',
                       t.tbl || '_notify', t.tbl);
    END LOOP;
END $$;
