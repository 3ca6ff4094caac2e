package io.argus.analyzer.models.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal Protocol Buffers encoder, enough to write ONNX models: varint fields (wire type 0),
 * 32-bit floats (wire type 5), length-delimited bytes, strings and nested messages (wire type 2),
 * and packed repeated int64/float fields. Encoding per the protobuf "Encoding" guide
 * (protobuf.dev/programming-guides/encoding): a field key is {@code (field_number << 3) | wire_type}
 * as a varint; varints are little-endian base-128 with the high bit as continuation; negative
 * int64 values take ten bytes (two's complement); floats are 4 bytes little-endian IEEE 754.
 *
 * <p>Not thread-safe; one writer builds one message.
 */
public final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int LEN = 2;
    private static final int I32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * Writes an int64/int32/enum/bool field.
     *
     * @param field field number
     * @param value value (negative values are written as ten-byte two's complement)
     * @return this
     */
    public ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /**
     * Writes a float field.
     *
     * @param field field number
     * @param value value
     * @return this
     */
    public ProtoWriter float32(int field, float value) {
        key(field, I32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /**
     * Writes a UTF-8 string field.
     *
     * @param field field number
     * @param value value
     * @return this
     */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a bytes field (also used for nested messages).
     *
     * @param field field number
     * @param value raw bytes
     * @return this
     */
    public ProtoWriter bytes(int field, byte[] value) {
        key(field, LEN);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /**
     * Writes a nested message field.
     *
     * @param field field number
     * @param message the encoded message
     * @return this
     */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /**
     * Writes a packed repeated int64 field (nothing when empty).
     *
     * @param field field number
     * @param values values
     * @return this
     */
    public ProtoWriter packedInt64(int field, long[] values) {
        if (values.length == 0) {
            return this;
        }
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.varint(v);
        }
        return bytes(field, body.toByteArray());
    }

    /**
     * Writes a packed repeated float field (nothing when empty).
     *
     * @param field field number
     * @param values values
     * @return this
     */
    public ProtoWriter packedFloat(int field, float[] values) {
        if (values.length == 0) {
            return this;
        }
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int k = 0; k < 4; k++) {
                b[4 * i + k] = (byte) (bits >>> (8 * k));
            }
        }
        return bytes(field, b);
    }

    /** @return the encoded message */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
