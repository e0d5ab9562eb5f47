package dev.trainyard.worker;

import dev.trainyard.worker.devices.GpuSetting;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainyard.worker.* as Spring binds it into the agent's settings. */
class WorkerPropertiesTest {

    static WorkerProperties bind(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("trainyard.worker.platform-url", "http://127.0.0.1:8080",
                "trainyard.worker.token", "tyw_test", "trainyard.worker.name", "w"));
        props.putAll(extra);
        return new Binder(new MapConfigurationPropertySource(props)).bind("trainyard.worker", WorkerProperties.class).get();
    }

    @Test
    void gpusDefaultToAuto() {
        assertEquals(GpuSetting.AUTO, bind(Map.of()).toSettings().gpus());
    }

    @Test
    void gpusNoneSwitchesDiscoveryOff() {
        assertEquals(GpuSetting.NONE, bind(Map.of("trainyard.worker.gpus", "none")).toSettings().gpus());
        assertEquals(GpuSetting.AUTO, bind(Map.of("trainyard.worker.gpus", "AUTO")).toSettings().gpus());
    }

    @Test
    void outboxMaxItemsDefaultsTo500000AndCanBeSet() {
        assertEquals(500_000, bind(Map.of()).toSettings().outboxMaxItems());
        assertEquals(2_000, bind(Map.of("trainyard.worker.outbox-max-items", "2000")).toSettings().outboxMaxItems());
    }

    @Test
    void theWarmUpIsOnWith450StepsAndZeroTurnsItOff() {
        assertEquals(450, bind(Map.of()).toSettings().warmUpSteps());
        assertEquals(0, bind(Map.of("trainyard.worker.warm-up-steps", "0")).toSettings().warmUpSteps());
        var e = assertThrows(IllegalArgumentException.class,
                () -> bind(Map.of("trainyard.worker.warm-up-steps", "-1")).toSettings());
        assertEquals("warmUpSteps must be 0 (off) or more, got -1", e.getMessage());
    }

    @Test
    void anOutboxBoundBelowOneIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> bind(Map.of("trainyard.worker.outbox-max-items", "0")).toSettings());
        assertEquals("outboxMaxItems must be at least 1, got 0", e.getMessage());
    }

    @Test
    void anyOtherGpusValueIsRefusedNamingTheProperty() {
        var e = assertThrows(BindException.class, () -> bind(Map.of("trainyard.worker.gpus", "all")));
        assertTrue(e.getMessage().contains("trainyard.worker.gpus"), e.getMessage());
    }
}
