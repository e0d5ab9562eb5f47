package dev.trainyard.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class JsonAssert {
    private JsonAssert() {
    }

    /** A registration body: name, labels and the detected devices, no GPUs. */
    static void register(JsonNode body, String name, int cpus) {
        assertEquals(name, body.get("name").asText());
        assertEquals("test", body.get("labels").get("zone").asText());
        assertEquals(cpus, body.get("devices").get("cpus").asInt());
        assertEquals(true, body.get("devices").get("memoryMb").asInt() > 1000);
        assertEquals(0, body.get("devices").get("gpus").size());
    }
}
