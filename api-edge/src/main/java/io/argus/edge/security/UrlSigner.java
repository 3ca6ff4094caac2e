package io.argus.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed URLs: a GET path and query that work without credentials until an expiry, for
 * {@code <video>} and {@code <img>} tags that cannot send headers (the idea of S3 presigned URLs,
 * AWS Signature Version 4 query authentication, much simplified).
 *
 * <p>A signed URL is {@code <path>?<query>&expires=<E>&signature=<S>} (or
 * {@code <path>?expires=<E>&signature=<S>} without a query), where {@code E} is the expiry in
 * seconds since the epoch and {@code S} is the lower-case hexadecimal HMAC-SHA256 (RFC 2104) of
 * <pre>
 * "GET" "\n" path "\n" query "\n" E
 * </pre>
 * with the signing secret, {@code path} exactly as in the URL (percent-encoded as sent) and
 * {@code query} the URL's raw query string without its {@code expires} and {@code signature}
 * parameters, the others kept in their order. Changing the path, any parameter, its order or the
 * expiry changes the signature. {@code HEAD} is checked as {@code GET}.
 *
 * <p>The secret: at least 32 bytes, from a file ({@link #fromFile}), or generated once (32 random
 * bytes, 64 hexadecimal characters) in {@code <data-dir>/}{@value #FILE_NAME} ({@link #inDirectory})
 * and reused on every start. Edges behind one load balancer must share one configured secret, or a
 * URL signed by one is refused by the others.
 *
 * <p>Immutable and thread-safe.
 */
public final class UrlSigner {

    /** Query parameter of the expiry, seconds since the epoch. */
    public static final String EXPIRES = "expires";
    /** Query parameter of the signature, 64 lower-case hexadecimal digits. */
    public static final String SIGNATURE = "signature";
    /** File name of a generated secret in the data directory. */
    public static final String FILE_NAME = "url-signing.key";
    /** Shortest secret, bytes (RFC 2104 section 3: at least the hash's output, 32 bytes). */
    public static final int MIN_SECRET_BYTES = 32;

    /** The outcome of {@link #verify}. */
    public enum Verdict {
        /** The signature matches and the expiry is not past. */
        VALID,
        /** The signature matches, the expiry is past. */
        EXPIRED,
        /** The signature does not match the method, path, query and expiry. */
        BAD_SIGNATURE,
        /** {@code expires} or {@code signature} missing, repeated or malformed. */
        MALFORMED
    }

    private final SecretKeySpec key;

    private UrlSigner(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the URL signing secret must have at least " + MIN_SECRET_BYTES
                    + " bytes (it has " + secret.length + ")");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * @param secret the secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @return a signer
     * @throws IllegalArgumentException when the secret is too short
     */
    public static UrlSigner of(byte[] secret) {
        return new UrlSigner(secret.clone());
    }

    /** @return a signer with a random secret, valid for this process only */
    public static UrlSigner random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return new UrlSigner(HexFormat.of().formatHex(b).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param file a file whose content (surrounding blanks and newlines removed, UTF-8) is the secret
     * @return a signer
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static UrlSigner fromFile(Path file) throws IOException {
        return new UrlSigner(Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The secret kept in a directory: read from {@code dir/}{@value #FILE_NAME}, or, when absent,
     * generated (32 random bytes as 64 hexadecimal characters), written readable by the owner only
     * (on POSIX file systems) and moved into place atomically, so that two processes starting
     * together end up with the same secret.
     *
     * @param dir the data directory (created when missing)
     * @return a signer
     * @throws IOException when the directory or the file cannot be written or read
     */
    public static UrlSigner inDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's permissions apply
                }
                Files.writeString(tmp, HexFormat.of().formatHex(b) + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file); // no REPLACE_EXISTING: the first process to get there wins
                } catch (FileAlreadyExistsException | AccessDeniedException e) {
                    // another process wrote it meanwhile: use theirs
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return fromFile(file);
    }

    /**
     * @param method the HTTP method ({@code HEAD} counts as {@code GET})
     * @param path   the path, as it will be sent
     * @param query  the query without {@code expires} and {@code signature}, as it will be sent;
     *               empty or null for none
     * @param expiresEpochS expiry, seconds since the epoch
     * @return the signature: 64 lower-case hexadecimal digits
     */
    public String signature(String method, String path, String query, long expiresEpochS) {
        String m = "HEAD".equals(method) ? "GET" : method;
        String text = m + "\n" + path + "\n" + (query == null ? "" : query) + "\n" + expiresEpochS;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * @param path          the GET path, as it will be sent
     * @param query         its query (without {@code expires} and {@code signature}), or empty
     * @param expiresEpochS expiry, seconds since the epoch
     * @return the signed URL (path and query, no scheme nor host)
     */
    public String sign(String path, String query, long expiresEpochS) {
        String q = query == null ? "" : query;
        return path + "?" + (q.isEmpty() ? "" : q + "&") + EXPIRES + "=" + expiresEpochS + "&" + SIGNATURE + "="
                + signature("GET", path, q, expiresEpochS);
    }

    /**
     * @param method    the request's method
     * @param path      the request's path, as sent
     * @param rawQuery  the request's raw query string (percent-encoded as sent), or null
     * @param nowEpochS the time, seconds since the epoch
     * @return whether the request is a valid signed URL; the signature is compared in constant time
     *         and checked before the expiry, so that an expired URL is only reported as such when it
     *         was genuine
     */
    public Verdict verify(String method, String path, String rawQuery, long nowEpochS) {
        if (rawQuery == null) {
            return Verdict.MALFORMED;
        }
        String expires = null;
        String signature = null;
        List<String> rest = new ArrayList<>();
        for (String p : rawQuery.split("&", -1)) {
            if (p.startsWith(EXPIRES + "=")) {
                if (expires != null) {
                    return Verdict.MALFORMED;
                }
                expires = p.substring(EXPIRES.length() + 1);
            } else if (p.startsWith(SIGNATURE + "=")) {
                if (signature != null) {
                    return Verdict.MALFORMED;
                }
                signature = p.substring(SIGNATURE.length() + 1);
            } else {
                rest.add(p);
            }
        }
        if (expires == null || signature == null || !expires.matches("[0-9]{1,12}")
                || !signature.matches("[0-9a-f]{64}")) {
            return Verdict.MALFORMED;
        }
        long e = Long.parseLong(expires);
        String expected = signature(method, path, String.join("&", rest), e);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.BAD_SIGNATURE;
        }
        return nowEpochS > e ? Verdict.EXPIRED : Verdict.VALID;
    }

    /** @return {@code UrlSigner[HmacSHA256]}; never the secret */
    @Override
    public String toString() {
        return "UrlSigner[HmacSHA256]";
    }
}
