package io.argus.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    @Test
    void allowsMaxReplacementsWithinTheWindowAndMoreOnceTheyAge() {
        AtomicLong now = new AtomicLong(1_000);
        RestartBudget budget = new RestartBudget(2, Duration.ofSeconds(10), now::get);

        assertThat(budget.tryReplace()).isTrue();
        now.addAndGet(4_000);
        assertThat(budget.tryReplace()).isTrue();
        assertThat(budget.tryReplace()).as("a third within 10 s").isFalse();

        now.addAndGet(6_000); // the first failure is now 10 s old
        assertThat(budget.tryReplace()).isTrue();
        assertThat(budget.tryReplace()).isFalse();
    }

    @Test
    void zeroNeverReplacesAndBadSettingsAreRefused() {
        assertThat(new RestartBudget(0, Duration.ofSeconds(1), () -> 0).tryReplace()).isFalse();
        assertThatThrownBy(() -> new RestartBudget(-1, Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartBudget(1, Duration.ZERO, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
