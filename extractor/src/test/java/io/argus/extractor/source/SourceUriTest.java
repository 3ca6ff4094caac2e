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
        assertThatThrownBy(() -> SourceOpener.open(source, false, SourceOpener.READ_TIMEOUT_US))
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
    void plainPathsAndFileUrisStillResolve(@TempDir Path dir) {
        assertThat(SourceUri.parse(dir.resolve("v.mp4").toUri().toString()).input())
                .isEqualTo(dir.resolve("v.mp4").toString());
        assertThat(SourceUri.parse("v.mp4").input()).isEqualTo(Path.of("v.mp4").toAbsolutePath().toString());
        assertThatThrownBy(() -> SourceUri.parse("ftp://h/v.mp4")).isInstanceOf(IllegalArgumentException.class);
    }
}
