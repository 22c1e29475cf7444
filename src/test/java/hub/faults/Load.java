package hub.faults;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import hub.testing.HubProcess;

/**
 * Steady input for one strategy on its own thread, through a hub that may die under it: a request the hub
 * refused (connection refused) is sent again once a hub answers; one whose answer was lost (the hub died
 * with it in hand) is sent again only where the input carries its own idempotency (a sequence, an order id).
 */
abstract class Load {

    /** The hubs a load talks to, round robin over those not marked down. */
    static final class Hubs {
        private final List<HubProcess> all;
        private final Set<HubProcess> down = ConcurrentHashMap.newKeySet();
        private final AtomicInteger next = new AtomicInteger();

        Hubs(HubProcess... hubs) {
            this.all = List.of(hubs);
        }

        void down(HubProcess hub) {
            down.add(hub);
        }

        HubProcess next() {
            List<HubProcess> up = all.stream().filter(h -> !down.contains(h)).toList();
            List<HubProcess> from = up.isEmpty() ? all : up;
            return from.get(Math.floorMod(next.getAndIncrement(), from.size()));
        }
    }

    protected final Hubs hubs;
    private final int inputs;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;
    /** requests whose answer was lost with the hub */
    protected final AtomicLong uncertain = new AtomicLong();

    Load(String name, Hubs hubs, int inputs) {
        this.hubs = hubs;
        this.inputs = inputs;
        this.thread = new Thread(this::run, "fault-load-" + name);
    }

    /** Sends input number {@code i}; false when it gave up because the load was stopped. */
    protected abstract boolean send(int i) throws Exception;

    Load start() {
        thread.start();
        return this;
    }

    /** Stops after the input in hand; fails if the load itself failed. */
    void stop() throws Exception {
        stopping = true;
        thread.join(Duration.ofSeconds(60).toMillis());
        if (failure != null) {
            throw new AssertionError(thread.getName() + " failed", failure);
        }
    }

    boolean stopping() {
        return stopping;
    }

    private void run() {
        try {
            for (int i = 0; i < inputs && !stopping; i++) {
                if (!send(i)) {
                    return;
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * POSTs until a hub answers; null when the load was stopped first, or when the answer was lost and
     * {@code repeatable} is false (the request may or may not have taken effect).
     */
    protected HttpResponse<String> post(String path, String json, boolean repeatable) throws Exception {
        while (!stopping) {
            try {
                HttpResponse<String> answer = hubs.next().post(path, json);
                if (!starting(answer)) {
                    return answer;
                }
                pause();
            } catch (ConnectException refused) {
                pause();
            } catch (IOException lost) {
                uncertain.incrementAndGet();
                if (!repeatable) {
                    return null;
                }
                pause();
            }
        }
        return null;
    }

    /** A hub that listens before its REST routes are bound answers 404 without the API's JSON error, or 503. */
    private static boolean starting(HttpResponse<String> answer) {
        return answer.statusCode() == 503 || answer.statusCode() == 404 && !answer.body().contains("\"error\"");
    }

    /** While no hub answers: the load keeps its pace without spinning. */
    protected static void pause() throws InterruptedException {
        Thread.sleep(100);
    }
}
