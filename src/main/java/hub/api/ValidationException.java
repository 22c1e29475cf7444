package hub.api;

import java.util.List;

import hub.errors.PoisonMessageException;

/** Input with invalid fields; {@link #errors()} lists each field and what is wrong with it. */
public class ValidationException extends PoisonMessageException implements ApiErrors.Detailed {

    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    /** {@code what} names the input, e.g. "command" or "event". */
    public ValidationException(String what, List<FieldError> errors) {
        super("invalid " + what + ": " + errors.stream().map(e -> e.field() + " " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("no detail"));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public Object details() {
        return errors;
    }
}
