package io.argus.edge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The stream tokens: bound to one job, expiring, unforgeable without the secret. */
class StreamTokensTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final byte[] secret = filled(7);
    private final StreamTokens tokens = new StreamTokens(secret, Duration.ofSeconds(60), now::get);

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void aTokenOpensItsJobUntilItExpires() {
        StreamTokens.Token t = tokens.mint("job-1");
        assertThat(t.expiresAtMs()).isEqualTo(1_060_000);
        assertThat(tokens.accepts(t.token(), "job-1")).isTrue();
        assertThat(tokens.accepts(t.token(), "job-2")).isFalse();
        now.set(1_060_000);
        assertThat(tokens.accepts(t.token(), "job-1")).isTrue();
        now.set(1_060_001);
        assertThat(tokens.accepts(t.token(), "job-1")).isFalse();
    }

    @Test
    void aTokenFromAnotherSecretOrAlteredIsRefused() {
        String t = tokens.mint("job-1").token();
        StreamTokens other = new StreamTokens(filled(8), Duration.ofSeconds(60), now::get);
        assertThat(other.accepts(t, "job-1")).isFalse();
        // a longer expiry written into the payload without the secret
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("job-1\n9999999999999".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + t.substring(t.indexOf('.'));
        assertThat(tokens.accepts(forged, "job-1")).isFalse();
        char last = t.charAt(t.length() - 1);
        assertThat(tokens.accepts(t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A'), "job-1")).isFalse();
        for (String bad : new String[] {null, "", ".", "abc", "a.b.c", "!!.!!", t + ".x"}) {
            assertThat(tokens.accepts(bad, "job-1")).as(String.valueOf(bad)).isFalse();
        }
        assertThat(tokens.accepts(t, null)).isFalse();
    }

    @Test
    void aJobIdWithANewLineCannotBorrowAnotherJobsToken() {
        String t = tokens.mint("a\nb").token();
        assertThat(tokens.accepts(t, "a")).isFalse();
        assertThat(tokens.accepts(t, "a\nb")).isTrue();
    }

    @Test
    void aShortSecretOrAnEmptyLifetimeIsRefused() {
        assertThatThrownBy(() -> new StreamTokens(new byte[16], Duration.ofSeconds(1), now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new StreamTokens(secret, Duration.ZERO, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
