package dev.trainyard.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture comparison fails on real differences and says where. */
class NnFixturesSelfTest {

    private static JsonNode fixture(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void passesWithinToleranceAndFailsOutside() throws Exception {
        JsonNode expected = fixture("{\"dtype\":\"float32\",\"shape\":[2,2],\"data\":[1.0,-2.0,0.0,\"Infinity\"]}");
        NnFixtures.assertClose("ok", expected, Tensor.of(new float[] {1.000005f, -2f, 5e-7f, Float.POSITIVE_INFINITY}, 2, 2));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> NnFixtures.assertClose("out", expected,
                Tensor.of(new float[] {1f, -2.001f, 0f, Float.POSITIVE_INFINITY}, 2, 2)));
        assertTrue(e.getMessage().startsWith("out: 1 of 4 values differ; max rel err 0.000500 at [0, 1]"), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> NnFixtures.assertClose("inf", expected,
                Tensor.of(new float[] {1f, -2f, 0f, Float.MAX_VALUE}, 2, 2)));
        assertThrows(AssertionFailedError.class, () -> NnFixtures.assertClose("shape", expected, Tensor.zeros(4)));
    }

    @Test
    void readsTensorsExactly() throws Exception {
        Tensor t = NnFixtures.tensor(fixture("{\"dtype\":\"float32\",\"shape\":[3],\"data\":[0.1,\"NaN\",-1e-40]}"));
        assertEquals(0.1f, t.toFloatArray()[0]);
        assertTrue(Float.isNaN(t.toFloatArray()[1]));
        assertEquals(-1e-40f, t.toFloatArray()[2]);
        Tensor i = NnFixtures.tensor(fixture("{\"dtype\":\"int64\",\"shape\":[],\"data\":[7]}"));
        assertEquals(7L, i.itemLong());
    }
}
