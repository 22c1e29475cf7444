package hub.errors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import hub.testing.Kafka;
import hub.testing.SharedServices;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import routes.DeadLetterRoutes;
import routes.ErrorPolicy;

/**
 * The shared error policy on its own (kept out of package {@code routes}, which the hub scans for route
 * builders): a probe route that fails on demand, dead-lettering to real Kafka. */
@ExtendWith(SharedServices.class)
class ErrorPolicyTest extends CamelTestSupport {

    private final String deadLetterTopic = "policy-test-dlq-" + UUID.randomUUID();
    private final List<Long> attempts = new CopyOnWriteArrayList<>();
    private volatile int failuresLeft;
    private volatile RuntimeException failure;

    @BeforeEach
    void reset() {
        attempts.clear();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        camel.getPropertiesComponent().setLocation("classpath:application.properties");
        Properties overrides = new Properties();
        overrides.put("hub.dead-letter.topic", deadLetterTopic);
        overrides.put("hub.errors.transient.initial-delay-ms", "100");
        overrides.put("hub.errors.other.initial-delay-ms", "50");
        camel.getPropertiesComponent().setOverrideProperties(overrides);
        camel.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .setBrokers(SharedServices.properties().get("hub.kafka.brokers"));
        return camel;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new ErrorPolicy(), new DeadLetterRoutes(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:probe").routeId("policy-probe").routeConfigurationId(ErrorPolicy.ID)
                        .process(ErrorPolicyTest.this::attempt);
            }
        }};
    }

    private void attempt(Exchange exchange) {
        attempts.add(System.nanoTime());
        if (failuresLeft != 0) {
            failuresLeft--;
            throw failure;
        }
    }

    @Test
    void poisonIsDeadLetteredOnTheFirstAttempt() {
        fail(-1, new PoisonMessageException("unknown event type: Nope"));
        template.sendBodyAndHeader("direct:probe", "poison-body", "kafka.KEY", "k1");

        ConsumerRecord<String, String> dead = deadLetter("k1");
        assertEquals(1, attempts.size());
        assertEquals("poison-body", dead.value());
        assertEquals("poison", Kafka.header(dead, DeadLetters.KIND));
        assertEquals("unknown event type: Nope", Kafka.header(dead, DeadLetters.REASON));
        assertEquals("policy-probe", Kafka.header(dead, DeadLetters.ROUTE));
        assertEquals("1", Kafka.header(dead, DeadLetters.ATTEMPTS));
    }

    @Test
    void transientFaultIsRetriedWithGrowingBackoffUntilItPasses() {
        fail(4, new IllegalStateException("index write failed", new ConnectException("Connection refused")));
        template.sendBodyAndHeader("direct:probe", "transient-body", "kafka.KEY", "k2");

        assertEquals(5, attempts.size(), "four failures, then success");
        long firstGap = attempts.get(1) - attempts.get(0);
        long lastGap = attempts.get(4) - attempts.get(3);
        assertTrue(lastGap > 3 * firstGap, "exponential backoff: " + firstGap / 1e6 + " ms then " + lastGap / 1e6 + " ms");
        assertTrue(Kafka.readAll(deadLetterTopic, Duration.ofSeconds(2)).stream().noneMatch(r -> "k2".equals(r.key())));
    }

    @Test
    void otherFailuresGetThreeRetriesThenTheDeadLetterTopic() {
        fail(-1, new IllegalArgumentException("constraint violated"));
        template.sendBodyAndHeader("direct:probe", "bad-body", "kafka.KEY", "k3");

        ConsumerRecord<String, String> dead = deadLetter("k3");
        assertEquals(4, attempts.size());
        assertEquals("error", Kafka.header(dead, DeadLetters.KIND));
        assertEquals("java.lang.IllegalArgumentException", Kafka.header(dead, DeadLetters.EXCEPTION));
        assertEquals("4", Kafka.header(dead, DeadLetters.ATTEMPTS));
    }

    private void fail(int times, RuntimeException with) {
        failuresLeft = times;
        failure = with;
    }

    private ConsumerRecord<String, String> deadLetter(String key) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> Kafka.readAll(deadLetterTopic, Duration.ofSeconds(1)).stream()
                        .filter(r -> key.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
    }
}
