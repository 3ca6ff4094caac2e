package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.samples.SampleVideos;
import io.argus.schemas.net.UrlGuard;

/** Local sources are read only from the listed directories, whatever path tricks a request uses. */
class FileRootsTest {

    @TempDir
    Path dir;

    @Test
    void onlyFilesWhoseRealPathIsUnderARootAreAllowed() throws Exception {
        Path videos = Files.createDirectories(dir.resolve("videos"));
        Path sibling = Files.createDirectories(dir.resolve("videos2"));
        Path inside = Files.writeString(videos.resolve("a.mp4"), "x");
        Path outside = Files.writeString(sibling.resolve("b.mp4"), "x");
        Path escape = Files.createSymbolicLink(videos.resolve("link.mp4"), outside);
        FileRoots roots = FileRoots.of(" " + videos + " ,");

        assertThat(roots.allows(inside)).isTrue();
        assertThat(roots.allows(videos.resolve("sub/../a.mp4"))).isFalse(); // sub does not exist
        assertThat(roots.allows(videos.resolve("./a.mp4"))).isTrue();
        assertThat(roots.allows(outside)).as("a sibling whose name starts like the root").isFalse();
        assertThat(roots.allows(videos.resolve("../videos2/b.mp4"))).isFalse();
        assertThat(roots.allows(escape)).as("a symlink out of the root").isFalse();
        assertThat(roots.allows(videos.resolve("missing.mp4"))).isFalse();
        assertThat(FileRoots.of("").allows(outside)).isTrue();
        assertThat(FileRoots.of(null).isAny()).isTrue();
    }

    @Test
    void aRootThatIsNotADirectoryIsRefusedAtStartup() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> FileRoots.of(file.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> FileRoots.of(dir.resolve("nope").toString()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVideoOutsideTheRootsGives424LikeAMissingFile() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        SourceOpener elsewhere = new SourceOpener(UrlGuard.allowAll(),
                FileRoots.of(Files.createDirectories(dir.resolve("videos")).toString()));
        assertThatThrownBy(() -> elsewhere.open(SourceUri.parse(vtest.toString()), false,
                SourceOpener.READ_TIMEOUT_US))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(424));
        SourceOpener there = new SourceOpener(UrlGuard.allowAll(), FileRoots.of(vtest.getParent().toString()));
        there.open(SourceUri.parse(vtest.toString()), false, SourceOpener.READ_TIMEOUT_US).close();
    }
}
