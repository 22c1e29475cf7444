package hub.jobs;

/** Job payloads byte for byte as PHP and Laravel write them, for the decoder's and the queue's tests. */
public final class LaravelPayloads {

    private LaravelPayloads() {
    }

    /** What PHP's serialize() writes for {@code new ProcessOrderEvent($orderData)}. */
    public static final String ORDER_COMMAND =
            "O:26:\"App\\Jobs\\ProcessOrderEvent\":1:{s:9:\"orderData\";a:7:{s:8:\"order_id\";i:1042;"
            + "s:7:\"user_id\";i:7;s:5:\"total\";d:149.99;s:5:\"items\";a:2:{i:0;a:4:{s:3:\"sku\";s:5:\"SKU-1\";"
            + "s:4:\"name\";s:12:\"Café crème\";s:3:\"qty\";i:2;s:5:\"price\";d:49.5;}i:1;a:4:{s:3:\"sku\";"
            + "s:5:\"SKU-2\";s:4:\"name\";s:15:\"東京 mug 🍵\";s:3:\"qty\";i:1;s:5:\"price\";d:50.99;}}s:4:\"paid\";"
            + "b:1;s:6:\"coupon\";N;s:4:\"note\";s:34:\"Zoë says: ship fast 🚚 / 速く\";}}";

    /** The queue message Laravel writes for it: json_encode(..., JSON_UNESCAPED_UNICODE), hence the {@code \/}. */
    public static final String PROCESS_ORDER_EVENT =
            "{\"uuid\":\"9f1c2b7e-3d4a-4c8e-9b1f-2a6d5e7c8b90\","
            + "\"displayName\":\"App\\\\Jobs\\\\ProcessOrderEvent\","
            + "\"job\":\"Illuminate\\\\Queue\\\\CallQueuedHandler@call\",\"maxTries\":3,\"maxExceptions\":null,"
            + "\"failOnTimeout\":false,\"backoff\":\"5,10\",\"timeout\":30,\"retryUntil\":null,"
            + "\"data\":{\"commandName\":\"App\\\\Jobs\\\\ProcessOrderEvent\","
            + "\"command\":\"O:26:\\\"App\\\\Jobs\\\\ProcessOrderEvent\\\":1:{s:9:\\\"orderData\\\";"
            + "a:7:{s:8:\\\"order_id\\\";i:1042;s:7:\\\"user_id\\\";i:7;s:5:\\\"total\\\";d:149.99;"
            + "s:5:\\\"items\\\";a:2:{i:0;a:4:{s:3:\\\"sku\\\";s:5:\\\"SKU-1\\\";s:4:\\\"name\\\";"
            + "s:12:\\\"Café crème\\\";s:3:\\\"qty\\\";i:2;s:5:\\\"price\\\";d:49.5;}i:1;a:4:{s:3:\\\"sku\\\";"
            + "s:5:\\\"SKU-2\\\";s:4:\\\"name\\\";s:15:\\\"東京 mug 🍵\\\";s:3:\\\"qty\\\";i:1;s:5:\\\"price\\\";"
            + "d:50.99;}}s:4:\\\"paid\\\";b:1;s:6:\\\"coupon\\\";N;s:4:\\\"note\\\";"
            + "s:34:\\\"Zoë says: ship fast 🚚 \\/ 速く\\\";}}\"},\"id\":\"QxV3sZ8kL2mN\",\"attempts\":0}";
}
