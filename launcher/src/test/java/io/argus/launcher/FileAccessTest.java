package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.hooks.HookSettings;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.JwtVerifier;
import io.argus.edge.security.UrlSigner;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import io.argus.schemas.net.UrlGuard;

/**
 * File-level access of the media API over real HTTP against one embedded runtime with an admin key,
 * three user keys (alice, bob, carol), an HS256 JWT secret and the URL signing secret kept in the
 * data directory: who sees which file (list, metadata, video, thumbnail, clip, delete), grants and
 * revokes, JWTs (good, expired, wrong signature, missing claims, file claim), signed URLs (good,
 * expired, tampered path, query and expiry), and grants and signed URLs surviving a restart.
 * Videos: person-bicycle-car-detection-preview.mp4 (480×270, 12 fps, 41 frames).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FileAccessTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String ADMIN = "access-admin-0123456789abcdef";
    static final String ALICE = "access-alice-0123456789abcdef";
    static final String BOB = "access-bob-0123456789abcdef";
    static final String CAROL = "access-carol-0123456789abcdef";
    static final String JWT_SECRET = "access-jwt-secret-0123456789abcdef-0123";

    @TempDir
    static Path dir;
    static RuntimeConfig config;
    static ArgusRuntime rt;
    static String base;
    static Path video;

    @BeforeAll
    static void start() throws Exception {
        for (Path d = Path.of("").toAbsolutePath(); d != null && video == null; d = d.getParent()) {
            Path f = d.resolve("eval/clips/person-bicycle-car-detection-preview.mp4");
            video = Files.isRegularFile(f) ? f : null;
        }
        assertThat(video).as("eval/clips/person-bicycle-car-detection-preview.mp4").isNotNull();
        Path secret = Files.writeString(dir.resolve("jwt.secret"), JWT_SECRET + "\n");
        ApiKeys keys = ApiKeys.fromString(ADMIN + "," + ALICE + " role=user name=alice," + BOB
                + " role=user name=bob," + CAROL + " role=user name=carol");
        RuntimeConfig defaults = RuntimeConfig.embedded(dir.resolve("data"), 0);
        config = new RuntimeConfig(defaults.dataDir(), null, null, defaults.partitions(),
                defaults.replication(), defaults.ingestSlots(), defaults.liveSlots(), defaults.analyzerThreads(),
                defaults.httpHost(), 0, defaults.instanceId(), HookSettings.defaults(),
                ExtractionRetention.DEFAULT_RETENTION, Stage.all(),
                new RuntimeConfig.Security(UrlGuard.defaults(), keys, null)
                        .withTokens(JwtVerifier.fromFiles(secret, null), null), null);
        rt = ArgusRuntime.start(config);
        base = "http://127.0.0.1:" + rt.httpPort();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    // ---- helpers ----

    record Answer(int status, byte[] body, HttpResponse<byte[]> response) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** A request with {@code Authorization: Bearer <credential>} (none when null). */
    static Answer call(String method, String path, String credential, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(1))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.body(), r);
    }

    static Answer get(String path, String credential) throws Exception {
        return call("GET", path, credential, null);
    }

    /** Uploads the video as the credential's principal; returns its file_uuid. */
    static String upload(String credential) throws Exception {
        HttpRequest plain = MultipartRequests.multipart(base, "/api/v1/files", video);
        HttpRequest req = HttpRequest.newBuilder(plain, (n, v) -> true)
                .header("Authorization", "Bearer " + credential).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("file_uuid").asText();
    }

    static List<String> listed(String credential) throws Exception {
        Answer a = get("/api/v1/files", credential);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.json().get("files").findValuesAsText("file_uuid");
    }

    static Answer grant(String uuid, String credential, String principal) throws Exception {
        return call("POST", "/api/v1/file/" + uuid + "/grants", credential, "{\"principal\": \"" + principal + "\"}");
    }

    static String jwt(String sub, long expInS, String secret, Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder();
        if (sub != null) {
            c.subject(sub);
        }
        if (expInS != Long.MIN_VALUE) {
            c.expirationTime(new Date(System.currentTimeMillis() + expInS * 1000));
        }
        claims.forEach(c::claim);
        SignedJWT t = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), c.build());
        t.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return t.serialize();
    }

    static String signedUrl(String uuid, String credential, String body) throws Exception {
        Answer a = call("POST", "/api/v1/file/" + uuid + "/signed-url", credential, body);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.json().get("url").asText();
    }

    /** The 404 of a file the caller may not see: the same as an unknown file's, but for the uuid. */
    static void assertNotFound(Answer a, String uuid) throws Exception {
        assertThat(a.status()).as(a.text()).isEqualTo(404);
        assertThat(a.text()).isEqualTo("{\"error\":\"file not found\",\"detail\":\"no file " + uuid + "\"}");
    }

    static void assertInvalidToken(Answer a, String detail) throws Exception {
        assertThat(a.status()).as(a.text()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"argus\", error=\"invalid_token\"");
        assertThat(a.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(a.json().get("detail").asText()).contains(detail);
    }

    // ---- tests ----

    @Test
    @Order(1)
    void whoSeesWhichFile() throws Exception {
        String f = upload(ALICE);
        assertThat(grant(f, ALICE, "carol").status()).isEqualTo(200);
        String unknown = "f".repeat(32);
        Map<String, String> principals = new LinkedHashMap<>();
        principals.put("admin", ADMIN);
        principals.put("owner alice", ALICE);
        principals.put("other bob", BOB);
        principals.put("granted carol", CAROL);
        Map<String, Integer> expected = Map.of("admin", 200, "owner alice", 200, "other bob", 404, "granted carol", 200);
        List<String> matrix = new ArrayList<>();
        for (var p : principals.entrySet()) {
            int want = expected.get(p.getKey());
            String key = p.getValue();
            assertThat(listed(key).contains(f)).as(p.getKey() + " list").isEqualTo(want == 200);
            for (String route : List.of("", "/video", "/thumbnail?frame=3", "/clip?start_frame=0&end_frame=4")) {
                Answer a = get("/api/v1/file/" + f + route, key);
                matrix.add(p.getKey() + " GET" + route + " " + a.status());
                assertThat(a.status()).as(p.getKey() + " GET " + route + ": " + (a.status() >= 400 ? a.text() : ""))
                        .isEqualTo(want);
                if (want == 404) {
                    assertNotFound(a, f);
                    assertNotFound(get("/api/v1/file/" + unknown + route, key), unknown);
                }
            }
        }
        Answer img = get("/api/v1/file/" + f + "/thumbnail?frame=3", CAROL);
        assertThat(img.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(get("/api/v1/file/" + f, ALICE).json().get("owner").asText()).isEqualTo("alice");
        assertThat(get("/api/v1/file/" + f, ALICE).json().get("grants").toString()).isEqualTo("[\"carol\"]");
        assertThat(get("/api/v1/file/" + f, CAROL).json().has("grants")).as("grants shown to managers only").isFalse();

        // delete: other → 404, granted → 403, owner → 200; admin deletes another user's file
        assertNotFound(call("DELETE", "/api/v1/file/" + f, BOB, null), f);
        Answer forbidden = call("DELETE", "/api/v1/file/" + f, CAROL, null);
        assertThat(forbidden.status()).as(forbidden.text()).isEqualTo(403);
        assertThat(forbidden.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(get("/api/v1/file/" + f, ALICE).status()).as("still there").isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/file/" + f, ALICE, null).status()).isEqualTo(200);
        assertThat(get("/api/v1/file/" + f, ADMIN).status()).isEqualTo(404);
        String g = upload(BOB);
        assertThat(listed(ALICE)).doesNotContain(g);
        assertThat(listed(ADMIN)).contains(g);
        assertThat(call("DELETE", "/api/v1/file/" + g, ADMIN, null).status()).isEqualTo(200);
        assertThat(listed(BOB)).doesNotContain(g);
        // the admin's own upload is the admin's: a user does not see it
        String h = upload(ADMIN);
        assertNotFound(get("/api/v1/file/" + h, ALICE), h);
        assertThat(matrix).hasSize(16);
    }

    @Test
    @Order(2)
    void grantThenRevoke() throws Exception {
        String f = upload(ALICE);
        assertNotFound(get("/api/v1/file/" + f, BOB), f);
        assertNotFound(grant(f, BOB, "bob"), f);
        Answer g = grant(f, ALICE, "bob");
        assertThat(g.status()).as(g.text()).isEqualTo(200);
        assertThat(g.json().get("grants").toString()).isEqualTo("[\"bob\"]");
        assertThat(g.json().get("owner").asText()).isEqualTo("alice");
        assertThat(grant(f, ALICE, "bob").json().get("grants").toString()).as("granting twice").isEqualTo("[\"bob\"]");
        assertThat(get("/api/v1/file/" + f + "/thumbnail?frame=0", BOB).status()).isEqualTo(200);
        assertThat(listed(BOB)).contains(f);
        assertThat(grant(f, BOB, "carol").status()).as("a grantee may not grant").isEqualTo(403);
        assertThat(call("DELETE", "/api/v1/file/" + f + "/grants/bob", BOB, null).status()).isEqualTo(403);
        assertThat(grant(f, ADMIN, "carol").json().get("grants").toString()).isEqualTo("[\"bob\",\"carol\"]");
        Answer r = call("DELETE", "/api/v1/file/" + f + "/grants/bob", ALICE, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("grants").toString()).isEqualTo("[\"carol\"]");
        assertNotFound(get("/api/v1/file/" + f, BOB), f);
        assertThat(listed(BOB)).doesNotContain(f);
        assertThat(get("/api/v1/file/" + f, CAROL).status()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/file/" + f + "/grants/nobody", ALICE, null).json().get("grants")
                .toString()).isEqualTo("[\"carol\"]");
        Answer bad = call("DELETE", "/api/v1/file/" + f + "/grants/bad%20name", ALICE, null);
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(grant(f, ALICE, "-x").status()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void jwtBearerTokens() throws Exception {
        String f = upload(ALICE);
        String other = upload(BOB);
        String alice = jwt("alice", 600, JWT_SECRET, Map.of());
        assertThat(get("/api/v1/file/" + f, alice).status()).as("sub alice owns the file").isEqualTo(200);
        assertNotFound(get("/api/v1/file/" + other, alice), other);
        String dave = jwt("dave", 600, JWT_SECRET, Map.of(JwtVerifier.FILES_CLAIM, List.of(f)));
        assertThat(get("/api/v1/file/" + f + "/thumbnail?frame=1", dave).status()).as("file in the claim")
                .isEqualTo(200);
        assertThat(listed(dave)).contains(f).doesNotContain(other);
        assertNotFound(get("/api/v1/file/" + other + "/video", dave), other);
        assertThat(call("DELETE", "/api/v1/file/" + f, dave, null).status()).as("reading is not owning")
                .isEqualTo(403);
        String davesOwn = upload(dave);
        assertThat(get("/api/v1/file/" + davesOwn, ALICE).status()).isEqualTo(404);
        assertThat(get("/api/v1/file/" + davesOwn, ADMIN).json().get("owner").asText()).isEqualTo("dave");
        String admin = jwt("ops", 600, JWT_SECRET, Map.of(JwtVerifier.ROLE_CLAIM, "admin"));
        assertThat(listed(admin)).contains(f, other, davesOwn);

        assertInvalidToken(get("/api/v1/file/" + f, jwt("alice", -3600, JWT_SECRET, Map.of())), "xpired");
        assertInvalidToken(get("/api/v1/file/" + f, jwt("alice", 600, "another-secret-0123456789abcdef-0123",
                Map.of())), "signature");
        assertInvalidToken(get("/api/v1/files", jwt("alice", Long.MIN_VALUE, JWT_SECRET, Map.of())), "exp");
        assertInvalidToken(get("/api/v1/files", jwt(null, 600, JWT_SECRET, Map.of())), "sub");
        assertInvalidToken(get("/api/v1/files", jwt("alice", 600, JWT_SECRET,
                Map.of(JwtVerifier.FILES_CLAIM, "not-a-list"))), JwtVerifier.FILES_CLAIM);
        Answer none = get("/api/v1/files", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"argus\"");
    }

    @Test
    @Order(4)
    void signedUrlsForTagsWithoutHeaders() throws Exception {
        String f = upload(ALICE);
        String url = signedUrl(f, ALICE, "{\"path\": \"thumbnail?frame=3\", \"ttl_s\": 600}");
        assertThat(url).startsWith("/api/v1/file/" + f + "/thumbnail?frame=3&expires=")
                .matches(".*&signature=[0-9a-f]{64}");
        Answer good = get(url, null);
        assertThat(good.status()).as(good.text()).isEqualTo(200);
        assertThat(good.header("Content-Type")).isEqualTo("image/jpeg");
        Answer withKey = get("/api/v1/file/" + f + "/thumbnail?frame=3", ALICE);
        assertThat(good.body()).isEqualTo(withKey.body());
        assertThat(withKey.header("Cache-Control")).as("no shared cache for credentials").isEqualTo(
                "private, max-age=86400");
        assertThat(Long.parseLong(good.header("Cache-Control").replace("public, max-age=", "")))
                .as("a signed URL is cached no longer than it lives").isBetween(590L, 600L);
        assertThat(call("HEAD", url, null, null).status()).isEqualTo(200);

        assertInvalidToken(get(url.replace("/thumbnail?", "/video?"), null), "does not match");
        assertInvalidToken(get(url.replace("frame=3", "frame=4"), null), "does not match");
        assertInvalidToken(get(url + "&x=0", null), "does not match");
        String expires = url.replaceAll(".*expires=([0-9]+).*", "$1");
        assertInvalidToken(get(url.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 3600)),
                null), "does not match");
        String otherFile = upload(ALICE);
        assertInvalidToken(get(url.replace(f, otherFile), null), "does not match");
        assertInvalidToken(call("DELETE", url.replace("/thumbnail", ""), null, null), "only valid for GET");
        assertInvalidToken(get(url.replace("/thumbnail", ""), null), "only valid for GET");

        String video = signedUrl(f, ALICE, "{\"path\": \"video\"}");
        Answer range = get(video, null, "Range", "bytes=0-99");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).hasSize(100);
        String byQuery = call("POST", "/api/v1/file/" + f + "/signed-url?path=clip%3Fstart_frame%3D0%26end_frame%3D2"
                + "&ttl_s=60", ALICE, null).json().get("url").asText();
        assertThat(byQuery).contains("/clip?start_frame=0&end_frame=2&expires=");
        Answer clip = get(byQuery, null);
        assertThat(clip.status()).isEqualTo(200);
        assertThat(clip.header("Content-Type")).isEqualTo("video/mp2t");

        assertNotFound(call("POST", "/api/v1/file/" + f + "/signed-url", BOB, "{\"path\": \"video\"}"), f);
        String shortLived = signedUrl(f, ALICE, "{\"path\": \"thumbnail?frame=0\", \"ttl_s\": 1}");
        assertThat(get(shortLived, null).status()).isEqualTo(200);
        Thread.sleep(2100);
        assertInvalidToken(get(shortLived, null), "expired");
        // a signed URL to a deleted file answers as an unknown file
        assertThat(call("DELETE", "/api/v1/file/" + f, ALICE, null).status()).isEqualTo(200);
        assertNotFound(get(url, null), f);
    }

    static Answer get(String path, String credential, String... headers) throws Exception {
        return call("GET", path, credential, null, headers);
    }

    @Test
    @Order(5)
    void grantsAndSignedUrlsSurviveARestart() throws Exception {
        String f = upload(ALICE);
        assertThat(grant(f, ALICE, "bob").status()).isEqualTo(200);
        String url = signedUrl(f, ALICE, "{\"path\": \"thumbnail?frame=2\", \"ttl_s\": 3600}");
        Path key = dir.resolve("data").resolve(UrlSigner.FILE_NAME);
        String secret = Files.readString(key);
        rt.close();
        rt = ArgusRuntime.start(config);
        base = "http://127.0.0.1:" + rt.httpPort();
        assertThat(Files.readString(key)).isEqualTo(secret);
        Answer b = get("/api/v1/file/" + f, BOB);
        assertThat(b.status()).as(b.text()).isEqualTo(200);
        assertThat(b.json().get("owner").asText()).isEqualTo("alice");
        assertNotFound(get("/api/v1/file/" + f, CAROL), f);
        assertThat(get(url, null).status()).as("signed before the restart").isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/file/" + f + "/grants/bob", ALICE, null).status()).isEqualTo(200);
        assertNotFound(get("/api/v1/file/" + f, BOB), f);
    }
}
