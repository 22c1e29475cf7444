-- Strategy 4, CDC: the warehouse (PostgreSQL). Idempotent: run at every start.

-- every change, in source order; a change already here (same table, key and source position) is not added again
CREATE TABLE IF NOT EXISTS cdc_history (
    id              BIGSERIAL    PRIMARY KEY,
    source_table    TEXT         NOT NULL,
    pk              TEXT         NOT NULL,
    op              CHAR(1)      NOT NULL,
    before          JSONB        NULL,
    after           JSONB        NULL,
    source_position TEXT         NOT NULL,
    source_ts       TIMESTAMPTZ  NOT NULL,
    captured_ts     TIMESTAMPTZ  NOT NULL,
    applied_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT cdc_history_change UNIQUE (source_table, pk, source_position)
);

-- each source row as it is now; deleted rows are removed
CREATE TABLE IF NOT EXISTS cdc_current (
    source_table    TEXT         NOT NULL,
    pk              TEXT         NOT NULL,
    row             JSONB        NOT NULL,
    source_position TEXT         NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (source_table, pk)
);
