-- Tables the hub owns in laravel_db. Idempotent: run at every start.

CREATE TABLE IF NOT EXISTS pipe_messages (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    payload         JSON         NOT NULL,
    source_topic    VARCHAR(255) NOT NULL,
    source_partition INT         NOT NULL,
    source_offset   BIGINT       NOT NULL,
    received_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Strategy 1, the job queue -------------------------------------------------------------------

-- what the built-in ProcessOrderEvent handler did, one row per job
CREATE TABLE IF NOT EXISTS processed_jobs (
    job_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    job_type     VARCHAR(255) NOT NULL,
    queue        VARCHAR(255) NOT NULL,
    order_id     VARCHAR(64)  NULL,
    data         JSON         NOT NULL,
    processed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY processed_jobs_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- durable idempotency: a job id recorded here has run to success and is not run again
CREATE TABLE IF NOT EXISTS job_ledger (
    job_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    queue        VARCHAR(255) NOT NULL,
    job_type     VARCHAR(255) NOT NULL,
    attempts     INT          NOT NULL,
    completed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Laravel's failed_jobs, filled from the <queue>.failed topics (the durable record)
CREATE TABLE IF NOT EXISTS failed_jobs (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    queue           VARCHAR(255) NOT NULL,
    job_type        VARCHAR(255) NULL,
    payload         LONGTEXT     NOT NULL,
    exception_class VARCHAR(255) NOT NULL,
    exception       TEXT         NOT NULL,
    attempts        INT          NOT NULL,
    failed_at       TIMESTAMP(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Strategy 3, CQRS: the application's write model (also what CDC captures) ----------------------

CREATE TABLE IF NOT EXISTS users (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    email      VARCHAR(255) NOT NULL,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS orders (
    id         BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid       CHAR(36)      NOT NULL,
    user_id    BIGINT        NOT NULL,
    status     VARCHAR(20)   NOT NULL,
    total      DECIMAL(12,2) NOT NULL,
    currency   CHAR(3)       NOT NULL,
    version    INT           NOT NULL,
    created_at TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY orders_uuid (uuid),
    KEY orders_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS order_items (
    id       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT        NOT NULL,
    sku      VARCHAR(64)   NOT NULL,
    qty      INT           NOT NULL,
    price    DECIMAL(12,2) NOT NULL,
    KEY order_items_order (order_id),
    CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- transactional outbox: written in the same transaction as the order, published by cqrs-outbox-relay
CREATE TABLE IF NOT EXISTS order_outbox (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    aggregate_uuid CHAR(36)     NOT NULL,
    event_type     VARCHAR(64)  NOT NULL,
    payload        JSON         NOT NULL,
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    published_at   TIMESTAMP(3) NULL,
    KEY order_outbox_pending (published_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Strategy 2, event sourcing --------------------------------------------------------------------

-- uuids are ascii: a quarter of the key size of utf8mb4, which the projector's upserts feel

-- the event store: each order's events once, under (aggregate_uuid, sequence); position is the store's order
CREATE TABLE IF NOT EXISTS order_events (
    position       BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    aggregate_uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    sequence       INT          NOT NULL,
    type           VARCHAR(64)  NOT NULL,
    event_version  INT          NOT NULL,
    data           JSON         NOT NULL,
    occurred_at    TIMESTAMP(6) NOT NULL,
    recorded_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY order_events_sequence (aggregate_uuid, sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- appended events not yet on order-events (written with the event, deleted once Kafka has it)
CREATE TABLE IF NOT EXISTS order_event_outbox (
    position       BIGINT       NOT NULL PRIMARY KEY,
    aggregate_uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    event_type     VARCHAR(64)  NOT NULL,
    payload        JSON         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- an order's state after every N-th event, so state reads replay at most N-1 events
CREATE TABLE IF NOT EXISTS order_snapshots (
    aggregate_uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    sequence       INT          NOT NULL,
    state          JSON         NOT NULL,
    occurred_at    TIMESTAMP(6) NOT NULL,
    PRIMARY KEY (aggregate_uuid, sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the orders projector's read model (laravel-projectors); a rebuild swaps in order_projection_rebuild
CREATE TABLE IF NOT EXISTS order_projection (
    uuid       CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    user_id    BIGINT        NULL,
    status     VARCHAR(20)   NOT NULL,
    total      DECIMAL(12,2) NULL,
    currency   CHAR(3)       NULL,
    paid_at    TIMESTAMP(6)  NULL,
    shipped_at TIMESTAMP(6)  NULL,
    version    INT           NOT NULL,
    KEY order_projection_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- events that arrived after a gap in their order's sequence, kept until the missing one arrives
CREATE TABLE IF NOT EXISTS projection_parked (
    projection     VARCHAR(64)  NOT NULL,
    aggregate_uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    sequence       INT          NOT NULL,
    event          JSON         NOT NULL,
    parked_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (projection, aggregate_uuid, sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- === Strategy 5: checkout saga (routes.SagaRoutes, routes.ParticipantRoutes) ===================
-- the orchestrator's record of each checkout, keyed by order id and by its LRA id (the saga id): the
-- coordinator's callbacks carry only the LRA id, so everything a compensation needs is found from it
CREATE TABLE IF NOT EXISTS checkout_sagas (
    order_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    saga_id     VARCHAR(255)  NOT NULL,
    request     JSON          NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    reason      VARCHAR(255)  NULL,
    created_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    finished_at TIMESTAMP(3)  NULL,
    UNIQUE KEY checkout_sagas_saga (saga_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS checkout_saga_steps (
    order_id   VARCHAR(64)  NOT NULL,
    step       VARCHAR(16)  NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    reason     VARCHAR(255) NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (order_id, step)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- reference participant: inventory. reserve moves qty from stock to reserved, release moves it back,
-- commit (the saga completed) takes it out of reserved
CREATE TABLE IF NOT EXISTS inventory (
    sku      VARCHAR(64) NOT NULL PRIMARY KEY,
    stock    INT         NOT NULL,
    reserved INT         NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- one row per order: RESERVED, REJECTED, RELEASED (also written by a release that came first, so a late
-- reserve is refused) or COMMITTED
CREATE TABLE IF NOT EXISTS inventory_reservations (
    order_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    items      JSON         NULL,
    status     VARCHAR(16)  NOT NULL,
    reason     VARCHAR(255) NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- reference participant: payment. CHARGED, DECLINED, REFUNDED, or VOIDED (a refund that came before any
-- charge: nothing to give back, and a late charge is refused)
CREATE TABLE IF NOT EXISTS payments (
    order_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    card_last4  CHAR(4)       NULL,
    amount      DECIMAL(12,2) NULL,
    status      VARCHAR(16)   NOT NULL,
    reason      VARCHAR(255)  NULL,
    charged_at  TIMESTAMP(3)  NULL,
    refunded_at TIMESTAMP(3)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- reference participant: shipment. CREATED, FAILED or CANCELLED (also before any create, as above)
CREATE TABLE IF NOT EXISTS shipments (
    order_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    address      VARCHAR(512) NULL,
    status       VARCHAR(16)  NOT NULL,
    reason       VARCHAR(255) NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    cancelled_at TIMESTAMP(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
