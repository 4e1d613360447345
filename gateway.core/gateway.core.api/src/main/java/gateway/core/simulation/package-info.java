/**
 * Shared parts of the drivers' simulators that are not about a protocol: the labelled faults anomaly detection is
 * evaluated against, which of them a simulated plant has active, how a compressor shows short cycling, and a
 * realistic simulated day of weather.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package gateway.core.simulation;
