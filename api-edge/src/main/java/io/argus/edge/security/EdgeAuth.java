package io.argus.edge.security;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Who may call the edge, and as whom: the before-handler that checks every request's credential
 * and puts its {@link Principal} on the request ({@link Principal#ATTRIBUTE}).
 *
 * <p>A request is accepted, in this order, with:
 * <ol>
 *   <li>an API key ({@link ApiKeys}): {@code Authorization: Bearer <key>} or
 *       {@code X-Api-Key: <key>};</li>
 *   <li>a JWT ({@link JwtVerifier}), when one is configured: {@code Authorization: Bearer <JWT>};
 *       a bearer token shaped like a JWT that is not an API key is verified as one;</li>
 *   <li>a signed URL ({@link UrlSigner}), when the request carries no credential header: a
 *       {@code GET} or {@code HEAD} of {@code /api/v1/file/<file_uuid>/…} with
 *       {@code expires} and {@code signature} query parameters. Its principal
 *       ({@link Principal#signedUrl}) may read that one file, on that one path and query.</li>
 * </ol>
 * Refusals answer 401 with the edge's JSON error shape ({@code {"error": "unauthorized",
 * "detail": …}}): no credential → {@code WWW-Authenticate: Bearer realm="argus"}; a key that is not
 * accepted, a JWT that is not valid (bad signature, expired, missing or malformed claim: the detail
 * says which), or a signed URL that is tampered, malformed or expired →
 * {@code WWW-Authenticate: Bearer realm="argus", error="invalid_token"} (RFC 6750 section 3.1).
 *
 * <p>With no API key and no JWT verifier the edge is open: no check runs and every request is
 * {@link Principal#ANONYMOUS}, an admin. The open routes of {@link ApiKeys#isOpenRoute} need no
 * credential and carry no principal.
 */
public final class EdgeAuth {

    /** The paths a signed URL may name: {@code /api/v1/file/<file_uuid>/<media route>}. */
    static final Pattern SIGNED_PATH = Pattern.compile("/api/v1/file/([0-9a-f]{32})/(video/bbox|video|thumbnail|clip)");

    private final ApiKeys keys;
    private final JwtVerifier jwt;
    private final UrlSigner signer;

    /**
     * @param keys   accepted API keys ({@link ApiKeys#open()}: none)
     * @param jwt    JWT verification, or null to accept no JWT
     * @param signer checks signed URLs, or null to accept none
     */
    public EdgeAuth(ApiKeys keys, JwtVerifier jwt, UrlSigner signer) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.jwt = jwt;
        this.signer = signer;
    }

    /**
     * @param keys accepted API keys
     * @return API keys alone: no JWT, no signed URL
     */
    public static EdgeAuth of(ApiKeys keys) {
        return new EdgeAuth(keys, null, null);
    }

    /** @return true when no credential is configured: every request is an admin */
    public boolean isOpen() {
        return keys.isOpen() && jwt == null;
    }

    /** @return the API keys */
    public ApiKeys keys() {
        return keys;
    }

    /** @return the before-handler (see the class comment) */
    public Handler handler() {
        return this::check;
    }

    /** @return e.g. {@code EdgeAuth[ApiKeys[2 keys], JwtVerifier[HS256 secret], signed URLs]}; no secrets */
    @Override
    public String toString() {
        return "EdgeAuth[" + keys + ", " + (jwt == null ? "no JWT" : jwt) + ", "
                + (signer == null ? "no signed URLs" : "signed URLs") + "]";
    }

    private void check(Context ctx) {
        if (isOpen() || ApiKeys.isOpenRoute(ctx.method(), ctx.path())) {
            return;
        }
        String presented = ApiKeys.presentedKey(ctx.header("Authorization"), ctx.header(ApiKeys.KEY_HEADER));
        if (presented != null) {
            Optional<Principal> p = keys.principal(presented);
            if (p.isPresent()) {
                ctx.attribute(Principal.ATTRIBUTE, p.get());
                return;
            }
            if (jwt != null && JwtVerifier.looksLikeJwt(presented)) {
                try {
                    ctx.attribute(Principal.ATTRIBUTE, jwt.verify(presented));
                    return;
                } catch (JwtVerifier.InvalidToken e) {
                    deny(ctx, true, "the token is not valid: " + e.getMessage());
                    return;
                }
            }
            deny(ctx, true, jwt == null ? "the API key is not valid" : "the API key or token is not valid");
            return;
        }
        if (signer != null && ctx.queryParam(UrlSigner.SIGNATURE) != null) {
            signedUrl(ctx);
            return;
        }
        deny(ctx, false, "an API key is required: send Authorization: Bearer <key> or " + ApiKeys.KEY_HEADER
                + ": <key>" + (jwt == null ? "" : ", or Authorization: Bearer <JWT>"));
    }

    private void signedUrl(Context ctx) {
        Matcher m = SIGNED_PATH.matcher(ctx.path());
        boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        if (!read || !m.matches()) {
            deny(ctx, true, "a signed URL is only valid for GET of /api/v1/file/<file_uuid>/video, /video/bbox, /thumbnail or /clip");
            return;
        }
        UrlSigner.Verdict v = signer.verify(ctx.method().name(), ctx.path(), ctx.queryString(),
                System.currentTimeMillis() / 1000);
        switch (v) {
            case VALID -> ctx.attribute(Principal.ATTRIBUTE, Principal.signedUrl(m.group(1)));
            case EXPIRED -> deny(ctx, true, "the signed URL has expired");
            case BAD_SIGNATURE -> deny(ctx, true, "the signed URL's signature does not match its path, query "
                    + "and expiry");
            default -> deny(ctx, true, "a signed URL needs one " + UrlSigner.EXPIRES + "=<epoch seconds> and one "
                    + UrlSigner.SIGNATURE + "=<64 hexadecimal digits>");
        }
    }

    private static void deny(Context ctx, boolean invalid, String detail) {
        ObjectNode out = ApiJson.error(ApiKeys.UNAUTHORIZED);
        ctx.header("WWW-Authenticate", invalid ? "Bearer realm=\"argus\", error=\"invalid_token\""
                : "Bearer realm=\"argus\"");
        out.put("detail", detail);
        ctx.status(401).contentType("application/json").result(ApiJson.write(out));
        ctx.skipRemainingHandlers();
    }
}
