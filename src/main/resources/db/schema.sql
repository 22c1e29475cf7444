-- Tables the hub owns in laravel_db. Idempotent: run at every start.

CREATE TABLE IF NOT EXISTS pipe_messages (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    payload         JSON         NOT NULL,
    source_topic    VARCHAR(255) NOT NULL,
    source_partition INT         NOT NULL,
    source_offset   BIGINT       NOT NULL,
    received_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
