package hub.saga;

/** A participant refused its step (card declined, no stock, address unknown), or did not answer in time. */
public class StepFailedException extends RuntimeException {

    public StepFailedException(String message) {
        super(message);
    }
}
