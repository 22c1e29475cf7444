package hub.saga;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka request/reply for the saga: a request registers what it waits for (order id and action) before its
 * command is sent, and the reply consumer hands each reply to its waiter. A reply nobody waits for (a
 * duplicate, or one that came after its step timed out) is counted and ignored.
 */
public class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** A participant's answer: {@code {"order_id", "success", "step", "reason"?}}. */
    public record Reply(String orderId, boolean success, String step, String reason) {
    }

    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ignored = new AtomicLong();

    /** Registers a wait for the reply to {@code action} on {@code orderId}; call before sending the command. */
    public CompletableFuture<Reply> expect(String orderId, String action) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        waiting.put(key(orderId, action), reply);
        return reply;
    }

    /** Waits up to {@code timeout}; the wait is forgotten either way, so a late reply is ignored. */
    public Reply await(String orderId, String action, CompletableFuture<Reply> reply, Duration timeout)
            throws TimeoutException, InterruptedException {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            forget(orderId, action, reply);
        }
    }

    public void forget(String orderId, String action, CompletableFuture<Reply> reply) {
        waiting.remove(key(orderId, action), reply);
    }

    /** Called by the reply consumer for every reply. */
    public void deliver(JsonNode json) {
        Reply reply = new Reply(json.path("order_id").asText(), json.path("success").asBoolean(false),
                json.path("step").asText(), json.hasNonNull("reason") ? json.get("reason").asText() : null);
        CompletableFuture<Reply> waiter = waiting.remove(key(reply.orderId(), reply.step()));
        if (waiter == null || !waiter.complete(reply)) {
            ignored.incrementAndGet();
            LOG.debug("Ignoring a reply nobody waits for (duplicate or late): {}", json);
        }
    }

    /** Replies ignored since start (duplicates and late ones). */
    public long ignored() {
        return ignored.get();
    }

    private static String key(String orderId, String action) {
        return orderId + '\u0000' + action;
    }
}
