package gateway.core.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The gateway's identity in a fleet (configuration pid {@code gateway.identity}). */
@ObjectClassDefinition(name = "Gateway identity",
        description = "gateway_id and site: labels on every pushed series, so many gateways can share one database")
public @interface IdentityConfig {

    /** Key {@code gateway_id} (a double underscore is one underscore in the key). */
    @AttributeDefinition(name = "Gateway id", required = false,
            description = "1-64 letters, digits, _ . - ; empty = the id derived at first start and kept in the "
                    + "database")
    String gateway__id() default "";

    @AttributeDefinition(name = "Site", required = false,
            description = "Optional site label (1-64 letters, digits, _ . -); empty = none")
    String site() default "";
}
