package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.samples.SampleVideos;
import io.argus.schemas.net.UrlGuard;

/**
 * Sources whose frames have more pixels than the opener's limit are refused with 400 "frames too
 * large" naming the size, a video (vtest.avi, 768×576) and a PNG (made with the ffmpeg CLI) alike;
 * at the limit they open. The default limit is 8K UHD.
 */
class PixelLimitTest {

    @Test
    void aVideoAboveTheLimitIsRefusedWith400() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        SourceOpener small = new SourceOpener(UrlGuard.allowAll(), FileRoots.any(), 768L * 576 - 1);

        SourceException e = catchThrowableOfType(() -> small.open(SourceUri.parse(vtest.toString()), false,
                SourceOpener.READ_TIMEOUT_US), SourceException.class);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("frames too large: 768x576 is more than 442367 pixels");
        new SourceOpener(UrlGuard.allowAll(), FileRoots.any(), 768L * 576)
                .open(SourceUri.parse(vtest.toString()), false, SourceOpener.READ_TIMEOUT_US).close();
    }

    @Test
    void aPngAboveTheLimitIsRefusedWith400(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "needs the ffmpeg CLI");
        Path png = dir.resolve("wide.png");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", "color=c=gray:s=4000x3000", "-frames:v", "1", png.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        SourceException e = catchThrowableOfType(() -> new SourceOpener(UrlGuard.allowAll(), FileRoots.any(), 2_000_000)
                .open(SourceUri.parse(png.toString()), false, SourceOpener.READ_TIMEOUT_US), SourceException.class);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("frames too large: 4000x3000 is more than 2000000 pixels");
    }

    @Test
    void theDefaultLimitIs8k() {
        assertThat(new SourceOpener(UrlGuard.allowAll(), FileRoots.any()).maxPixels()).isEqualTo(7680L * 4320);
        assertThat(SourceOpener.DEFAULT_MAX_PIXELS).isEqualTo(33_177_600L);
    }
}
