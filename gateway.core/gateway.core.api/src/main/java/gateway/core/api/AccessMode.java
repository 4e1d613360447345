package gateway.core.api;

/** Whether the gateway may read and/or write a sensor. */
public enum AccessMode {
    READ_ONLY, READ_WRITE, WRITE_ONLY;

    public boolean readable() {
        return this != WRITE_ONLY;
    }

    public boolean writable() {
        return this != READ_ONLY;
    }
}
