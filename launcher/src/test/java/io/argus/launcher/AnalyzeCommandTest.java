package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.cli.ArgusCommand;
import picocli.CommandLine;

/** The README's main command, {@code argus analyze}, run in process on a fresh data directory. */
class AnalyzeCommandTest {

    @Test
    void analyzePrintsTheSegmentsOfARealVideo(@TempDir Path dir) throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new ArgusCommand()).execute("analyze", vtest.toString(), "--mode", "1",
                    "--data-dir", dir.toString());
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        String logged = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + logged).isZero();
        assertThat(printed).contains("FINISHED").contains("4 frames analysed").contains("op person");
        assertThat(printed).containsPattern("00:00\\.000 - \\d\\d:\\d\\d\\.\\d{3}");
        // the default models were installed on first use, into this data directory, so person is
        // the SSD detector and nothing warns of the HOG fallback
        assertThat(logged).contains("Installing model objects", "Model objects installed", "Model faces installed");
        assertThat(dir.resolve("models").resolve("objects").resolve("manifest.json")).isRegularFile();
        assertThat(logged).doesNotContain("HOG");
    }

    @Test
    void aMissingVideoExitsNonZeroNamingThePath(@TempDir Path dir) {
        CommandLine cli = ArgusCommand.commandLine(new String[0]);
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute("analyze", dir.resolve("missing.mp4").toString(),
                "--data-dir", dir.resolve("data").toString(), "--no-model-install");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot find the video: " + dir.resolve("missing.mp4"))
                .doesNotContain("\tat ");
        assertThat(dir.resolve("data")).as("nothing started, nothing written").doesNotExist();
    }
}
