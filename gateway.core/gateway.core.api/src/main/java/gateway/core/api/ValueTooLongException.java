package gateway.core.api;

/**
 * A store refused a value longer than its column holds. It names the stored field (a column name such as
 * {@code endpoint_key}), never the value, which may be a secret: callers turn it into a 422, not a 500.
 */
public class ValueTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ValueTooLongException(String field, Throwable cause) {
        super(field + ": longer than the store holds", cause);
        this.field = field;
    }

    /** The stored field, lower case. */
    public String field() {
        return field;
    }
}
