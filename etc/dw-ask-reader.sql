-- dw-ask's reader: an account that can read the tables of the model and
-- nothing else, which dw-ask(1) requires before it runs the SQL of a remote
-- language model (see ACCOUNT there).
--
-- Edit the database name `dw` and the account 'dw_ask'@'localhost' to yours,
-- then run this as an administrator, after 'dw-etl init' has created the
-- tables (a table-level grant needs its table):
--
--     mariadb < dw-ask-reader.sql
--
-- The account is created locked. Give it a password out of band, never in
-- this file or on a command line, and unlock it:
--
--     ALTER USER 'dw_ask'@'localhost' IDENTIFIED VIA ed25519
--         USING PASSWORD('...') ACCOUNT UNLOCK;
--
-- and name it in dw.yaml(5): ask.user: dw_ask, ask.password_file: ...
-- dw-ask writes its audit trail with warehouse.user, never with this one.

CREATE USER IF NOT EXISTS 'dw_ask'@'localhost' ACCOUNT LOCK;
-- Start from nothing: a grant left from before would refuse remote models.
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'dw_ask'@'localhost';

-- The tables of the model, one by one: a grant on `dw`.* would also read
-- the dw_ tables (users, tokens, the audit trail) and any table added later.
GRANT SELECT ON `dw`.`dim_date` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`dim_customer` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`dim_product` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`dim_location` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`fact_sales` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`fact_return` TO 'dw_ask'@'localhost';

-- The control tables dw-ask reads: the ETL watermarks, for the line that
-- tells how fresh an answer's data is, and dw-tune's fit of query times,
-- for the expected time --explain shows (no row data in either).
GRANT SELECT ON `dw`.`dw_etl_watermark` TO 'dw_ask'@'localhost';
GRANT SELECT ON `dw`.`dw_tune_model` TO 'dw_ask'@'localhost';
