package hub.orders;

import java.util.List;

import hub.api.ApiErrors;
import hub.errors.PoisonMessageException;

/** A command with invalid fields; {@link #errors()} lists each field and what is wrong with it. */
public class ValidationException extends PoisonMessageException implements ApiErrors.Detailed {

    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super("invalid command: " + errors.size() + " field error(s)");
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
