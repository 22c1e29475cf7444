package hub.cdc;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the embedded engine is doing, for the health check and the state gauge. Once the connector's task runs,
 * Debezium's own snapshot and streaming MBeans tell a snapshot from streaming: a kill during the snapshot means a
 * new snapshot at the next start, so tooling and tests that need the binlog position must wait for STREAMING.
 */
public class CdcEngineStatus {

    public enum State {
        STOPPED, STARTING, CONNECTING, SNAPSHOT, STREAMING, FAILED;

        /** The connector's task runs: snapshotting, streaming or (re)connecting to the binlog. */
        public boolean capturing() {
            return this == CONNECTING || this == SNAPSHOT || this == STREAMING;
        }
    }

    public record Status(State state, String reason) {
    }

    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

    private volatile Status engine = new Status(State.STOPPED, "not started");
    private volatile ObjectName snapshotMetrics;
    private volatile ObjectName streamingMetrics;

    void starting(String topicPrefix) {
        snapshotMetrics = metrics("snapshot", topicPrefix);
        streamingMetrics = metrics("streaming", topicPrefix);
        engine = new Status(State.STARTING, "starting: checking the configuration and the database");
    }

    void taskStarted() {
        engine = new Status(State.CONNECTING, "connecting to the binlog");
    }

    /** The engine's completion callback: a stop Camel asked for, or a failure with Debezium's message. */
    void completed(boolean success, String message, Throwable error) {
        if (success && error == null) {
            engine = new Status(State.STOPPED, message == null ? "stopped" : message);
            return;
        }
        StringBuilder why = new StringBuilder(message == null ? "engine failed" : message);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !why.toString().contains(t.getMessage())) {
                why.append(": ").append(t.getMessage());
            }
        }
        engine = new Status(State.FAILED, why.toString());
    }

    public Status status() {
        Status now = engine;
        if (now.state() != State.CONNECTING) {
            return now;
        }
        if (Boolean.TRUE.equals(attribute(streamingMetrics, "Connected"))) {
            return new Status(State.STREAMING, "reading the binlog");
        }
        if (Boolean.TRUE.equals(attribute(snapshotMetrics, "SnapshotRunning"))) {
            return new Status(State.SNAPSHOT, attribute(snapshotMetrics, "RemainingTableCount")
                    + " of " + attribute(snapshotMetrics, "TotalTableCount") + " tables left");
        }
        return now;
    }

    public State state() {
        return status().state();
    }

    private static ObjectName metrics(String context, String topicPrefix) {
        try {
            // Debezium adds a task key to some names; the trailing * matches with or without it
            return new ObjectName("debezium.mysql:type=connector-metrics,context=" + context + ",server="
                    + topicPrefix + ",*");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException("topic prefix unusable in a JMX name: " + topicPrefix, e);
        }
    }

    private static Object attribute(ObjectName pattern, String attribute) {
        if (pattern == null) {
            return null;
        }
        Set<ObjectName> names = MBEANS.queryNames(pattern, null);
        for (ObjectName name : names) {
            try {
                return MBEANS.getAttribute(name, attribute);
            } catch (javax.management.JMException e) {
                // unregistered between the query and the read: the engine is stopping
            }
        }
        return null;
    }
}
