package io.argus.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed URLs: signing, every tampering, expiry, and the secret kept in the data directory. */
class UrlSignerTest {

    static final String PATH = "/api/v1/file/0123456789abcdef0123456789abcdef/thumbnail";
    static final long NOW = 1_800_000_000L;

    @TempDir
    Path dir;

    static String query(String url) {
        return url.substring(url.indexOf('?') + 1);
    }

    @Test
    void aSignedUrlIsValidForItsPathAndQueryUntilItExpires() {
        UrlSigner s = UrlSigner.of("s".repeat(32).getBytes(StandardCharsets.UTF_8));
        String url = s.sign(PATH, "frame=3&x=0", NOW + 60);
        assertThat(url).startsWith(PATH + "?frame=3&x=0&expires=" + (NOW + 60) + "&signature=")
                .matches(".*signature=[0-9a-f]{64}");
        String q = query(url);
        assertThat(s.verify("GET", PATH, q, NOW)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(s.verify("HEAD", PATH, q, NOW)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(s.verify("GET", PATH, q, NOW + 60)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(s.verify("GET", PATH, q, NOW + 61)).isEqualTo(UrlSigner.Verdict.EXPIRED);
        String bare = s.sign(PATH.replace("thumbnail", "video"), "", NOW + 5);
        assertThat(bare).contains("/video?expires=");
        assertThat(s.verify("GET", PATH.replace("thumbnail", "video"), query(bare), NOW))
                .isEqualTo(UrlSigner.Verdict.VALID);
    }

    @Test
    void anyChangeBreaksTheSignature() {
        UrlSigner s = UrlSigner.of("s".repeat(32).getBytes(StandardCharsets.UTF_8));
        String q = query(s.sign(PATH, "frame=3", NOW + 60));
        assertThat(s.verify("GET", PATH.replace("thumbnail", "video"), q, NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("GET", PATH.replace("0123", "0124"), q, NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("GET", PATH, q.replace("frame=3", "frame=4"), NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("GET", PATH, q + "&x=1", NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("GET", PATH, q.replace("expires=" + (NOW + 60), "expires=" + (NOW + 99_999)), NOW))
                .isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("POST", PATH, q, NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        UrlSigner other = UrlSigner.of("t".repeat(32).getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify("GET", PATH, q, NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(s.verify("GET", PATH, "frame=3&expires=1", NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
        assertThat(s.verify("GET", PATH, q + "&signature=" + "0".repeat(64), NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
        assertThat(s.verify("GET", PATH, q.replaceAll("signature=.*", "signature=XYZ"), NOW))
                .isEqualTo(UrlSigner.Verdict.MALFORMED);
        assertThat(s.verify("GET", PATH, null, NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
    }

    @Test
    void theGeneratedSecretIsKeptAndReused() throws Exception {
        UrlSigner first = UrlSigner.inDirectory(dir.resolve("data"));
        Path key = dir.resolve("data").resolve(UrlSigner.FILE_NAME);
        assertThat(Files.readString(key).strip()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        UrlSigner again = UrlSigner.inDirectory(dir.resolve("data"));
        assertThat(again.signature("GET", PATH, "", NOW)).isEqualTo(first.signature("GET", PATH, "", NOW));
        assertThat(UrlSigner.inDirectory(dir.resolve("other")).signature("GET", PATH, "", NOW))
                .isNotEqualTo(first.signature("GET", PATH, "", NOW));
        try (var files = Files.list(dir.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(UrlSigner.FILE_NAME);
        }
        assertThat(UrlSigner.fromFile(key).signature("GET", PATH, "", NOW)).isEqualTo(first.signature("GET", PATH, "", NOW));
        Path shortKey = Files.writeString(dir.resolve("short"), "short");
        assertThatThrownBy(() -> UrlSigner.fromFile(shortKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
        assertThat(first.toString()).doesNotContain(Files.readString(key).strip());
    }
}
