package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.argus.edge.hooks.AttemptResult.Verdict;

class RetryPolicyTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertThat(RetryPolicy.classify(status)).isEqualTo(Verdict.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 599, 408, 429})
    void serverErrorsTimeoutsAndThrottlingAreRetried(int status) {
        assertThat(RetryPolicy.classify(status)).isEqualTo(Verdict.RETRY);
        assertThat(AttemptResult.ofStatus(status).error()).isEqualTo("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 422, 301, 302, 307, 308, 100, 600})
    void otherAnswersGiveUpAtOnce(int status) {
        assertThat(RetryPolicy.classify(status)).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void ioErrorsAreRetried() {
        assertThat(AttemptResult.ioError("connection refused").verdict()).isEqualTo(Verdict.RETRY);
        assertThat(AttemptResult.hopeless("bad URL").verdict()).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void defaultsAreFiveHundredMsTimesTwoCappedAtThirtySecondsEightAttempts() {
        HookSettings d = HookSettings.defaults();
        assertThat(d.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.multiplier()).isEqualTo(2.0);
        assertThat(d.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxAttempts()).isEqualTo(8);
        assertThat(d.attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
        RetryPolicy p = new RetryPolicy(d);
        assertThat(p.ceiling(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.ceiling(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.ceiling(7)).isEqualTo(Duration.ofMillis(30_000)); // 32 s capped
        assertThat(p.ceiling(1000)).isEqualTo(Duration.ofMillis(30_000));
        assertThat(p.mayRetry(7)).isTrue();
        assertThat(p.mayRetry(8)).isFalse();
    }

    @Test
    void partialJitterStaysWithinTheUpperPartOfTheCeiling() {
        RetryPolicy p = new RetryPolicy(HookSettings.defaults()); // jitter 0.5
        Random rnd = new Random(7);
        for (int n = 1; n <= 12; n++) {
            long c = p.ceiling(n).toMillis();
            for (int i = 0; i < 200; i++) {
                long w = p.backoff(n, rnd.nextDouble(), null).toMillis();
                assertThat(w).isBetween(c / 2, c).isLessThanOrEqualTo(30_000);
            }
            assertThat(p.backoff(n, 0.0, null).toMillis()).isEqualTo(c);
            assertThat(p.backoff(n, 0.999999, null).toMillis()).isBetween(c / 2, c / 2 + 1);
        }
    }

    @Test
    void fullJitterGoesDownToZeroAndNoJitterIsExact() {
        HookSettings base = HookSettings.defaults();
        RetryPolicy full = new RetryPolicy(base.withBackoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(2), 1.0));
        assertThat(full.backoff(1, 0.0, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(full.backoff(1, 0.999999, null).toMillis()).isLessThanOrEqualTo(1);
        assertThat(full.backoff(3, 0.5, null)).isEqualTo(Duration.ofMillis(450));
        assertThat(full.ceiling(4)).isEqualTo(Duration.ofMillis(2000)); // 2.7 s capped
        RetryPolicy none = new RetryPolicy(base.withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), 0.0));
        assertThat(none.backoff(2, 0.9, null)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void retryAfterRaisesTheWaitUpToTheCap() {
        RetryPolicy p = new RetryPolicy(HookSettings.defaults());
        assertThat(p.backoff(1, 0.0, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.backoff(1, 0.0, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.backoff(1, 0.0, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void settingsAreValidatedAndTheSecretIsNotPrinted() {
        assertThat(HookSettings.defaults().withSecret("s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(HookSettings.defaults().withSecret("  ").secret()).isNull();
        assertThatThrownBy(() -> HookSettings.defaults().withAttempts(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookSettings.defaults().withBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookSettings.defaults().withBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookSettings.defaults().withBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookSettings.defaults().withConcurrency(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
