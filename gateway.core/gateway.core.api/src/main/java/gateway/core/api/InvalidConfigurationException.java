package gateway.core.api;

import java.util.List;

/** A device definition is not acceptable (unknown driver, bad circuits, duplicate endpoint...). */
public class InvalidConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;
    private final boolean conflict;

    public InvalidConfigurationException(List<String> problems) {
        this(problems, false);
    }

    public InvalidConfigurationException(List<String> problems, boolean conflict) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.conflict = conflict;
    }

    public List<String> problems() {
        return problems;
    }

    /** True when the configuration clashes with another device (e.g. same host:port:unit) rather than being malformed. */
    public boolean conflict() {
        return conflict;
    }
}
