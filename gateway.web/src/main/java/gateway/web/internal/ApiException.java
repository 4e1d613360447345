package gateway.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An error the API answers with a problem document; thrown by handlers and the request plumbing. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String title;
    private final List<String> errors;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, String slug, String title, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail, null);
    }

    static ApiException badRequest(String detail, List<String> errors) {
        return new ApiException(400, "bad-request", "Bad request", detail, errors);
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail, null);
    }

    static ApiException invalid(String detail, List<String> errors) {
        return new ApiException(422, "invalid-value", "Invalid value", detail, errors);
    }

    static ApiException unavailable(String slug, String title, String detail) {
        return new ApiException(503, slug, title, detail, null);
    }

    ApiException with(String member, Object value) {
        if (value != null) {
            extra.put(member, value);
        }
        return this;
    }

    ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    Problem toProblem(String instance) {
        return new Problem(Problem.type(slug), title, status, getMessage(), instance, errors, extra);
    }

    /**
     * The problem document in a language: title, detail and errors from the {@link MessageCatalog} where it has them;
     * type, status, slugs and the extra members (field names, reasons) never change.
     */
    Problem toProblem(String instance, Locale locale) {
        MessageCatalog texts = MessageCatalog.BUNDLE;
        List<String> translated = texts.texts(errors, locale);
        // the manager's validation says its problems joined as the detail: joined again, each in the language
        String detail = !errors.isEmpty() && String.join("; ", errors).equals(getMessage())
                ? String.join("; ", translated) : texts.text(getMessage(), locale);
        return new Problem(Problem.type(slug), texts.title(slug, title, locale), status, detail, instance,
                translated, extra);
    }
}
