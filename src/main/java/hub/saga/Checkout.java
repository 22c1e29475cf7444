package hub.saga;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ApiException;
import hub.errors.JsonInput;

/** A checkout request: {@code order_id, user_id, items[{sku, qty}], payment{card, amount}, address}. */
public record Checkout(String orderId, long userId, List<Item> items, String card, BigDecimal amount, String address) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Item(String sku, int qty) {
    }

    /** Parses and validates a request body; a refusal is a 400 naming the field. */
    public static Checkout parse(String body) {
        return from(JsonInput.object(body));
    }

    static Checkout from(JsonNode json) {
        String orderId = json.path("order_id").asText("");
        if (!orderId.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new ApiException(400, "order_id: 1 to 64 letters, digits or ._:- expected");
        }
        if (!json.path("user_id").canConvertToLong() || json.path("user_id").asLong() <= 0) {
            throw new ApiException(400, "user_id: a positive integer expected");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode item : json.path("items")) {
            String sku = item.path("sku").asText("");
            int qty = item.path("qty").asInt(0);
            if (sku.isEmpty() || sku.length() > 64 || qty <= 0) {
                throw new ApiException(400, "items[" + items.size() + "]: sku and a positive qty expected");
            }
            items.add(new Item(sku, qty));
        }
        if (items.isEmpty()) {
            throw new ApiException(400, "items: at least one item expected");
        }
        String card = json.path("payment").path("card").asText("").replace(" ", "");
        if (!card.matches("[0-9]{12,19}")) {
            throw new ApiException(400, "payment.card: 12 to 19 digits expected");
        }
        BigDecimal amount = amount(json.path("payment").path("amount"));
        String address = json.path("address").asText("");
        if (address.isBlank() || address.length() > 512) {
            throw new ApiException(400, "address: 1 to 512 characters expected");
        }
        return new Checkout(orderId, json.path("user_id").asLong(), List.copyOf(items), card, amount, address);
    }

    private static BigDecimal amount(JsonNode amount) {
        try {
            if (amount.isNumber() || amount.isTextual()) {
                BigDecimal value = new BigDecimal(amount.asText());
                if (value.signum() > 0) {
                    return value;
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiException(400, "payment.amount: a positive amount expected");
    }

    public String toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("order_id", orderId);
        json.put("user_id", userId);
        var list = json.putArray("items");
        items.forEach(i -> list.addObject().put("sku", i.sku()).put("qty", i.qty()));
        json.putObject("payment").put("card", card).put("amount", amount);
        json.put("address", address);
        return json.toString();
    }

    public static Checkout fromJson(String json) {
        try {
            return from(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored checkout unreadable", e);
        }
    }

    /** The command that asks {@code step}'s participant to do {@code action} for this order. */
    public String command(Step step, String action) {
        ObjectNode json = JSON.createObjectNode();
        json.put("order_id", orderId);
        json.put("type", action);
        if (action.equals(step.action())) {
            switch (step) {
                case INVENTORY -> {
                    var list = json.putArray("items");
                    items.forEach(i -> list.addObject().put("sku", i.sku()).put("qty", i.qty()));
                }
                case PAYMENT -> json.put("card", card).put("amount", amount);
                case SHIPMENT -> json.put("address", address);
            }
        }
        return json.toString();
    }
}
