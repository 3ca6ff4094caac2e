package io.argus.media.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.media.TestVideos;

/**
 * {@link AudioMux}: a silent 2 s H.264 video (testsrc2, 320×240, 25 fps, 50 frames) gets the AAC
 * audio of car-detection.mp4 (30 s): the output has the video's 50 frames with the same packets
 * (same bytes per frame, per ffprobe's packet sizes), AAC audio cut at the video's end.
 */
class AudioMuxTest {

    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("argus-audio-mux");
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestVideos.deleteTree(dir);
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
        return out;
    }

    static String packetSizes(Path file) throws Exception {
        return run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=size", "-of", "csv=p=0",
                file.toString());
    }

    @Test
    void addsTheSourcesAudioWithoutTouchingTheVideo() throws Exception {
        Path silent = dir.resolve("silent.mp4");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v",
                "libx264", "-pix_fmt", "yuv420p", silent.toString());
        Path out = dir.resolve("with-audio.mp4");
        assertTrue(AudioMux.mux(silent, TestVideos.clip("car-detection.mp4"), out));
        Map<String, String> p = TestVideos.probe(out);
        assertEquals("h264", p.get("codec_name"));
        assertEquals("50", p.get("nb_read_frames"));
        assertEquals("1", p.get("audio"));
        double duration = Double.parseDouble(p.get("format.duration"));
        assertTrue(duration > 1.9 && duration < 2.2, "audio cut at the video's end: " + duration + " s");
        assertEquals(packetSizes(silent), packetSizes(out), "the video's packets are copied as they are");
        assertFalse(Files.exists(dir.resolve("with-audio.mp4.part")));

        Path none = dir.resolve("none.mp4");
        assertFalse(AudioMux.mux(silent, silent, none), "a source without audio adds none");
        assertFalse(Files.exists(none));
    }
}
