package hub.health;

import java.util.Map;

import hub.cdc.CdcEngineStatus;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The embedded Debezium engine: UP while it streams, DOWN while it starts (snapshot, connecting) and DOWN with
 * Debezium's own reason once it failed (no binlog access, no replication rights, the driver missing...).
 */
public class CdcEngineHealthCheck extends DependencyHealthCheck {

    private final CdcEngineStatus status;

    public CdcEngineHealthCheck(CdcEngineStatus status) {
        super("cdc-engine");
        this.status = status;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("state", status.state().name());
        if (status.state() == CdcEngineStatus.State.RUNNING) {
            builder.up();
        } else {
            builder.message("CDC engine " + status.state().name().toLowerCase() + ": " + status.reason()).down();
        }
    }
}
