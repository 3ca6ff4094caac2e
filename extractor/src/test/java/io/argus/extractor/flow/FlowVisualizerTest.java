package io.argus.extractor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.argus.extractor.jpeg.JpegEncoder;

/** The HSV colour-wheel picture. */
class FlowVisualizerTest {

    @Test
    void jpegOfRealFlowIsReadableAndHasTheFieldSize() throws Exception {
        for (double scale : new double[] {1.0, 0.5}) {
            FlowField f;
            try (FlowComputer c = new FlowComputer(FlowSettings.dis().withScale(scale))) {
                f = c.compute(VtestFrames.first(), VtestFrames.second());
            }
            byte[] jpeg;
            try (JpegEncoder enc = new JpegEncoder()) {
                jpeg = new FlowVisualizer().renderJpeg(f, enc);
            }
            assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(img).isNotNull();
            assertThat(img.getWidth()).isEqualTo(f.width()).isEqualTo((int) (768 * scale));
            assertThat(img.getHeight()).isEqualTo(f.height()).isEqualTo((int) (576 * scale));
            VtestFrames.write("flow-auto-" + f.width() + "x" + f.height() + "-20s.jpg", jpeg);
            // where the right-hand walkers are, the picture is bright; on the lawn it is dark
            int[] r = VtestFrames.WALKERS_RIGHT;
            assertThat(meanBrightness(img, (int) (r[0] * scale), (int) (r[1] * scale), (int) (r[2] * scale),
                    (int) (r[3] * scale))).isGreaterThan(20);
            int[] lawn = VtestFrames.STATIC_LAWN;
            assertThat(meanBrightness(img, (int) (lawn[0] * scale), (int) (lawn[1] * scale), (int) (lawn[2] * scale),
                    (int) (lawn[3] * scale))).isLessThan(10);
        }
    }

    @Test
    void thePictureFromTheSharedPassIsThePictureOfTheField() throws Exception {
        for (FlowSettings s : java.util.List.of(FlowSettings.dis(), FlowSettings.dis().withScale(0.5))) {
            try (FlowComputer c = new FlowComputer(s); FlowPolar polar = new FlowPolar();
                    FlowVisualizer viz = new FlowVisualizer(); FlowVisualizer reference = new FlowVisualizer();
                    JpegEncoder enc = new JpegEncoder()) {
                NativeFlow flow = c.computeNative(VtestFrames.first(), VtestFrames.second());
                FlowField field = flow.toField();
                polar.compute(flow);
                BufferedImage fromField = reference.render(field);
                BufferedImage fromPolar = viz.render(polar);
                assertThat(fromPolar.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
                assertThat(pixels(fromPolar)).isEqualTo(pixels(fromField));
                // RGB-ordered drawing for the encoder: byte for byte the JPEG of the BGR picture
                byte[] jpeg = viz.renderJpeg(polar, enc);
                assertThat(jpeg).isEqualTo(enc.encode(fromField));
                assertThat(viz.renderJpeg(polar, enc)).isEqualTo(jpeg);
                assertThat(reference.renderJpeg(field, enc)).isEqualTo(jpeg);
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertThat(decoded.getWidth()).isEqualTo(field.width());
            }
        }
    }

    static byte[] pixels(BufferedImage img) {
        return ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    static double meanBrightness(BufferedImage img, int x0, int y0, int w, int h) {
        double sum = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = img.getRGB(x, y);
                sum += Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff));
            }
        }
        return sum / ((double) w * h);
    }

    @Test
    void hueIsDirectionAndValueIsMagnitude() {
        // one row: right, down, left, up at full strength; right at half strength; still; unknown
        float[] uv = {4, 0, 0, 4, -4, 0, 0, -4, 2, 0, 0, 0, 1e10f, 0, 8, 0};
        FlowField f = FlowField.of(8, 1, uv);
        BufferedImage img;
        try (FlowVisualizer fixed = new FlowVisualizer(4f)) {
            img = fixed.render(f);
            // a second field of another size reuses nothing stale
            assertThat(rgb(fixed.render(FlowField.of(2, 1, new float[] {4, 0, 0, 0})), 0)).containsExactly(255, 0, 0);
            assertThatThrownBy(() -> {
                fixed.close();
                fixed.render(f);
            }).isInstanceOf(IllegalStateException.class);
        }
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(rgb(img, 0)).containsExactly(255, 0, 0);     // 0°: red
        // 90° and 270° fall mid-sector, where cartToPolar's ~0.3° accuracy moves red by one level
        assertThat(rgb(img, 1)[0]).isBetween(127, 128);         // 90°: yellow-green
        assertThat(rgb(img, 1)).endsWith(255, 0);
        assertThat(rgb(img, 2)).containsExactly(0, 255, 255);   // 180°: cyan
        assertThat(rgb(img, 3)[0]).isBetween(127, 128);         // 270°: violet
        assertThat(rgb(img, 3)).endsWith(0, 255);
        assertThat(rgb(img, 4)).containsExactly(128, 0, 0);     // half the max: half value
        assertThat(rgb(img, 5)).containsExactly(0, 0, 0);       // still: black
        assertThat(rgb(img, 6)).containsExactly(0, 0, 0);       // unknown: black
        assertThat(rgb(img, 7)).containsExactly(255, 0, 0);     // beyond the max: clipped
        // auto normalisation: the largest vector (8 px) is at full value, 4 px at half
        BufferedImage auto = new FlowVisualizer().render(f);
        assertThat(rgb(auto, 7)).containsExactly(255, 0, 0);
        assertThat(rgb(auto, 0)).containsExactly(128, 0, 0);
        // an all-still field is all black
        BufferedImage still = new FlowVisualizer().render(FlowField.of(2, 2, new float[8]));
        assertThat(rgb(still, 0)).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> new FlowVisualizer(0f)).isInstanceOf(IllegalArgumentException.class);
    }

    static int[] rgb(BufferedImage img, int x) {
        int p = img.getRGB(x, 0);
        return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
    }
}
