-- Warehouse schema version 4: the control tables of dw-user(1). Roles read
-- the warehouse through views in a schema of their own, which mask personal
-- data and limit rows (dw.yaml(5), roles); these tables are in the
-- warehouse schema itself, which no role can read.

-- The key of the pseudonym mask: one random secret, written by the first
-- `dw-user roles apply`. Views read it as their definer; it never appears in
-- a view's text.
CREATE TABLE IF NOT EXISTS dw_mask_key (
    id              TINYINT NOT NULL PRIMARY KEY,
    secret          CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A person's row scope: the values of a dimension (dw-knowledge(5)) that
-- the warehouse account may see, for roles whose scope is per person.
CREATE TABLE IF NOT EXISTS dw_scope (
    account         VARCHAR(80) NOT NULL,
    dimension       VARCHAR(64) NOT NULL,
    value           VARCHAR(200) NOT NULL,
    PRIMARY KEY (account, dimension, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The roles applied: a role's database role and schema share its name;
-- fingerprint is the SHA-256 of the statements that made them, so that an
-- unchanged policy changes nothing.
CREATE TABLE IF NOT EXISTS dw_role (
    name            VARCHAR(64) NOT NULL PRIMARY KEY,
    role_name       VARCHAR(64) NOT NULL,
    fingerprint     CHAR(64) NOT NULL,
    applied_at      DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The people dw-user manages: one warehouse account each, holding one
-- role. auth: socket (the operating-system user of the same name, over the
-- local socket) or password.
CREATE TABLE IF NOT EXISTS dw_person (
    account         VARCHAR(80) NOT NULL PRIMARY KEY,
    host            VARCHAR(255) NOT NULL,
    role            VARCHAR(64) NOT NULL,
    auth            VARCHAR(16) NOT NULL,
    created_at      DATETIME(6) NOT NULL,
    created_by      VARCHAR(80) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The last passwords of a person with a password (dw-user passwd): argon2id
-- hashes, so that none of the last five is chosen again.
CREATE TABLE IF NOT EXISTS dw_password_history (
    account         VARCHAR(80) NOT NULL,
    set_at          DATETIME(6) NOT NULL,
    hash            VARCHAR(128) NOT NULL,
    PRIMARY KEY (account, set_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
