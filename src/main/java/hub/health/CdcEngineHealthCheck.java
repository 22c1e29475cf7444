package hub.health;

import java.util.Map;

import hub.cdc.CdcEngineStatus;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The embedded Debezium engine: UP while its task runs (snapshot, streaming, or reconnecting to the binlog; its
 * message says which), DOWN while it starts and DOWN with Debezium's own reason once it failed (no binlog
 * access, no replication rights, the driver missing...).
 */
public class CdcEngineHealthCheck extends DependencyHealthCheck {

    private final CdcEngineStatus status;

    public CdcEngineHealthCheck(CdcEngineStatus status) {
        super("cdc-engine");
        this.status = status;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CdcEngineStatus.Status now = status.status();
        builder.detail("state", now.state().name());
        // a message on UP too: the health endpoint shows it, so a long first snapshot shows its progress
        builder.message("CDC engine " + now.state().name().toLowerCase() + ": " + now.reason());
        if (now.state().capturing()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
