package gateway.core.store.internal;

/** A database operation failed (I/O, constraint, corrupt file); carries the SQL cause. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
