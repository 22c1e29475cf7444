package hub.orders;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wakes {@code ?minVersion} readers as soon as this hub's read model has indexed their order, instead of
 * letting them poll Elasticsearch on a timer. Another replica may own the order's partition, so a reader
 * still looks again after a short bounded wait.
 */
public class ReadModelSignals {

    private final ConcurrentHashMap<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

    /** Call before reading the order, then {@link #await} if it is not there yet: no signal is missed. */
    public CountDownLatch watch(String uuid) {
        return waiting.computeIfAbsent(uuid, k -> new CountDownLatch(1));
    }

    public void await(String uuid, CountDownLatch signal, long maxMillis) throws InterruptedException {
        if (!signal.await(maxMillis, TimeUnit.MILLISECONDS)) {
            waiting.remove(uuid, signal);
        }
    }

    /** The read model indexed these orders. */
    public void indexed(Collection<String> uuids) {
        if (waiting.isEmpty()) {
            return;
        }
        for (String uuid : uuids) {
            CountDownLatch signal = waiting.remove(uuid);
            if (signal != null) {
                signal.countDown();
            }
        }
    }
}
