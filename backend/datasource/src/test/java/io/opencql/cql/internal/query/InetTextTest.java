package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class InetTextTest {

    static String text(String address) throws Exception {
        byte[] b = InetAddress.getByName(address).getAddress();
        return CqlTypes.inet(ByteBuffer.wrap(b), 0, b.length);
    }

    @Test
    void ipv6InTheShortFormCqlshShows() throws Exception {
        assertEquals("2001:db8::1", text("2001:0db8:0:0:0:0:0:1"));
        assertEquals("::1", text("::1"));
        assertEquals("::", text("::"));
        assertEquals("fe80::", text("fe80:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"), "the longest zero run is shortened");
        assertEquals("1:0:0:1::1", text("1:0:0:1:0:0:0:1"));
        assertEquals("1::1:0:0:1:1", text("1:0:0:1:0:0:1:1"), "of two equal runs the first is shortened");
    }

    @Test
    void ipv4AsDottedQuad() throws Exception {
        assertEquals("10.1.2.3", text("10.1.2.3"));
    }
}
