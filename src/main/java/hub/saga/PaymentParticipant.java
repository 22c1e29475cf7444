package hub.saga;

import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reference payment service on {@code payments}: declines cards ending in 0002, records charges and refunds. */
public class PaymentParticipant extends Participant {

    public PaymentParticipant(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected String apply(String orderId, String type, ObjectNode command) {
        return switch (type) {
            case "charge" -> charge(orderId, command.path("card").asText(""), command.path("amount").asText("0"));
            case "refund" -> refund(orderId);
            default -> throw unknown(type);
        };
    }

    private String charge(String orderId, String card, String amount) {
        Map<String, Object> row = claim("payments", orderId);
        switch ((String) row.get("status")) {
            case "CHARGED":
                return null;
            case "DECLINED":
                return (String) row.get("reason");
            case "VOIDED", "REFUNDED":
                return "refunded before it was charged";
            default:
                break;
        }
        String last4 = card.length() >= 4 ? card.substring(card.length() - 4) : card;
        if (last4.equals("0002")) {
            jdbc.update("UPDATE payments SET status = 'DECLINED', card_last4 = ?, amount = ?, reason = 'card declined'"
                    + " WHERE order_id = ?", last4, amount, orderId);
            return "card declined";
        }
        jdbc.update("UPDATE payments SET status = 'CHARGED', card_last4 = ?, amount = ?, charged_at = CURRENT_TIMESTAMP(3)"
                + " WHERE order_id = ?", last4, amount, orderId);
        return null;
    }

    /** A refund without a charge gives nothing back; it leaves VOIDED so that a late charge is refused. */
    private String refund(String orderId) {
        Map<String, Object> row = claim("payments", orderId);
        switch ((String) row.get("status")) {
            case "CHARGED" -> jdbc.update("UPDATE payments SET status = 'REFUNDED', refunded_at = CURRENT_TIMESTAMP(3)"
                    + " WHERE order_id = ?", orderId);
            case "NEW" -> jdbc.update("UPDATE payments SET status = 'VOIDED' WHERE order_id = ?", orderId);
            default -> {
                // DECLINED, REFUNDED, VOIDED: nothing to give back
            }
        }
        return null;
    }
}
