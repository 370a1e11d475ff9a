package io.opencql.grafana.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/** Grafana encodes NaN and ±Inf in FieldConfig numbers as JSON null; Jackson would write strings. */
final class FiniteDoubleSerializer extends StdSerializer<Double> {
    FiniteDoubleSerializer() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator g, SerializerProvider provider) throws IOException {
        if (value == null || value.isNaN() || value.isInfinite()) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }
}
