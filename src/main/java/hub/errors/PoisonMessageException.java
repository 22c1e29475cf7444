package hub.errors;

/** Input that can never be processed (bad JSON, missing fields, unknown type): dead-lettered at once. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
