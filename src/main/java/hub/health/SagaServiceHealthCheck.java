package hub.health;

import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Says which saga service runs the checkout: the LRA coordinator, or the in-memory fallback, which keeps no
 * saga across a restart. Up either way; the details carry the warning.
 */
public class SagaServiceHealthCheck extends DependencyHealthCheck {

    private final boolean lra;
    private final String coordinatorUrl;
    private final LongSupplier ignoredReplies;

    public SagaServiceHealthCheck(boolean lra, String coordinatorUrl, LongSupplier ignoredReplies) {
        super("saga-service");
        this.lra = lra;
        this.coordinatorUrl = coordinatorUrl;
        this.ignoredReplies = ignoredReplies;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("saga.service", lra ? "lra" : "in-memory");
        if (lra) {
            builder.detail("lra.coordinator", coordinatorUrl);
        } else {
            builder.detail("warning", "no LRA coordinator configured: sagas running when the hub stops are lost");
        }
        builder.detail("saga.replies.ignored", ignoredReplies.getAsLong());
        builder.up();
    }
}
