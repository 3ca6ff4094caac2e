package io.argus.edge.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Argus-Signature} header of hook calls, and its verification by receivers.
 *
 * <p>Format: {@code X-Argus-Signature: t=<unix seconds>,v1=<hex>} where {@code <hex>} is the
 * lowercase hex HMAC-SHA256, keyed with the UTF-8 bytes of the shared secret, of the ASCII text
 * {@code "<t>."} followed by the raw request body bytes. {@code t} is the time of the attempt, so
 * each retry carries a fresh timestamp (and signature) over the same body.
 *
 * <p>To verify a call, a receiver:
 * <ol>
 *   <li>reads the raw body bytes before any JSON parsing (re-serialized JSON will not match);</li>
 *   <li>splits the header on {@code ,} into {@code key=value} pairs, takes {@code t} and every
 *       {@code v1} (more than one may appear during a secret rotation);</li>
 *   <li>computes {@code HMAC-SHA256(secret, t + "." + body)} and compares it with each {@code v1}
 *       in constant time; one match is enough;</li>
 *   <li>rejects the call when {@code |now - t|} exceeds its tolerance (e.g. 300 s), against
 *       replays;</li>
 *   <li>de-duplicates on the {@code Idempotency-Key} header: a call may arrive more than once
 *       (an answer lost to a timeout is retried).</li>
 * </ol>
 * {@link #verify(String, String, byte[], long)} does steps 2 to 4. Thread-safe, stateless.
 */
public final class HookSignature {

    /** Header carrying the signature. */
    public static final String HEADER = "X-Argus-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private HookSignature() {
    }

    /**
     * @param secret      shared secret
     * @param unixSeconds signing time, seconds since the epoch
     * @param body        raw body bytes
     * @return the header value {@code t=<unixSeconds>,v1=<hex>}
     */
    public static String sign(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
    }

    /**
     * @param secret      shared secret
     * @param unixSeconds signing time, seconds since the epoch
     * @param body        raw body bytes
     * @return lowercase hex HMAC-SHA256(secret, "&lt;unixSeconds&gt;." + body)
     */
    public static String hmacHex(String secret, long unixSeconds, byte[] body) {
        return HEX.formatHex(hmac(secret, unixSeconds, body));
    }

    /**
     * Verifies a signature header against the current time.
     *
     * @param secret           shared secret
     * @param header           the {@code X-Argus-Signature} value, or null
     * @param body             raw body bytes as received
     * @param toleranceSeconds largest accepted distance between {@code t} and now, seconds
     * @return true when one {@code v1} matches and {@code t} is within the tolerance
     */
    public static boolean verify(String secret, String header, byte[] body, long toleranceSeconds) {
        return verify(secret, header, body, toleranceSeconds, System.currentTimeMillis() / 1000);
    }

    /**
     * Verifies a signature header against a given time (for tests and replays of stored calls).
     *
     * @param secret           shared secret
     * @param header           the {@code X-Argus-Signature} value, or null
     * @param body             raw body bytes as received
     * @param toleranceSeconds largest accepted distance between {@code t} and {@code nowSeconds}
     * @param nowSeconds       the current time, seconds since the epoch
     * @return true when one {@code v1} matches and {@code t} is within the tolerance; false for a
     *         missing or malformed header, a null secret or body
     */
    public static boolean verify(String secret, String header, byte[] body, long toleranceSeconds, long nowSeconds) {
        if (secret == null || header == null || body == null) {
            return false;
        }
        Long t = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (t != null) {
                    return false; // two timestamps: ambiguous
                }
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (key.equals("v1")) {
                try {
                    candidates.add(HEX.parseHex(value.toLowerCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    // not hex: cannot match, ignore
                }
            }
        }
        if (t == null || candidates.isEmpty() || Math.abs(nowSeconds - t) > Math.max(0, toleranceSeconds)) {
            return false;
        }
        byte[] expected = hmac(secret, t, body);
        boolean ok = false;
        for (byte[] c : candidates) {
            ok |= MessageDigest.isEqual(expected, c);
        }
        return ok;
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
