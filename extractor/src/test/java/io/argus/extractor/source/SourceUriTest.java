package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local paths that cannot name a file here are missing videos (424), never an unexpected error. */
class SourceUriTest {

    static void isMissing(String uri) {
        SourceUri source = SourceUri.parse(uri);
        assertThat(source.isFile()).isTrue();
        assertThatThrownBy(() -> SourceOpener.UNRESTRICTED.open(source, false, SourceOpener.READ_TIMEOUT_US))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(424);
                    assertThat(e.getMessage()).isEqualTo("cannot find the video");
                });
    }

    @Test
    void aPathWithNulIsAMissingVideo() {
        isMissing("/tmp/a\u0000.mp4");
        isMissing("file:///tmp/a%00.mp4");
    }

    @Test
    void aFileUriWithAHostIsAMissingVideo(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("v.mp4"), "x");
        isMissing("file://otherhost" + real);
        isMissing("file:relative/v.mp4");
    }

    @Test
    void fileLocalhostIsALocalPath(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("v.mp4"), "x");
        assertThat(SourceUri.parse("file://localhost" + real).input()).isEqualTo(real.toString());
        assertThat(SourceUri.parse("file://LOCALHOST" + real).input()).isEqualTo(real.toString());
        assertThat(SourceUri.parse("file://localhost" + real).isFile()).isTrue();
        isMissing("file://otherhost" + real);
    }

    @Test
    void aPathWithAColonIsALocalFileAsTheEdgeReadsIt(@TempDir Path dir) {
        // the edge (SourceSchemes) takes "/x/a:b.mp4" for a path; so must ingest
        SourceUri source = SourceUri.parse(dir + "/a:b.mp4");
        assertThat(source.isFile()).isTrue();
        assertThat(source.input()).isEqualTo(dir + "/a:b.mp4");
        assertThat(SourceUri.parse("RTSP://cam/1").isLive()).isTrue();
        assertThat(SourceUri.parse("rtmps://h/live/x").isLive()).isTrue();
        assertThat(SourceUri.parse("https://h/rtsp.mp4").isLive()).isFalse();
    }

    @Test
    void plainPathsAndFileUrisStillResolve(@TempDir Path dir) {
        assertThat(SourceUri.parse(dir.resolve("v.mp4").toUri().toString()).input())
                .isEqualTo(dir.resolve("v.mp4").toString());
        assertThat(SourceUri.parse("v.mp4").input()).isEqualTo(Path.of("v.mp4").toAbsolutePath().toString());
        assertThatThrownBy(() -> SourceUri.parse("ftp://h/v.mp4")).isInstanceOf(IllegalArgumentException.class);
    }
}
