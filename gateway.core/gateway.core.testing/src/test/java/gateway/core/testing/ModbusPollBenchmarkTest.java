package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.WordOrder;

class ModbusPollBenchmarkTest {

    private static SensorDefinition at(RegisterKind kind, int address, DataType type) {
        return SensorDefinition.builder(kind + "_" + address).kind(kind).address(address).type(type).build();
    }

    /** Holding 0-1, 10, 40 and input 0: blocks of 16 with gaps up to 10. */
    private static final List<SensorDefinition> SENSORS = List.of(
            at(RegisterKind.HOLDING, 0, DataType.UINT32), at(RegisterKind.HOLDING, 10, DataType.UINT16),
            at(RegisterKind.HOLDING, 40, DataType.UINT16), at(RegisterKind.INPUT, 0, DataType.UINT16));

    @Test
    void independentOptimumCountsEachTableAndHonoursGapBlockAndForbiddenRanges() {
        assertEquals(3, ModbusPollBenchmark.greedyMaximal(SENSORS, 16, 10, List.of()), "0-10 | 40 | input 0");
        assertEquals(4, ModbusPollBenchmark.greedyMaximal(SENSORS, 16, 5, List.of()), "the gap 2-10 is too wide");
        assertEquals(4, ModbusPollBenchmark.greedyMaximal(SENSORS, 8, 10, List.of()), "0-10 exceeds a block of 8");
        assertEquals(4, ModbusPollBenchmark.greedyMaximal(SENSORS, 16, 10,
                List.of(new AddressRange(RegisterKind.HOLDING, 5, 6))), "no block over a forbidden register");
    }

    @Test
    void plannerMeetsTheOptimumAndTheOtherRulesAreCounted() {
        ModbusDeviceProfile profile = new ModbusDeviceProfile(WordOrder.HIGH_WORD_FIRST, WordOrder.HIGH_WORD_FIRST,
                16, 10, List.of(), false);
        ModbusPollBenchmark.RequestsPerPoll r = ModbusPollBenchmark.requestsPerPoll(SENSORS, profile);
        assertEquals(4, r.sensors());
        assertEquals(3, r.planner());
        assertEquals(r.optimum(), r.planner());
        assertEquals(4, r.contiguousOnly());
        assertEquals(4, r.originalRule(), "<= 50 registers, gaps <= 5: 0-1 and 10 are 8 apart");
        assertTrue(r.report("test").contains("planner 3"), r.report("test"));
    }

    @Test
    void pollCycleReadsASimulatedDeviceThroughSessionAndBareTransport() throws Exception {
        try (SimulatedDevice device = new SimulatedDevice()) {
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", device.port(), 1);
            // contiguous blocks only: the bare transport does not split a block over undefined registers
            ModbusDeviceProfile contiguous = new ModbusDeviceProfile(TestDriver.ORDER, TestDriver.ORDER, 125, 0,
                    List.of(), false);
            ModbusPollBenchmark.PollCycle c = ModbusPollBenchmark.pollCycle(connection, contiguous,
                    TestDriver.SENSORS, 0, 3);
            long served = device.server().requestCount();
            assertEquals(3, c.requests(), "0-1, 10-12, 20-21");
            assertEquals(3, c.polls());
            assertTrue(c.gatewayMillis() > 0 && c.rawMillis() > 0);
            // warm-up and measured polls, each once through the transport and once through the session
            assertEquals(2L * (3 + 3) * c.requests(), served);
            assertEquals(0.0, c.floorMillis());
        }
    }
}
