package io.argus.edge.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.argus.edge.request.ApiException;

/** The bodies of the grant and signed-URL routes. */
class AccessFormsTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void bad(Runnable r, String detail) {
        assertThatThrownBy(r::run).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
                .satisfies(e -> assertThat(((ApiException) e).detail()).hasValueSatisfying(
                        d -> assertThat(d).contains(detail)));
    }

    @Test
    void aGrantNamesOnePrincipal() {
        assertThat(AccessForms.grantee(b("{\"principal\": \"bob\"}"))).isEqualTo("bob");
        assertThat(AccessForms.grantee(b("{\"principal\": \"auth0|abc@x.org\"}"))).isEqualTo("auth0|abc@x.org");
        bad(() -> AccessForms.grantee(b("")), "body is empty");
        bad(() -> AccessForms.grantee(b("{\"principal\": ")), "not valid JSON");
        bad(() -> AccessForms.grantee(b("[\"bob\"]")), "must be a JSON object");
        bad(() -> AccessForms.grantee(b("{}")), "missing field 'principal'");
        bad(() -> AccessForms.grantee(b("{\"principal\": 7}")), "principal must be a string");
        bad(() -> AccessForms.grantee(b("{\"principal\": \"bob smith\"}")), "principal must be 1 to 128");
        bad(() -> AccessForms.grantee(b("{\"principal\": \"~anonymous\"}")), "principal must be 1 to 128");
        bad(() -> AccessForms.grantee(b("{\"principal\": \"bob\", \"role\": \"admin\"}")), "unknown field 'role'");
        bad(() -> AccessForms.grantee(b("{\"principal\": \"bob\", \"principal\": \"eve\"}")), "not valid JSON");
    }

    @Test
    void signingTakesARouteItsQueryAndABoundedTtl() {
        AccessForms.Signing s = AccessForms.signing(b("{\"path\": \"thumbnail?frame=3\", \"ttl_s\": 600}"), q -> null);
        assertThat(s).isEqualTo(new AccessForms.Signing("thumbnail", "frame=3", 600));
        assertThat(AccessForms.signing(b("{\"path\": \"video\"}"), q -> null))
                .isEqualTo(new AccessForms.Signing("video", "", AccessForms.DEFAULT_TTL_S));
        assertThat(AccessForms.signing(b("{\"path\": \"video/bbox\"}"), q -> null))
                .isEqualTo(new AccessForms.Signing("video/bbox", "", AccessForms.DEFAULT_TTL_S));
        bad(() -> AccessForms.signing(b("{\"path\": \"video/other\"}"), q -> null), "path must be");
        Map<String, String> query = Map.of("path", "clip?start_frame=0&end_frame=9", "ttl_s", "30");
        assertThat(AccessForms.signing(new byte[0], query::get))
                .isEqualTo(new AccessForms.Signing("clip", "start_frame=0&end_frame=9", 30));
        bad(() -> AccessForms.signing(b("{}"), q -> null), "missing field 'path'");
        bad(() -> AccessForms.signing(new byte[0], q -> null), "missing field 'path'");
        bad(() -> AccessForms.signing(b("{\"path\": \"../grants\"}"), q -> null), "path must be video, video/bbox, thumbnail or clip");
        bad(() -> AccessForms.signing(b("{\"path\": \"\"}"), q -> null), "missing field 'path'");
        bad(() -> AccessForms.signing(b("{\"path\": \"video?a=<b>\"}"), q -> null), "path must be");
        bad(() -> AccessForms.signing(b("{\"path\": \"video?expires=9999999999\"}"), q -> null), "may not hold expires");
        bad(() -> AccessForms.signing(b("{\"path\": \"video?x=1&signature=ab\"}"), q -> null), "may not hold");
        bad(() -> AccessForms.signing(b("{\"path\": 3}"), q -> null), "path must be a string");
        bad(() -> AccessForms.signing(b("{\"path\": \"video\", \"ttl_s\": 0}"), q -> null), "ttl_s must be an integer");
        bad(() -> AccessForms.signing(b("{\"path\": \"video\", \"ttl_s\": 604801}"), q -> null), "from 1 to 604800");
        bad(() -> AccessForms.signing(b("{\"path\": \"video\", \"ttl_s\": 1.5}"), q -> null), "ttl_s must be an integer");
        bad(() -> AccessForms.signing(b("{\"path\": \"video\", \"ttl_s\": \"60\"}"), q -> null), "ttl_s must be");
        bad(() -> AccessForms.signing(new byte[0], Map.of("path", "video", "ttl_s", "-5")::get), "ttl_s must be");
        bad(() -> AccessForms.signing(new byte[0], Map.of("path", "video", "ttl_s", "1e3")::get), "ttl_s must be");
        bad(() -> AccessForms.signing(b("{\"path\": \"video\", \"url\": \"x\"}"), q -> null), "unknown field 'url'");
        bad(() -> AccessForms.signing(b("nope"), q -> null), "not valid JSON");
        assertThat(AccessForms.signing(b("{\"path\": \"video\", \"ttl_s\": 604800}"), q -> null).ttlS())
                .isEqualTo(AccessForms.MAX_TTL_S);
    }
}
