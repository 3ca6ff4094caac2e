package io.argus.edge.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.JobState;

class JobMarkerTest {

    @Test
    void encodesOpaquelyAndDecodesBack() {
        JobMarker m = new JobMarker(1_700_000_000_123L, "job:with:colons-é");
        String text = m.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+").doesNotContain("job");
        assertThat(JobMarker.decode(text)).isEqualTo(m);
    }

    @Test
    void refusesWhatItDidNotWrite() {
        for (String bad : new String[] {"", "***", "MTox", "MjoxOmE", "MTo6YQ", "MTo5OTk5OTk5OTk5OTk5OTk5OTk5OmE", "_w"}) {
            assertThatThrownBy(() -> JobMarker.decode(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("marker");
        }
    }

    @Test
    void aPageNeedsALimitOfAtLeastOne() {
        try (JobView view = new JobView()) {
            view.apply(JobViewTest.status("a", JobState.DOING, 5));
            view.apply(JobViewTest.status("b", JobState.DOING, 5));
            JobPage page = view.page(Optional.empty(), Optional.empty(), 1);
            assertThat(page.jobs()).extracting(s -> s.getJobId()).containsExactly("a");
            assertThat(page.next()).contains(new JobMarker(5, "a"));
            JobPage last = view.page(Optional.empty(), page.next(), 1);
            assertThat(last.jobs()).extracting(s -> s.getJobId()).containsExactly("b");
            assertThat(last.next()).isEmpty();
            assertThatThrownBy(() -> view.page(Optional.empty(), Optional.empty(), 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
