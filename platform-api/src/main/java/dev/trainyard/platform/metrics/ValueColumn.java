package dev.trainyard.platform.metrics;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A column of metric values, written as a JSON array of numbers (NaN and the infinities as strings). Exactly, or,
 * for format chart ({@code float32}), each value rounded to a 32-bit float and written with the fewest digits that
 * read back to that float (at most 9 significant digits instead of up to 17: a chart cannot draw the difference, and
 * the answer is about half the bytes to send and parse). A value a 32-bit float cannot hold as a normal number
 * (magnitude over 3.4e38 or, except 0, under 1.2e-38) is written exactly, so nothing becomes an infinity or 0.
 */
@JsonSerialize(using = ValueColumn.Writer.class)
@ArraySchema(schema = @Schema(description = "a number, or \"NaN\", \"Infinity\", \"-Infinity\""))
public record ValueColumn(double[] values, boolean float32) {

    /** Whether {@code v} is written at float32 precision in a float32 column. */
    static boolean fitsFloat32(double v) {
        double a = Math.abs(v);
        return a == 0 || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE) || !Double.isFinite(v);
    }

    static final class Writer extends ValueSerializer<ValueColumn> {

        @Override
        public void serialize(ValueColumn column, JsonGenerator gen, SerializationContext ctxt) {
            double[] values = column.values;
            gen.writeStartArray(column, values.length);
            if (column.float32) {
                for (double v : values) {
                    if (fitsFloat32(v)) {
                        gen.writeNumber((float) v);
                    } else {
                        gen.writeNumber(v);
                    }
                }
            } else {
                for (double v : values) {
                    gen.writeNumber(v);
                }
            }
            gen.writeEndArray();
        }
    }
}
