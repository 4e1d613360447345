package gateway.core.modbus;

import gateway.core.api.HeatpumpDriver;

/**
 * The part of a Modbus TCP driver that only says who it is: its {@link DriverIdentity}, the protocol and the standard
 * port. A driver extends this and implements what differs (register map, validation, dashboards, instructions).
 */
public abstract class ModbusHeatpumpDriver implements HeatpumpDriver {

    /** The protocol id every Modbus TCP driver reports. */
    public static final String PROTOCOL = "modbus_tcp";
    /** The port the Modbus TCP standard assigns; every supported controller listens there by default. */
    public static final int DEFAULT_PORT = 502;

    private final DriverIdentity identity;

    protected ModbusHeatpumpDriver(DriverIdentity identity) {
        if (identity == null) {
            throw new IllegalArgumentException("a driver needs an identity");
        }
        this.identity = identity;
    }

    public final DriverIdentity identity() {
        return identity;
    }

    @Override
    public final String manufacturerId() {
        return identity.manufacturerId();
    }

    @Override
    public final String manufacturerName() {
        return identity.manufacturerName();
    }

    @Override
    public final String modelId() {
        return identity.modelId();
    }

    @Override
    public final String modelName() {
        return identity.modelName();
    }

    @Override
    public final String protocol() {
        return PROTOCOL;
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }
}
