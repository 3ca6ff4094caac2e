package io.argus.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.launcher.runtime.RuntimeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The JWT and signed-URL options: read at start, a bad file is an error, a JWT key alone closes the API. */
class AccessOptionsTest {

    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        RuntimeOptions runtime;
    }

    RuntimeConfig parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.runtime.toConfig("0.0.0.0", 0);
    }

    @Test
    void jwtAndSigningSecretsAreReadFromTheirFiles() throws Exception {
        Path jwt = Files.writeString(dir.resolve("jwt"), "j".repeat(40) + "\n");
        Path url = Files.writeString(dir.resolve("url"), "u".repeat(40) + "\n");
        RuntimeConfig c = parse("--data-dir", dir.toString(), "--jwt-secret-file", jwt.toString(),
                "--url-signing-secret-file", url.toString());
        assertThat(c.security().jwt()).isNotNull();
        assertThat(c.security().jwt().toString()).isEqualTo("JwtVerifier[HS256 secret]");
        assertThat(c.security().urlSigner()).isNotNull();
        assertThat(c.security().keys().isOpen()).isTrue();
        assertThat(c.security().open()).as("a JWT key closes the API").isFalse();
        assertThatCode(c::checkExposure).as("0.0.0.0 with JWT only is not an open API").doesNotThrowAnyException();
        assertThat(c.security().toString()).doesNotContain("jjjj").doesNotContain("uuuu");

        RuntimeConfig none = parse("--data-dir", dir.toString());
        assertThat(none.security().jwt()).isNull();
        assertThat(none.security().urlSigner()).as("generated in the data directory at start").isNull();
        assertThatThrownBy(none::checkExposure).hasMessageContaining("without API keys");
    }

    @Test
    void badSecretFilesStopTheStart() throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short"), "short\n");
        assertThatThrownBy(() -> parse("--jwt-secret-file", shortSecret.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> parse("--url-signing-secret-file", shortSecret.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> parse("--url-signing-secret-file", dir.resolve("missing").toString()))
                .hasMessageContaining("cannot read --url-signing-secret-file");
        assertThatThrownBy(() -> parse("--jwt-jwks-file", shortSecret.toString()))
                .hasMessageContaining("cannot read the JWKS file");
    }
}
