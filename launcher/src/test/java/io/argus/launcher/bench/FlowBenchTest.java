package io.argus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

import io.argus.extractor.flow.DisPreset;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.samples.SampleVideos;

/** The benchmark helper runs and reports what it ran; it is not timed here. */
class FlowBenchTest {

    @Test
    void runsEveryStandardSettingOverRealFrames() throws Exception {
        // three consecutive decoded frames of vtest.avi (768×576) from 20.0 s
        List<Frame> frames = FlowBench.decode(SampleVideos.ensure("vtest.avi").toString(), 20_000, 3);
        assertThat(frames).hasSize(3);
        List<FlowSettings> settings = FlowBench.standardSettings();
        assertThat(settings).hasSize(8).extracting(FlowSettings::label).containsExactly(
                "DIS-ULTRAFAST@1.0", "DIS-ULTRAFAST@0.5", "DIS-FAST@1.0", "DIS-FAST@0.5",
                "DIS-MEDIUM@1.0", "DIS-MEDIUM@0.5", "FARNEBACK@1.0", "FARNEBACK@0.5");
        List<FlowBench.Result> results = FlowBench.runAll(frames,
                List.of(FlowSettings.dis(DisPreset.ULTRAFAST), FlowSettings.farneback().withScale(0.5)), 3);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).flowWidth()).isEqualTo(768);
        assertThat(results.get(1).flowWidth()).isEqualTo(384);
        assertThat(results.get(1).flowHeight()).isEqualTo(288);
        for (FlowBench.Result r : results) {
            assertThat(r.pairs()).isEqualTo(3);
            assertThat(r.millisPerPair()).isPositive();
            assertThat(r.pairsPerSecond()).isPositive();
            assertThat(r.opencvThreads()).isPositive();
            assertThat(r.toString()).contains(r.settings().label());
        }
        assertThatThrownBy(() -> FlowBench.run(frames.subList(0, 1), FlowSettings.dis(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
