package gateway.core.modbus;

/**
 * Who a driver is to the gateway: the ids stored with every configured device and the names shown to people. The ids
 * are part of the device contract, so they are checked once here rather than in every driver.
 *
 * @param manufacturerId   contract id of the manufacturer, e.g. {@code nibe}
 * @param manufacturerName the manufacturer as people know it
 * @param modelId          contract id of the model, e.g. {@code s1155}
 * @param modelName        the model as people know it
 */
public record DriverIdentity(String manufacturerId, String manufacturerName, String modelId, String modelName) {

    public DriverIdentity {
        requireText(manufacturerId, "manufacturerId");
        requireText(manufacturerName, "manufacturerName");
        requireText(modelId, "modelId");
        requireText(modelName, "modelName");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("driver identity needs a " + name);
        }
    }
}
