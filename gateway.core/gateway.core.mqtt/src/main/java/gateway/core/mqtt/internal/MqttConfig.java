package gateway.core.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the MQTT bridge (configuration pid {@code gateway.mqtt}; {@code deploy/gateway.mqtt.cfg} works). DS maps
 * a single underscore in a method name to a dot, so {@code broker_url} is the key {@code broker.url}.
 */
@ObjectClassDefinition(name = "MQTT and Home Assistant",
        description = "Publishes values, state and availability to an MQTT broker, announces devices to Home "
                + "Assistant, and optionally takes commands through the gateway's write path")
public @interface MqttConfig {

    @AttributeDefinition(name = "Broker URL",
            description = "tcp://host:1883 or ssl://host:8883; empty switches MQTT off", required = false)
    String broker_url() default "";

    @AttributeDefinition(name = "User name", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Never returned by the API nor logged")
    String password() default "";

    @AttributeDefinition(name = "Client id", required = false,
            description = "Empty: heatpump-gateway-<gateway id>")
    String client_id() default "";

    @AttributeDefinition(name = "Topic prefix", description = "Root of every topic: <prefix>/<heatpump id>/<sensor>;"
            + " {gateway_id} and {site} are replaced by the gateway's identity, so gateways sharing a broker do not"
            + " collide")
    String topic_prefix() default "heatpump";

    @AttributeDefinition(name = "QoS", description = "Quality of service of published messages", options = {
            @org.osgi.service.metatype.annotations.Option(label = "0: at most once", value = "0"),
            @org.osgi.service.metatype.annotations.Option(label = "1: at least once", value = "1"),
            @org.osgi.service.metatype.annotations.Option(label = "2: exactly once", value = "2") })
    int qos() default 1;

    @AttributeDefinition(name = "Home Assistant discovery")
    boolean discovery_enabled() default true;

    @AttributeDefinition(name = "Discovery prefix", description = "Home Assistant's discovery prefix")
    String discovery_prefix() default "homeassistant";

    @AttributeDefinition(name = "Accept commands",
            description = "Take <prefix>/<heatpump id>/<sensor>/set through the write path (write switch, "
                    + "validation, audit actor 'mqtt')")
    boolean commands_enabled() default false;

    @AttributeDefinition(name = "Legacy topics",
            description = "Also publish the original's bare <prefix>/<sensor> topics for the device hp-legacy")
    boolean legacy_topics() default false;

    @AttributeDefinition(name = "CA certificate file", required = false,
            description = "PEM file of the CA (or self-signed certificate) that signed the broker's certificate; "
                    + "empty uses the JVM's trusted CAs")
    String tls_ca_file() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "PKCS12 or JKS trust store, instead of a CA file")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String tls_truststore_password() default "";

    @AttributeDefinition(name = "Publish interval (s)",
            description = "0 publishes every poll; otherwise at most one value message per sensor per interval "
                    + "(an enum or on/off value is always published when it changes)", min = "0", max = "86400")
    int publish_interval_seconds() default 0;

    @AttributeDefinition(name = "Outgoing queue capacity",
            description = "Messages waiting for the broker before new value messages are dropped (counted)",
            min = "100")
    int queue_capacity() default 20000;
}
