package gateway.web.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DerivedSensors;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.SensorLabels;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The language of an answer's sensor names and enum labels ({@code ?lang=} wins over {@code Accept-Language}; English
 * by default) and each driver's labels in it, read once per driver and language.
 */
final class Languages {

    private static final Logger LOG = LoggerFactory.getLogger(Languages.class);

    /** What the console speaks; a driver without labels in one of them answers in English. */
    static final List<String> SUPPORTED = List.of("en", "de");

    /** The gateway's own names of the sensors it derives ({@code DerivedSensors}), beside every driver's labels. */
    private static final Map<String, Map<String, String>> CORE = Map.of("de", Map.of(
            DerivedSensors.COP, "COP (aktuell)",
            DerivedSensors.COP_DAY, "COP heute",
            DerivedSensors.COP_MONTH, "COP dieser Monat"));

    private final Map<String, SensorLabels> withoutDriver = new ConcurrentHashMap<>();

    private static Map<String, String> core(String language) {
        return CORE.getOrDefault(language, Map.of());
    }

    /** Weak keys: an updated or removed driver bundle's class loader is not held by the cache. */
    private final Map<HeatpumpDriver, Map<String, SensorLabels>> cache = new WeakHashMap<>();

    /** {@code lang} (de, en, or a tag such as de-AT) if given and spoken, else the best of Accept-Language, else English. */
    static Locale of(ApiRequest request) {
        return of(request.query("lang"), request.header("Accept-Language"));
    }

    /**
     * The same for a request no handler has taken (problem documents): {@code lang} from the raw query string, so a
     * malformed query or a body is never parsed for it.
     */
    static Locale of(HttpServletRequest request) {
        String lang = null;
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("lang=") && pair.length() > 5) {
                    lang = pair.substring(5);
                }
            }
        }
        return of(lang, request.getHeader("Accept-Language"));
    }

    private static Locale of(String lang, String acceptLanguage) {
        if (lang != null) {
            String primary = lang.toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
            if (SUPPORTED.contains(primary)) {
                return Locale.forLanguageTag(primary);
            }
        }
        return fromHeader(acceptLanguage);
    }

    static Locale fromHeader(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
            return tag == null ? Locale.ENGLISH : Locale.forLanguageTag(tag);
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH; // a malformed header is no reason to refuse the answer
        }
    }

    /** The labels of the model's driver; English names while the driver is missing or English is asked for. */
    SensorLabels labels(ManufacturerRegistry registry, String manufacturer, String model, Locale locale) {
        if (locale == null || locale.getLanguage().equals("en")) {
            return SensorLabels.ENGLISH;
        }
        try {
            Optional<HeatpumpDriver> driver = registry.driver(manufacturer, model);
            if (driver.isPresent()) {
                return labels(driver.get(), locale);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{}/{}: driver labels unavailable: {}", manufacturer, model, e.toString());
        }
        return withoutDriver.computeIfAbsent(locale.getLanguage(), l -> SensorLabels.ENGLISH.withDefaults(core(l)));
    }

    private SensorLabels labels(HeatpumpDriver driver, Locale locale) {
        Map<String, SensorLabels> byLanguage;
        synchronized (cache) {
            byLanguage = cache.computeIfAbsent(driver, d -> new ConcurrentHashMap<>());
        }
        return byLanguage.computeIfAbsent(locale.getLanguage(), l -> {
            SensorLabels labels = driver.labels(locale);
            return (labels == null ? SensorLabels.ENGLISH : labels).withDefaults(core(l));
        });
    }
}
