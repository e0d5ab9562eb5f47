package dev.trainyard.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.worker.client.ClientRecords.Gpu;
import dev.trainyard.worker.devices.GpuProbe;
import dev.trainyard.worker.devices.GpuSetting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.trainyard.worker.agent.WorkerAgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The GPUs a probe finds, as the platform sees them: in the registration body and in the log of a run given one. */
class GpuRegistrationTest {
    static final List<Gpu> TWO_GPUS = List.of(new Gpu("NVIDIA A100-SXM4-40GB", 40_536), new Gpu("NVIDIA L4", 22_491));

    @TempDir
    Path dir;
    final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    FakePlatform platform() throws IOException {
        FakePlatform p = new FakePlatform();
        closeLater.add(p);
        return p;
    }

    WorkerAgent agent(FakePlatform p, GpuSetting gpus, GpuProbe probe) {
        WorkerSettings s = new WorkerSettings(p.url(), "tyw_test", "gpu-worker", Map.of("zone", "test"), 1,
                WorkerAgentTest.DATA, dir.resolve("work"), 0, 0, gpus, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(20));
        WorkerAgent a = new WorkerAgent(s, probe);
        closeLater.add(a);
        a.start();
        return a;
    }

    static JsonNode registeredGpus(FakePlatform p) throws InterruptedException {
        await("the registration", Duration.ofSeconds(10), () -> p.registrations.get() > 0);
        FakePlatform.Request register = p.requests().stream().filter(r -> r.kind().equals("register")).findFirst().orElseThrow();
        assertEquals("POST", register.method());
        assertEquals("/api/v1/workers", register.path());
        return register.json().get("devices").get("gpus");
    }

    @Test
    void theGpusAProbeFindsAreRegisteredWithModelAndMemory() throws Exception {
        FakePlatform p = platform();
        agent(p, GpuSetting.AUTO, () -> GpuProbe.Discovery.found(TWO_GPUS));

        JsonNode gpus = registeredGpus(p);
        assertEquals(2, gpus.size(), gpus.toString());
        assertEquals("NVIDIA A100-SXM4-40GB", gpus.get(0).get("model").asText());
        assertEquals(40_536, gpus.get(0).get("memoryMb").asInt());
        assertEquals("NVIDIA L4", gpus.get(1).get("model").asText());
        assertEquals(22_491, gpus.get(1).get("memoryMb").asInt());
    }

    @Test
    void gpusNoneRegistersNoGpusWithoutProbing() throws Exception {
        FakePlatform p = platform();
        AtomicInteger probed = new AtomicInteger();
        agent(p, GpuSetting.NONE, () -> {
            probed.incrementAndGet();
            return GpuProbe.Discovery.found(TWO_GPUS);
        });

        assertEquals(0, registeredGpus(p).size());
        assertEquals(0, probed.get(), "the probe must not run with gpus=none");
    }

    @Test
    void aProbeFindingNoneRegistersNoGpus() throws Exception {
        FakePlatform p = platform();
        agent(p, GpuSetting.AUTO, () -> GpuProbe.Discovery.none("libcuda.so.1 not found"));

        assertEquals(0, registeredGpus(p).size());
    }

    @Test
    void aRunGivenAGpuSaysOnceInItsLogThatItTrainsOnTheCpu() throws Exception {
        FakePlatform p = platform();
        p.queueRun(11, 1, WorkerAgentTest.SHORT, List.of(1));
        agent(p, GpuSetting.AUTO, () -> GpuProbe.Discovery.found(TWO_GPUS));
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));

        List<String> gpuLines = p.logLines.stream().filter(l -> l.contains("GPU")).toList();
        assertEquals(List.of("GPU 1 (NVIDIA L4) leased, but the engine has no CUDA backend yet: training on the CPU"),
                gpuLines);
    }

    @Test
    void aRunGivenNoGpuSaysNothingAboutGpus() throws Exception {
        FakePlatform p = platform();
        p.queueRun(12, 1, WorkerAgentTest.SHORT);
        agent(p, GpuSetting.AUTO, () -> GpuProbe.Discovery.found(TWO_GPUS));
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));

        assertEquals(List.of(), p.logLines.stream().filter(l -> l.contains("GPU")).toList());
    }
}
