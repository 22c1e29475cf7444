package hub.events;

/** Events per second over a sliding window of whole seconds, cheap enough to update on every batch. */
class EventRate {

    private static final int WINDOW_SECONDS = 10;

    private final long[] counts = new long[WINDOW_SECONDS];
    private final long[] seconds = new long[WINDOW_SECONDS];

    synchronized void add(long n) {
        long now = System.currentTimeMillis() / 1000;
        int slot = (int) (now % WINDOW_SECONDS);
        if (seconds[slot] != now) {
            seconds[slot] = now;
            counts[slot] = 0;
        }
        counts[slot] += n;
    }

    synchronized double perSecond() {
        long now = System.currentTimeMillis() / 1000;
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (now - seconds[i] < WINDOW_SECONDS) {
                total += counts[i];
            }
        }
        return (double) total / WINDOW_SECONDS;
    }
}
