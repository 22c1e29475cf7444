package hub.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import hub.api.ValidationException;
import hub.errors.JsonInput;

/** The CreateOrder command, validated field by field. */
public record CreateOrder(long userId, String currency, List<Item> items) {

    public record Item(String sku, int qty, BigDecimal price) {
    }

    static final int MAX_ITEMS = 100;

    public BigDecimal total() {
        return items.stream().map(i -> i.price().multiply(BigDecimal.valueOf(i.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Parses and validates; every problem is reported at once. */
    public static CreateOrder parse(String body) {
        JsonNode command = JsonInput.object(body);
        List<ValidationException.FieldError> errors = new ArrayList<>();
        JsonNode user = command.get("user_id");
        if (user == null || !user.canConvertToLong() || !user.isIntegralNumber() || user.asLong() <= 0) {
            errors.add(new ValidationException.FieldError("user_id", "a positive integer is required"));
        }
        JsonNode currency = command.get("currency");
        if (currency == null || !currency.isTextual() || !currency.asText().matches("[A-Z]{3}")) {
            errors.add(new ValidationException.FieldError("currency", "a three-letter ISO 4217 code is required"));
        }
        JsonNode itemsNode = command.get("items");
        List<Item> items = new ArrayList<>();
        if (itemsNode == null || !itemsNode.isArray() || itemsNode.isEmpty()) {
            errors.add(new ValidationException.FieldError("items", "at least one item is required"));
        } else if (itemsNode.size() > MAX_ITEMS) {
            errors.add(new ValidationException.FieldError("items", "at most " + MAX_ITEMS + " items"));
        } else {
            for (int i = 0; i < itemsNode.size(); i++) {
                JsonNode item = itemsNode.get(i);
                String at = "items[" + i + "].";
                JsonNode sku = item.get("sku");
                JsonNode qty = item.get("qty");
                JsonNode price = item.get("price");
                boolean ok = true;
                if (sku == null || !sku.isTextual() || sku.asText().isBlank() || sku.asText().length() > 64) {
                    errors.add(new ValidationException.FieldError(at + "sku", "a text of 1 to 64 characters is required"));
                    ok = false;
                }
                if (qty == null || !qty.isIntegralNumber() || qty.asInt() < 1 || qty.asInt() > 10_000) {
                    errors.add(new ValidationException.FieldError(at + "qty", "an integer from 1 to 10000 is required"));
                    ok = false;
                }
                if (price == null || !price.isNumber() || price.decimalValue().signum() < 0
                        || price.decimalValue().scale() > 2 || price.decimalValue().compareTo(new BigDecimal("1000000")) >= 0) {
                    errors.add(new ValidationException.FieldError(at + "price",
                            "a non-negative amount with at most 2 decimals, below 1000000, is required"));
                    ok = false;
                }
                if (ok) {
                    items.add(new Item(sku.asText(), qty.asInt(), price.decimalValue()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("command", errors);
        }
        return new CreateOrder(user.asLong(), currency.asText(), items);
    }
}
