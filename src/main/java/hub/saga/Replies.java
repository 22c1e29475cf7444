package hub.saga;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import hub.errors.PoisonMessageException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka request/reply for the saga: a request registers what it waits for (order id and action) before its
 * command is sent, and the reply consumer hands each reply to its waiter. A reply nobody waits for (a
 * duplicate, one that came after its step timed out, or one another replica waits for) is counted in
 * {@code hub_saga_replies_ignored_total{topic}} and ignored. A record that is not a reply at all (not the reply's
 * shape, or a step its topic's participant does not have) is poison: it goes to the dead-letter topic with
 * the reason, because no waiter could ever take it and ignoring it would hide a broken participant.
 */
public class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** A participant's answer: {@code {"order_id", "success", "step", "reason"?}}. */
    public record Reply(String orderId, boolean success, String step, String reason) {
    }

    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ignored = new AtomicLong();
    private final Supplier<MeterRegistry> metrics;

    public Replies(Supplier<MeterRegistry> metrics) {
        this.metrics = metrics;
    }

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

    /** Called by the reply consumer for every record on {@code topic}, one of the participants' reply topics. */
    public void deliver(JsonNode json, @Header(KafkaConstants.TOPIC) String topic) {
        Reply reply = parse(json, topic);
        CompletableFuture<Reply> waiter = waiting.remove(key(reply.orderId(), reply.step()));
        if (waiter == null || !waiter.complete(reply)) {
            ignored.incrementAndGet();
            MeterRegistry registry = metrics.get();
            if (registry != null) {
                registry.counter("hub.saga.replies.ignored", "topic", topic).increment();
            }
            LOG.debug("Ignoring a reply nobody waits for (duplicate, late or another replica's): {}", json);
        }
    }

    /** The reply in {@code json}, or a poison exception that says what is wrong with it. */
    static Reply parse(JsonNode json, String topic) {
        if (json == null || !json.isObject()) {
            throw new PoisonMessageException("saga reply is not a JSON object");
        }
        JsonNode orderId = json.get("order_id");
        if (orderId == null || !orderId.isTextual() && !orderId.isIntegralNumber() || orderId.asText().isBlank()) {
            throw new PoisonMessageException("saga reply without order_id");
        }
        if (json.get("success") == null || !json.get("success").isBoolean()) {
            throw new PoisonMessageException("saga reply without a boolean success");
        }
        String step = json.path("step").asText();
        Step participant = Arrays.stream(Step.values()).filter(s -> s.repliesTopic().equals(topic)).findFirst()
                .orElseThrow(() -> new PoisonMessageException("not a saga reply topic: " + topic));
        if (!Arrays.asList(participant.action(), participant.compensation(), participant.completion()).contains(step)) {
            throw new PoisonMessageException("saga reply for step '" + step + "', which " + participant.participant()
                    + " does not have");
        }
        JsonNode reason = json.get("reason");
        return new Reply(orderId.asText(), json.get("success").asBoolean(), step,
                reason == null || reason.isNull() ? null : reason.asText());
    }

    /** Replies ignored since start (duplicates and late ones). */
    public long ignored() {
        return ignored.get();
    }

    private static String key(String orderId, String action) {
        return orderId + '\u0000' + action;
    }
}
