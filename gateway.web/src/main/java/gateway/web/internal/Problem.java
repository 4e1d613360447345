package gateway.web.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param errors   individual validation messages, or null
 * @param extra    further members (e.g. {@code reason} of a refused write), written at the top level
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, String detail, String instance, List<String> errors,
               @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:heatpump-gateway:problem:";

    Problem {
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** The type URI of a named problem kind, e.g. {@code writes-disabled}. */
    static String type(String slug) {
        return slug == null ? "about:blank" : TYPE_PREFIX + slug;
    }

    @JsonAnyGetter
    Map<String, Object> extraMembers() {
        return extra;
    }
}
