/**
 * The driver SPI and the gateway's domain types.
 *
 * <p>Driver bundles implement {@link gateway.core.api.HeatpumpDriver} (and optionally
 * {@link gateway.core.api.AnomalyProfile} on the same service object, and {@link gateway.core.api.HeatpumpSimulator});
 * the core implements the {@code @ProviderType} services
 * ({@link gateway.core.api.HeatpumpManager}, {@link gateway.core.api.ManufacturerRegistry}, the stores) that the web
 * and other bundles use. Whoever wants readings registers a {@link gateway.core.api.ReadingListener}.
 *
 * <p>1.2.0: notifications ({@link gateway.core.api.Notification}, {@link gateway.core.api.NotificationOutbox}).
 * 2.0.0: the anomaly-detection hooks left {@code HeatpumpDriver} for {@link gateway.core.api.AnomalyProfile};
 * connection diagnosis ({@link gateway.core.api.ConnectionDiagnosis}).
 * 2.1.0: backup and restore ({@link gateway.core.api.BackupService}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package gateway.core.api;
