package hub.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's state as the health check and gauge report it, read from MBeans registered under the names
 * Debezium's MySQL connector gives its snapshot and streaming metrics (CdcRoutesTest shows the real engine's
 * STREAMING). A snapshot must never pass for streaming: a hub killed during it snapshots again at its next start.
 */
class CdcEngineStatusTest {

    private static final String PREFIX = "status-test";

    private final Map<String, Object> snapshot = new ConcurrentHashMap<>();
    private final Map<String, Object> streaming = new ConcurrentHashMap<>();
    private final ObjectName snapshotName = name("snapshot");
    private final ObjectName streamingName = name("streaming");

    @AfterEach
    void unregister() throws Exception {
        for (ObjectName name : new ObjectName[] {snapshotName, streamingName}) {
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        }
    }

    @Test
    void aRunningTaskIsConnectingUntilDebeziumsMetricsSayMore() {
        CdcEngineStatus status = new CdcEngineStatus();
        assertEquals(CdcEngineStatus.State.STOPPED, status.state());
        status.starting(PREFIX);
        assertEquals(CdcEngineStatus.State.STARTING, status.state());
        assertFalse(status.state().capturing());
        status.taskStarted();
        assertEquals(CdcEngineStatus.State.CONNECTING, status.state());
        assertTrue(status.state().capturing());
    }

    @Test
    void aSnapshotInProgressIsSnapshotNotStreamingThenStreamingOnceTheBinlogIsConnected() throws Exception {
        CdcEngineStatus status = new CdcEngineStatus();
        status.starting(PREFIX);
        status.taskStarted();
        register(snapshotName, snapshot);
        register(streamingName, streaming);
        snapshot.putAll(Map.of("SnapshotRunning", true, "RemainingTableCount", 1, "TotalTableCount", 2));
        streaming.put("Connected", false);

        CdcEngineStatus.Status during = status.status();
        assertEquals(CdcEngineStatus.State.SNAPSHOT, during.state());
        assertEquals("1 of 2 tables left", during.reason());
        assertTrue(during.state().capturing());

        snapshot.put("SnapshotRunning", false);
        assertEquals(CdcEngineStatus.State.CONNECTING, status.state(), "snapshot done, binlog not yet connected");
        streaming.put("Connected", true);
        assertEquals(CdcEngineStatus.State.STREAMING, status.state());
        streaming.put("Connected", false);
        assertEquals(CdcEngineStatus.State.CONNECTING, status.state(), "the binlog connection lost, reconnecting");
    }

    @Test
    void anEngineThatFailedOrStoppedIsNotCapturingWhateverItsMetricsLastSaid() throws Exception {
        register(streamingName, streaming);
        streaming.put("Connected", true);
        CdcEngineStatus status = new CdcEngineStatus();
        status.starting(PREFIX);
        status.taskStarted();
        status.completed(false, "Connector configuration is not valid", new IllegalStateException("Access denied"));
        assertEquals(CdcEngineStatus.State.FAILED, status.state());
        assertEquals("Connector configuration is not valid: Access denied", status.status().reason());
        status.completed(true, null, null);
        assertEquals(CdcEngineStatus.State.STOPPED, status.state());
    }

    private static ObjectName name(String context) {
        try {
            return new ObjectName("debezium.mysql:type=connector-metrics,context=" + context + ",server=" + PREFIX
                    + ",task=0");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void register(ObjectName name, Map<String, Object> attributes) throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new Attributes(attributes), name);
    }

    /** An MBean whose attributes are a map the test changes. */
    private record Attributes(Map<String, Object> values) implements DynamicMBean {

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            Object value = values.get(attribute);
            if (value == null) {
                throw new AttributeNotFoundException(attribute);
            }
            return value;
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            return new AttributeList();
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object invoke(String action, Object[] params, String[] signature) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(Attributes.class.getName(), "test stand-in", null, null, null, null);
        }
    }
}
