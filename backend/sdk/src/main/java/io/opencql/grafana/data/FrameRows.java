package io.opencql.grafana.data;

/**
 * Row-level operations on a frame: the order that sorts it by time, and a new frame holding chosen rows in a
 * chosen order. Live streams use them to send only the new rows of a read, oldest first (the browser's
 * streaming buffer appends packets and trims by time, so each packet must be in ascending time).
 */
public final class FrameRows {

    private FrameRows() {
    }

    /**
     * Row indexes in ascending order of a time field, stable (equal times keep their order); null when the rows
     * are already in that order.
     *
     * @throws IllegalArgumentException when the field is not a time field or a time is null
     */
    public static int[] ascendingByTime(Field time) {
        if (time.type() != FieldType.TIME) {
            throw new IllegalArgumentException("field '" + time.name() + "' is a " + time.type() + ", not a time");
        }
        int n = time.size();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            if (time.isNull(i)) {
                throw new IllegalArgumentException("time field '" + time.name() + "' is null at row " + i);
            }
            t[i] = time.getLong(i);
        }
        return LongToWide.ascendingOrder(t);
    }

    /**
     * A new frame with the fields of {@code source} (names, types, nullability, labels, config), its name, refId and
     * meta, holding the rows {@code rows} in that order (a row may be repeated). {@code source} is left as it is.
     */
    public static Frame select(Frame source, int[] rows) {
        source.rowCount(); // equal field lengths, or throw before copying anything
        Frame out = new Frame(source.name(), source.refId(), source.meta());
        try {
            for (Field from : source.fields()) {
                Field to = out.addField(from.name(), from.type(), from.nullable(), rows.length);
                to.setLabels(from.labels());
                to.setConfig(from.config());
                for (int r : rows) {
                    copy(from, r, to);
                }
            }
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static void copy(Field from, int row, Field to) {
        if (from.isNull(row)) {
            to.appendNull();
            return;
        }
        switch (from.type()) {
            case FLOAT32, FLOAT64 -> to.appendDouble(from.getDouble(row));
            case BOOL -> to.appendBool(from.getBool(row));
            case STRING, JSON -> to.appendUtf8(from.getUtf8(row));
            // integral, uint64 as its bits, time as epoch ns, enum index: getLong and appendLong agree on all
            default -> to.appendLong(from.getLong(row));
        }
    }
}
