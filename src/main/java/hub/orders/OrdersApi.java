package hub.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import hub.api.ApiErrors;
import hub.api.ApiException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** {@code /api/orders} and {@code /api/users/{id}/orders}: HTTP in and out of the command and query sides. */
public class OrdersApi {

    public static final String VERSION_HEADER = "X-Read-Model-Version";
    public static final String LAG_HEADER = "X-Read-Model-Lag-Ms";

    private final OrderCommands commands;
    private final OrderQueries queries;

    public OrdersApi(OrderCommands commands, OrderQueries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    public void create(Exchange exchange) throws JsonProcessingException {
        ApiErrors.respond(exchange, 201, commands.create(CreateOrder.parse(exchange.getIn().getBody(String.class))));
    }

    public void pay(Exchange exchange) throws JsonProcessingException {
        ApiErrors.respond(exchange, 200, commands.pay(uuid(exchange)));
    }

    public void cancel(Exchange exchange) throws JsonProcessingException {
        ApiErrors.respond(exchange, 200, commands.cancel(uuid(exchange)));
    }

    public void order(Exchange exchange) throws Exception {
        Integer minVersion = intParam(exchange.getIn(), "minVersion", null);
        answer(exchange, queries.order(uuid(exchange), minVersion));
    }

    public void ordersOfUser(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        answer(exchange, queries.ordersOfUser(userId(in), in.getHeader("status", String.class),
                in.getHeader("sort", String.class), intParam(in, "page", 1), intParam(in, "size", 20)));
    }

    public void search(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        answer(exchange, queries.search(in.getHeader("q", String.class), in.getHeader("sort", String.class),
                intParam(in, "page", 1), intParam(in, "size", 20)));
    }

    public void summary(Exchange exchange) throws Exception {
        answer(exchange, queries.summary(userId(exchange.getIn())));
    }

    private static void answer(Exchange exchange, OrderQueries.Answer answer) throws JsonProcessingException {
        ApiErrors.respond(exchange, 200, answer.body());
        exchange.getMessage().setHeader(VERSION_HEADER, answer.version());
        exchange.getMessage().setHeader(LAG_HEADER, answer.lagMillis());
    }

    private static String uuid(Exchange exchange) {
        String uuid = exchange.getIn().getHeader("uuid", String.class);
        if (uuid == null || !uuid.matches("[0-9a-f-]{36}")) {
            throw new ApiException(400, "order uuid expected, got " + uuid);
        }
        return uuid;
    }

    private static long userId(Message in) {
        String id = in.getHeader("id", String.class);
        if (id == null || !id.matches("[0-9]{1,18}")) {
            throw new ApiException(400, "user id must be a positive integer");
        }
        return Long.parseLong(id);
    }

    private static Integer intParam(Message in, String name, Integer fallback) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw new ApiException(400, name + " must be a non-negative integer");
        }
        return Integer.valueOf(value);
    }
}
