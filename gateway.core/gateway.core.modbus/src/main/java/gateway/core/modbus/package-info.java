/**
 * Modbus TCP for driver bundles: the transport (on j2mod), codecs for every {@link gateway.core.api.DataType} with
 * declared word order, the request planner, a generic {@link gateway.core.api.DeviceSession} for table-driven
 * drivers, and a Modbus TCP server with fault injection for simulators.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package gateway.core.modbus;
