package io.argus.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies the JSON Web Tokens (RFC 7519) the edge accepts as {@code Authorization: Bearer <JWT>},
 * with Nimbus JOSE + JWT, and turns a valid one into a {@link Principal}.
 *
 * <p>Keys: an HMAC secret (HS256, RFC 7518 section 3.2: at least 32 bytes; {@link #fromFiles}
 * reads it from a file, surrounding blanks and the final newline removed, as UTF-8 bytes) and/or a
 * JWK set file (RFC 7517; RSA keys verify RS256, P-256 EC keys ES256). A token is checked with the
 * keys of its {@code alg} only, so an HS256 token never meets a public key. Other algorithms are
 * refused.
 *
 * <p>Claims:
 * <ul>
 *   <li>{@code exp} (required; NumericDate, seconds): the token is refused once past, with Nimbus's
 *       default clock skew of 60 s; {@code nbf}, when present, is honoured the same way;</li>
 *   <li>{@code sub} (required): the principal's name ({@link Principal#NAME}); files uploaded
 *       with the token are owned by it, files granted to it are readable;</li>
 *   <li>{@value #ROLE_CLAIM} (optional): {@code "admin"} sees and manages every file,
 *       {@code "user"} (the default) does not;</li>
 *   <li>{@value #FILES_CLAIM} (optional): a JSON array of file_uuids (32 hexadecimal digits, at most
 *       {@value #MAX_FILES}) the token may read besides the files its {@code sub} owns or was
 *       granted.</li>
 * </ul>
 * Any problem is an {@link InvalidToken} whose message says which (bad signature, expired, a
 * missing or malformed claim); {@link EdgeAuth} answers it 401 with
 * {@code WWW-Authenticate: Bearer realm="argus", error="invalid_token"} (RFC 6750 section 3.1).
 *
 * <p>Immutable and thread-safe.
 */
public final class JwtVerifier {

    /** Claim listing the file_uuids a token may read. */
    public static final String FILES_CLAIM = "argus_files";
    /** Claim giving the role: {@code admin} or {@code user}. */
    public static final String ROLE_CLAIM = "argus_role";
    /** Shortest HMAC secret, bytes (RFC 7518 section 3.2: a key of the hash's size, 256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Most file_uuids in {@value #FILES_CLAIM}. */
    public static final int MAX_FILES = 1000;

    /** A token that is not accepted; the message says why and never holds the token. */
    public static final class InvalidToken extends Exception {
        /** @param message why the token is refused */
        public InvalidToken(String message) {
            super(message);
        }
    }

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String description;

    private JwtVerifier(JWKSet keys, String description) {
        this.description = description;
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, new JWTClaimsSet.Builder().build(),
                Set.of("exp", "sub")));
    }

    /**
     * @param hmacSecret the HS256 secret (at least {@value #MIN_SECRET_BYTES} bytes), or null
     * @param jwks       public keys for RS256/ES256, or null
     * @return a verifier with those keys
     * @throws IllegalArgumentException when both are null, or the secret is too short
     */
    public static JwtVerifier of(byte[] hmacSecret, JWKSet jwks) {
        if (hmacSecret == null && jwks == null) {
            throw new IllegalArgumentException("a JWT verifier needs an HMAC secret or a JWK set");
        }
        List<JWK> keys = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (hmacSecret != null) {
            if (hmacSecret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the JWT HMAC secret must have at least " + MIN_SECRET_BYTES
                        + " bytes (it has " + hmacSecret.length + ")");
            }
            keys.add(new OctetSequenceKey.Builder(hmacSecret).algorithm(JWSAlgorithm.HS256).build());
            what.add("HS256 secret");
        }
        if (jwks != null) {
            keys.addAll(jwks.toPublicJWKSet().getKeys());
            what.add(jwks.getKeys().size() + " JWK(s)");
        }
        return new JwtVerifier(new JWKSet(keys), String.join(" + ", what));
    }

    /**
     * @param secretFile a file holding the HS256 secret (see the class comment), or null
     * @param jwksFile   a JWK set file (JSON {@code {"keys": [...]}}), or null
     * @return a verifier, or null when both are null (no JWT accepted)
     * @throws IllegalArgumentException when a file cannot be read or parsed, or the secret is too short
     */
    public static JwtVerifier fromFiles(Path secretFile, Path jwksFile) {
        if (secretFile == null && jwksFile == null) {
            return null;
        }
        byte[] secret = null;
        JWKSet jwks = null;
        if (secretFile != null) {
            try {
                secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the JWT secret file " + secretFile + ": " + e, e);
            }
        }
        if (jwksFile != null) {
            try {
                jwks = JWKSet.load(jwksFile.toFile());
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("cannot read the JWKS file " + jwksFile + ": " + e.getMessage(), e);
            }
        }
        return of(secret, jwks);
    }

    /**
     * @param token a presented bearer token
     * @return true when it has the shape of a signed JWT (three base64url parts), i.e. is worth
     *         verifying rather than comparing as an API key
     */
    public static boolean looksLikeJwt(String token) {
        return token != null && token.matches("[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*");
    }

    /**
     * @param token a signed JWT
     * @return its principal: {@code sub}, admin for {@value #ROLE_CLAIM} {@code "admin"}, the files of
     *         {@value #FILES_CLAIM}
     * @throws InvalidToken when the token is malformed, its signature or algorithm is not accepted,
     *                      it has expired, or a claim is missing or malformed
     */
    public Principal verify(String token) throws InvalidToken {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidToken("malformed JWT: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidToken(e.getMessage());
        }
        String sub = claims.getSubject();
        if (!Principal.validName(sub)) {
            throw new InvalidToken("the sub claim must be 1 to 128 characters of A-Z a-z 0-9 . _ @ : | + - "
                    + "starting with a letter or digit");
        }
        boolean admin;
        Object role = claims.getClaim(ROLE_CLAIM);
        if (role == null || "user".equals(role)) {
            admin = false;
        } else if ("admin".equals(role)) {
            admin = true;
        } else {
            throw new InvalidToken("the " + ROLE_CLAIM + " claim must be \"admin\" or \"user\"");
        }
        Set<String> files = new LinkedHashSet<>();
        Object list = claims.getClaim(FILES_CLAIM);
        if (list != null) {
            if (!(list instanceof List<?> l) || l.size() > MAX_FILES) {
                throw new InvalidToken("the " + FILES_CLAIM + " claim must be an array of at most " + MAX_FILES
                        + " file_uuids");
            }
            for (Object f : l) {
                if (!(f instanceof String s) || !s.toLowerCase(Locale.ROOT).matches("[0-9a-f]{32}")) {
                    throw new InvalidToken("the " + FILES_CLAIM + " claim must hold file_uuids of 32 hexadecimal digits");
                }
                files.add(s.toLowerCase(Locale.ROOT));
            }
        }
        return new Principal(sub, admin, files, Principal.Source.JWT);
    }

    /** @return e.g. {@code JwtVerifier[HS256 secret + 2 JWK(s)]}; never a key */
    @Override
    public String toString() {
        return "JwtVerifier[" + description + "]";
    }
}
