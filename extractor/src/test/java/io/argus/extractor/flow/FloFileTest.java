package io.argus.extractor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Middlebury .flo files. */
class FloFileTest {

    @TempDir
    Path tmp;

    static void assertBitExact(FlowField actual, FlowField expected) {
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        assertThat(raw(actual.uv())).isEqualTo(raw(expected.uv()));
    }

    static int[] raw(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    @Test
    void roundTripOfComputedFlowIsBitExact() throws Exception {
        FlowField computed;
        try (FlowComputer c = new FlowComputer()) {
            computed = c.compute(VtestFrames.first(), VtestFrames.second());
        }
        float[] before = computed.uv().clone();
        Path file = tmp.resolve("vtest-20s.flo");
        FloFile.write(computed, file);
        assertThat(Files.size(file)).isEqualTo(12L + 768 * 576 * 8);
        FlowField back = FloFile.read(file);
        assertBitExact(back, computed);
        assertThat(back).isEqualTo(computed);
        assertBitExact(FloFile.fromBytes(FloFile.toBytes(computed)), computed);
        assertThat(computed.uv()).isEqualTo(before);
        VtestFrames.write("flow-dis-fast-20s.flo", Files.readAllBytes(file));
    }

    @Test
    void nativeFlowIsWrittenAsItsOwnBytesAndReadsBackBitExact() throws Exception {
        for (FlowSettings settings : java.util.List.of(FlowSettings.dis(), FlowSettings.dis().withScale(0.5))) {
            try (FlowComputer c = new FlowComputer(settings)) {
                NativeFlow flow = c.computeNative(VtestFrames.first(), VtestFrames.second());
                FlowField field = flow.toField();
                ByteBuffer[] parts = FloFile.buffers(flow);
                assertThat(parts).hasSize(2);
                assertThat(parts[0].remaining()).isEqualTo(FloFile.HEADER_BYTES);
                assertThat(parts[1].remaining()).isEqualTo(field.width() * field.height() * 8);
                if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                    assertThat(parts[1].isDirect()).as("a view of the Mat, not a copy").isTrue();
                }
                byte[] bytes = FloFile.toBytes(flow);
                assertThat(bytes).isEqualTo(FloFile.toBytes(field));
                io.argus.extractor.store.LocalFrameStore store = new io.argus.extractor.store.LocalFrameStore(tmp);
                byte[] stored = store.get(store.put("flows/" + field.width() + ".flo", parts));
                assertThat(stored).isEqualTo(bytes);
                FlowField back = FloFile.fromBytes(stored);
                assertBitExact(back, field);
                assertThat(back.width()).isEqualTo(settings.scaledWidth(768));
                // the same pair again in the same computer: the same field
                assertThat(c.compute(VtestFrames.first(), VtestFrames.second())).isEqualTo(field);
            }
        }
    }

    @Test
    void layoutFollowsTheMiddleburySpec() throws Exception {
        FlowField f = FlowField.of(3, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        byte[] bytes = FloFile.toBytes(f);
        assertThat(bytes).hasSize(12 + 3 * 2 * 8);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PIEH");
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getFloat(0)).isEqualTo(202021.25f);
        assertThat(le.getInt(4)).isEqualTo(3);
        assertThat(le.getInt(8)).isEqualTo(2);
        // row-major, u and v interleaved: (x=1, y=1) is the 5th vector
        assertThat(le.getFloat(12 + 4 * 8)).isEqualTo(f.u(1, 1)).isEqualTo(9f);
        assertThat(le.getFloat(12 + 4 * 8 + 4)).isEqualTo(f.v(1, 1)).isEqualTo(10f);
    }

    @Test
    void specialValuesSurviveBitExact() throws Exception {
        float[] uv = {
            -0.0f, 0.0f, Float.NaN, Float.intBitsToFloat(0x7fc0_1234), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            1e10f, -1e10f, Float.MIN_VALUE, -Float.MAX_VALUE, 0.1f, -3.75f,
        };
        FlowField f = FlowField.of(3, 2, uv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FloFile.write(f, out);
        out.write(new byte[] {1, 2, 3}); // trailing bytes stay unread
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertBitExact(FloFile.read(in), f);
        assertThat(in.available()).isEqualTo(3);
        assertThat(FloFile.isUnknown(f, 1, 1)).isTrue(); // 1e10: Middlebury's UNKNOWN_FLOW
        assertThat(FloFile.isUnknown(f, 1, 0)).isTrue(); // NaN
        assertThat(FloFile.isUnknown(f, 0, 0)).isFalse();
    }

    @Test
    void rejectsWhatIsNotAFloFile() {
        byte[] good = FloFile.toBytes(FlowField.of(2, 2, new float[8]));
        byte[] badTag = good.clone();
        badTag[0] = 'X';
        assertThatThrownBy(() -> FloFile.fromBytes(badTag)).isInstanceOf(IOException.class).hasMessageContaining("tag");
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> FloFile.fromBytes(truncated)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> FloFile.read(new ByteArrayInputStream(truncated))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> FloFile.fromBytes(Arrays.copyOf(good, 7))).isInstanceOf(EOFException.class);
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0);
        assertThatThrownBy(() -> FloFile.fromBytes(huge)).isInstanceOf(IOException.class).hasMessageContaining("size");
        // a lying header on a short stream fails without allocating the claimed size
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 99_999).putInt(8, 99_999);
        assertThatThrownBy(() -> FloFile.read(new ByteArrayInputStream(huge))).isInstanceOf(IOException.class);
    }
}
