package io.opencql.cql.internal.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The Live channel of a stream: {@code ds/<data source uid>/tail/<id>}.
 *
 * <p>{@code <id>} names the query, not a session: 32 base64url characters of the SHA-256 of the stream's spec
 * (org, tenant, data source uid and the query's stream-relevant keys, {@link StreamSpec#canonicalJson()}). So the
 * same query always gets the same channel (panels showing it share one RunStream), the path survives a plugin
 * restart (Grafana calls RunStream again with nothing but the path), and a client cannot make up a query: a path
 * is only served when this plugin issued it ({@link StreamRegistry}), the hash only finds what was registered.
 *
 * <p>Live's rules (Grafana {@code live/channel.go}): a channel is at most 160 characters, the namespace (the uid)
 * is {@code [A-Za-z0-9_\-.]}, the path {@code [A-Za-z0-9_\-/=.]}. With Grafana's longest uid (40 characters) a
 * channel is 3 + 40 + 1 + 5 + 32 = 81 characters.
 */
final class StreamPath {

    public static final String PREFIX = "tail/";
    /** 24 bytes of SHA-256 (192 bits), base64url without padding. */
    public static final int ID_LENGTH = 32;
    public static final int MAX_CHANNEL_LENGTH = 160;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{" + ID_LENGTH + "}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final byte[] DOMAIN = "opencql-cql-datasource/live/v1\n".getBytes(StandardCharsets.UTF_8);

    private StreamPath() {
    }

    /** The id of a spec: its canonical JSON hashed (with a version prefix, so a new scheme cannot collide). */
    public static String id(StreamSpec spec) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            byte[] digest = sha.digest(spec.canonicalJson());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, ID_LENGTH * 3 / 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    public static String path(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a stream id: " + id);
        }
        return PREFIX + id;
    }

    /** The id in a channel path, or null when the path is not one this plugin issues. */
    public static String idOf(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String id = path.substring(PREFIX.length());
        return isId(id) ? id : null;
    }

    public static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /**
     * The whole channel for a data source's uid and a path.
     *
     * @throws IllegalArgumentException saying why Live cannot carry it (uid characters or channel length)
     */
    public static String channel(String dataSourceUid, String path) {
        if (dataSourceUid == null || dataSourceUid.isEmpty()) {
            throw new IllegalArgumentException("the data source has no uid, which Live channels are named by");
        }
        if (!NAMESPACE.matcher(dataSourceUid).matches()) {
            throw new IllegalArgumentException("the data source uid '" + dataSourceUid
                    + "' has characters a Live channel cannot carry (allowed: letters, digits, '_', '-', '.')");
        }
        String channel = "ds/" + dataSourceUid + "/" + path;
        if (channel.length() > MAX_CHANNEL_LENGTH) {
            throw new IllegalArgumentException("the data source uid '" + dataSourceUid + "' is too long for a Live channel ("
                    + channel.length() + " > " + MAX_CHANNEL_LENGTH + " characters)");
        }
        return channel;
    }
}
