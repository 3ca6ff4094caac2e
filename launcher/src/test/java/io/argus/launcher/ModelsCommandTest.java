package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.launcher.cli.ArgusCommand;
import picocli.CommandLine;

/** {@code argus models}: the install itself is tested against the real registry in the analyzer module. */
class ModelsCommandTest {

    @TempDir
    Path dir;

    @Test
    void verifyOnAnEmptyDirectorySaysWhatToRun() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new ArgusCommand()).execute("models", "verify", "--models-dir", dir.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("faces: model faces is not installed; run: ./argus models install")
                .contains("objects: model objects is not installed; run: ./argus models install");
    }

    @Test
    void dataDirMeansItsModelsDirectory() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        Path d2 = dir.resolve("d2");
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new ArgusCommand()).execute("models", "verify", "--data-dir", d2.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("objects: model objects is not installed")
                .contains("(models dir " + d2.resolve("models") + ")");
    }

    @Test
    void modelPicksOptionalModelsAndRefusesUnknownNames() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int verify;
        int unknown;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            verify = new CommandLine(new ArgusCommand()).execute("models", "verify", "--model", "nanodet",
                    "--model", "centernet", "--models-dir", dir.toString());
            unknown = new CommandLine(new ArgusCommand()).execute("models", "verify", "--model", "yolo9000",
                    "--models-dir", dir.toString());
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(verify).isEqualTo(1);
        assertThat(text).contains("nanodet: model nanodet is not installed").contains("centernet: model centernet is not installed")
                .doesNotContain("objects:");
        assertThat(unknown).isEqualTo(2);
        assertThat(text).contains("unknown model yolo9000").contains("nanodet").contains("centernet");
    }

    @Test
    void anUnknownActionIsRefused() {
        assertThat(new CommandLine(new ArgusCommand()).execute("models", "frob", "--models-dir", dir.toString()))
                .isEqualTo(2);
    }
}
