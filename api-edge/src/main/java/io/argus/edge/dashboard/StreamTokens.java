package io.argus.edge.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens that let a browser's {@code EventSource} (which cannot send headers) open one
 * job's event stream without putting an API key in a URL.
 *
 * <p>A token is {@code base64url(job_id + "\n" + expires_ms) + "." + base64url(HMAC-SHA256(secret,
 * that payload))} (HMAC: RFC 2104; base64url without padding: RFC 4648 section 5). It names one job
 * and an expiry in ms since the epoch; the secret is 32 random bytes made when the edge starts, so
 * tokens die with the edge (the page mints a new one). A token is checked when the stream opens
 * (constant-time comparison of the MAC); a stream that is open stays open past the expiry.
 *
 * <p>Thread-safe.
 */
public final class StreamTokens {

    /** How long a token may be used to open a stream: 60 s. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Duration lifetime;
    private final LongSupplier clock;

    /** Tokens with a fresh random secret, {@link #DEFAULT_LIFETIME} and the system clock. */
    public StreamTokens() {
        this(randomSecret(), DEFAULT_LIFETIME, System::currentTimeMillis);
    }

    /**
     * @param secret   the HMAC key, at least 32 bytes
     * @param lifetime how long a token may open a stream, positive
     * @param clock    now, ms since the epoch
     * @throws IllegalArgumentException for a shorter secret or a lifetime that is not positive
     */
    public StreamTokens(byte[] secret, Duration lifetime, LongSupplier clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the token secret must have at least 32 bytes");
        }
        if (lifetime.isZero() || lifetime.isNegative()) {
            throw new IllegalArgumentException("the token lifetime must be positive: " + lifetime);
        }
        this.secret = secret.clone();
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A minted token and when it stops opening streams. */
    public record Token(String token, long expiresAtMs) {
    }

    /**
     * @param jobId the job whose stream the token opens
     * @return a token valid for {@link #lifetime()} from now
     */
    public Token mint(String jobId) {
        long expires = clock.getAsLong() + lifetime.toMillis();
        byte[] payload = (jobId + "\n" + expires).getBytes(StandardCharsets.UTF_8);
        return new Token(B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload)), expires);
    }

    /**
     * @param token a token as sent, or null
     * @param jobId the job whose stream is asked for
     * @return true when the token was minted here for that job and has not expired
     */
    public boolean accepts(String token, String jobId) {
        if (token == null || jobId == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
            return false;
        }
        byte[] payload;
        byte[] presented;
        try {
            payload = B64D.decode(token.substring(0, dot));
            presented = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(mac(payload), presented)) {
            return false;
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int nl = text.lastIndexOf('\n');
        if (nl < 0 || !text.substring(0, nl).equals(jobId)) {
            return false;
        }
        try {
            return clock.getAsLong() <= Long.parseLong(text.substring(nl + 1));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return how long a token may open a stream */
    public Duration lifetime() {
        return lifetime;
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
