package hub.cdc;

/** What the embedded engine is doing, for the health check: the reason Debezium gave when it stopped. */
public class CdcEngineStatus {

    public enum State { STOPPED, STARTING, RUNNING, FAILED }

    private volatile State state = State.STOPPED;
    private volatile String reason = "not started";

    void starting() {
        set(State.STARTING, "starting (snapshot or connecting to the binlog)");
    }

    void running() {
        set(State.RUNNING, "streaming");
    }

    /** The engine's completion callback: a stop Camel asked for, or a failure with Debezium's message. */
    void completed(boolean success, String message, Throwable error) {
        if (success && error == null) {
            set(State.STOPPED, message == null ? "stopped" : message);
            return;
        }
        StringBuilder why = new StringBuilder(message == null ? "engine failed" : message);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !why.toString().contains(t.getMessage())) {
                why.append(": ").append(t.getMessage());
            }
        }
        set(State.FAILED, why.toString());
    }

    private synchronized void set(State state, String reason) {
        this.state = state;
        this.reason = reason;
    }

    public State state() {
        return state;
    }

    public String reason() {
        return reason;
    }
}
