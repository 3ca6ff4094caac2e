package io.argus.edge.security;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.javalin.http.Context;

/**
 * Who a request acts for, as established by {@link EdgeAuth} and put on the Javalin context
 * ({@link #ATTRIBUTE}) for the routes to read with {@link #of(Context)}.
 *
 * <p>A principal's {@link #name()} is what file ownership and grants are recorded under: the
 * {@code name=} of an API key ({@link ApiKeys}), the {@code sub} claim of a JWT ({@link JwtVerifier}),
 * or, for an API key without a name, {@code key-} followed by the first 16 hexadecimal digits of the
 * key's SHA-256 ({@link #keyName}; stable across restarts, never the key itself). A name has 1 to
 * 128 characters from {@code A-Z a-z 0-9 . _ @ : | + -} and starts with a letter or digit
 * ({@link #NAME}); the two internal principals ({@link #ANONYMOUS}, {@link #signedUrl}) use names
 * outside that shape, so that no key or token can be mistaken for them.
 *
 * @param name   the principal's name (see above)
 * @param admin  true: sees and manages every file
 * @param files  file_uuids this principal may read besides those it owns or was granted (a JWT's
 *               {@code argus_files} claim, the one file of a signed URL); empty for none
 * @param source how the principal was established
 */
public record Principal(String name, boolean admin, Set<String> files, Source source) {

    /** How a principal was established. */
    public enum Source {
        /** No credential is configured: the edge is open and everyone is an admin. */
        OPEN,
        /** An API key ({@link ApiKeys}). */
        API_KEY,
        /** A verified JWT ({@link JwtVerifier}). */
        JWT,
        /** A signed URL ({@link UrlSigner}): one GET path until its expiry. */
        SIGNED_URL
    }

    /** Name of the Javalin context attribute holding the request's principal. */
    public static final String ATTRIBUTE = "argus.principal";
    /** The shape of a principal name (see the class comment). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:|+\\-]{0,127}");
    /** The principal of every request on an open edge: an admin named {@code ~anonymous}. */
    public static final Principal ANONYMOUS = new Principal("~anonymous", true, Set.of(), Source.OPEN);

    /** @throws NullPointerException when a component is null */
    public Principal {
        Objects.requireNonNull(name, "name");
        files = Set.copyOf(files);
        Objects.requireNonNull(source, "source");
    }

    /**
     * @param ctx a request
     * @return the principal {@link EdgeAuth} put on it; {@link #ANONYMOUS} when none (an open edge,
     *         where no check runs)
     */
    public static Principal of(Context ctx) {
        Object p = ctx.attribute(ATTRIBUTE);
        return p instanceof Principal principal ? principal : ANONYMOUS;
    }

    /**
     * @param name a candidate principal name
     * @return true when it has the shape of {@link #NAME}
     */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * @param sha256 the SHA-256 of an API key (32 bytes)
     * @return {@code key-} and the first 16 hexadecimal digits of the digest (64 bits: a stable,
     *         practically unique id that does not reveal the key)
     */
    public static String keyName(byte[] sha256) {
        return "key-" + HexFormat.of().formatHex(sha256, 0, 8);
    }

    /**
     * @param fileUuid the file of a verified signed URL
     * @return a non-admin principal named {@code ~signed-url} that may read that file only
     */
    public static Principal signedUrl(String fileUuid) {
        return new Principal("~signed-url", false, Set.of(fileUuid), Source.SIGNED_URL);
    }

    /** @return e.g. {@code Principal[alice, user, API_KEY]} */
    @Override
    public String toString() {
        return "Principal[" + name + ", " + (admin ? "admin" : "user") + ", " + source + "]";
    }
}
