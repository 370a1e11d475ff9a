package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.List;

/**
 * How a long time-series frame's fields are read ({@link LongToWide}, {@link TimeGroup}): the first TIME field is
 * the time (null: none), every STRING and BOOL field a dimension naming the series, every numeric field a value;
 * other fields (later TIME fields, JSON, enums) take no part.
 */
record LongFrameFields(Field time, List<Field> dims, List<Field> values) {

    static LongFrameFields of(Frame frame) {
        Field time = null;
        List<Field> dims = new ArrayList<>();
        List<Field> values = new ArrayList<>();
        for (Field f : frame.fields()) {
            if (f.type() == FieldType.TIME) {
                if (time == null) {
                    time = f;
                }
            } else if (f.type() == FieldType.STRING || f.type() == FieldType.BOOL) {
                dims.add(f);
            } else if (f.type().isNumeric()) {
                values.add(f);
            }
        }
        return new LongFrameFields(time, dims, values);
    }
}
