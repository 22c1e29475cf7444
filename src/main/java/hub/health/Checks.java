package hub.health;

import java.util.concurrent.ExecutionException;

final class Checks {

    private Checks() {
    }

    /** The innermost useful message, for a one-line reason in the health body. */
    static String reason(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
