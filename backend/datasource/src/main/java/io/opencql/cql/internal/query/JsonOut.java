package io.opencql.cql.internal.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable UTF-8 byte sink for writing one JSON value at a time: collection, tuple, UDT and vector cells are
 * written here straight from the driver's bytes and appended to the field without a String in between.
 */
final class JsonOut {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[256];
    private int len;

    void reset() {
        len = 0;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Cuts the output back to {@code length} bytes (undoes what was written after it). */
    void truncate(int length) {
        len = length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    JsonOut raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends ASCII text as is (numbers, literals, punctuation). */
    JsonOut raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    JsonOut rawBytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** A JSON string from {@code n} UTF-8 bytes at {@code off} of {@code b}, escaping quotes, backslashes, controls. */
    JsonOut string(ByteBuffer b, int off, int n) {
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            escaped(b.get(off + i));
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    /** A JSON string from UTF-8 bytes. */
    JsonOut string(byte[] b, int off, int n) {
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            escaped(b[off + i]);
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    JsonOut string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return string(b, 0, b.length);
    }

    private void escaped(byte b) {
        if (b == '"' || b == '\\') {
            ensure(2);
            buf[len++] = '\\';
            buf[len++] = b;
        } else if (b >= 0 && b < 0x20) {
            ensure(6);
            buf[len++] = '\\';
            buf[len++] = 'u';
            buf[len++] = '0';
            buf[len++] = '0';
            buf[len++] = HEX[b >> 4];
            buf[len++] = HEX[b & 0xf];
        } else {
            ensure(1);
            buf[len++] = b; // ASCII or part of a UTF-8 sequence: JSON text is UTF-8
        }
    }

    /** A number, or NaN/±Infinity as strings (JSON has no such numbers). */
    JsonOut number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return raw('"').raw(Double.toString(d)).raw('"');
        }
        return raw(Double.toString(d));
    }

    JsonOut number(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return raw('"').raw(Float.toString(f)).raw('"');
        }
        return raw(Float.toString(f));
    }

    JsonOut number(long v) {
        return raw(Long.toString(v));
    }
}
