/**
 * The driver SPI and the gateway's domain types.
 *
 * <p>Driver bundles implement {@link gateway.core.api.HeatpumpDriver} (and optionally
 * {@link gateway.core.api.HeatpumpSimulator}); the core implements the {@code @ProviderType} services
 * ({@link gateway.core.api.HeatpumpManager}, {@link gateway.core.api.ManufacturerRegistry}, the stores) that the web
 * and other bundles use. Whoever wants readings registers a {@link gateway.core.api.ReadingListener}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package gateway.core.api;
