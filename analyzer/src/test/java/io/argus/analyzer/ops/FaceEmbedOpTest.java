package io.argus.analyzer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.ops.face.FaceEmbedder;
import io.argus.analyzer.ops.face.FaceTestModels;
import io.argus.schemas.avro.Detection;

/**
 * The face_embed op, built by the op registry from the installed models, on real frames of the
 * head-pose clip with a woman (left) and a man (right) (Intel sample video, CC BY 4.0; see
 * {@code src/test/resources/faces/README.md}): two faces per frame, each with a unit-length
 * 1024-d embedding and a positive blur score, and each person's face closer to the same person's
 * face 30 frames later than to the other person's. Detections survive an Avro round trip.
 */
class FaceEmbedOpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embedsEachFaceSoThatThePeopleAreTold() throws Exception {
        OpProvider provider = OpRegistry.builtin(FaceTestModels.install()).get(FaceEmbedOp.NAME).orElse(null);
        assertThat(provider).isNotNull();
        List<OpOutput> outputs = new ArrayList<>();
        try (Op op = provider.create();
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(
                     "src/test/resources/faces/head-pose-face-detection-female-and-male.mp4");
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            int i = 0;
            while ((f = g.grabImage()) != null) {
                if (i == 0 || i == 30) {
                    Mat bgr = conv.convert(f);
                    outputs.add(op.apply(bgr));
                }
                i++;
            }
            g.stop();
        }
        assertThat(outputs).hasSize(2);
        List<List<Detection>> byFrame = new ArrayList<>();
        for (OpOutput out : outputs) {
            List<Detection> faces = new ArrayList<>(out.detections());
            assertThat(faces).hasSize(2);
            faces.sort((a, b) -> Integer.compare(a.getBox().getLeft(), b.getBox().getLeft()));
            for (Detection d : faces) {
                assertThat(d.getLabel()).isEqualTo("face");
                assertThat(d.getEmbedding()).hasSize(1024);
                double norm = 0;
                for (float v : d.getEmbedding()) {
                    norm += v * v;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                assertThat(d.getBlur()).isPositive();
            }
            JsonNode raw = JSON.readTree(out.resultJson()).path("detections");
            assertThat(raw).hasSize(2);
            assertThat(raw.get(0).path("embedding")).hasSize(1024);
            assertThat(raw.get(0).path("landmarks")).hasSize(4);
            assertThat(raw.get(0).path("blur").asDouble()).isPositive();
            byFrame.add(faces);
            // the vector survives Avro, as results travel on Kafka
            Detection back = Detection.fromByteBuffer(faces.get(0).toByteBuffer());
            assertThat(back.getEmbedding()).isEqualTo(faces.get(0).getEmbedding());
            assertThat(back.getBlur()).isEqualTo(faces.get(0).getBlur());
        }
        float woman = cos(byFrame.get(0).get(0), byFrame.get(1).get(0));
        float man = cos(byFrame.get(0).get(1), byFrame.get(1).get(1));
        float across = Math.max(cos(byFrame.get(0).get(0), byFrame.get(1).get(1)),
                cos(byFrame.get(0).get(1), byFrame.get(1).get(0)));
        System.out.printf("face_embed: same woman %.3f, same man %.3f, woman vs man at most %.3f%n", woman, man, across);
        assertThat(woman).isGreaterThan(across);
        assertThat(man).isGreaterThan(across);
    }

    private static float cos(Detection a, Detection b) {
        float[] x = new float[a.getEmbedding().size()];
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = a.getEmbedding().get(i);
            y[i] = b.getEmbedding().get(i);
        }
        return FaceEmbedder.cosine(x, y);
    }
}
