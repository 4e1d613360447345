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
 * 2.1.0: {@link gateway.core.api.DeviceState#RATE_LIMITED} with {@link gateway.core.api.DeviceRateLimitedException},
 * {@link gateway.core.api.HeatpumpDriver#secretOptions()}, {@code validateConnection}, {@code endpointKey},
 * simulator connection options; {@link gateway.core.api.MqttStatus};
 * {@link gateway.core.api.NotificationOutboxStore#deleteFinished};
 * the gateway's identity in a fleet ({@link gateway.core.api.GatewayIdentity});
 * {@link gateway.core.api.ValueTooLongException}; COP sums ({@link gateway.core.api.CopStore}, with the
 * saved day sums {@link gateway.core.api.CopStore#days}) and browser
 * sessions ({@link gateway.core.api.UserStore#saveSession}) kept across a restart;
 * backup and restore ({@link gateway.core.api.BackupService});
 * cloud sign-in for the console's wizard ({@link gateway.core.api.CloudSignIn});
 * API tokens with an expiry ({@link gateway.core.api.UserStore.TokenInfo#expiresAt()});
 * localized sensor and enum names ({@link gateway.core.api.HeatpumpDriver#labels}, {@link gateway.core.api.SensorLabels}).
 * 2.2.0: model names and setup instructions in a language
 * ({@link gateway.core.api.HeatpumpDriver#modelName(java.util.Locale)},
 * {@link gateway.core.api.HeatpumpDriver#setupInstructions(java.util.Locale)}); poll lateness against the schedule
 * ({@link gateway.core.api.PollStatistics#pollLateness()}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package gateway.core.api;
