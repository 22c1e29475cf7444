package hub.store;

import java.time.Duration;

/** Bounded waiting for a dependency at start, so a hub started beside its servers does not race them. */
final class Startup {

    interface Attempt<T> {
        T get() throws Exception;
    }

    private Startup() {
    }

    static <T> T await(String what, Duration wait, Attempt<T> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " not reachable after " + wait.toSeconds() + " s: "
                            + e.getMessage(), e);
                }
                Thread.sleep(1000);
            }
        }
    }
}
