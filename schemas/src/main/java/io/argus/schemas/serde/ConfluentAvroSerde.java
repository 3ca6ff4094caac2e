package io.argus.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.argus.schemas.registry.SchemaRegistry;

/**
 * Serde for Avro specific records in the Confluent wire format:
 * {@code 0x00 | schema id (int32, big-endian) | Avro binary}, so Confluent's
 * {@code KafkaAvroDeserializer}, kcat and other standard tools read Argus topics.
 *
 * <p>The writer registers the record's schema under {@code <topic>-value} (Confluent's
 * TopicNameStrategy) once per topic; the reader resolves the writer's schema by id and reads it
 * into the generated class (Avro schema resolution, so older writers stay readable).
 *
 * @param <T> generated Avro class
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** First byte of every Confluent wire-format record. */
    public static final byte MAGIC = 0x0;
    private static final int HEADER = 5;

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    /**
     * @param registry where schemas are registered and looked up
     * @param type     generated Avro class of the values
     */
    public ConfluentAvroSerde(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** @return the Avro class this serde reads and writes */
    public Class<T> type() {
        return type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : serialize(topic, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : deserialize(topic, bytes);
    }

    private byte[] serialize(String topic, T value) {
        int id = idByTopic.computeIfAbsent(topic, t -> registry.register(t + "-value", readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " for topic " + topic, e);
        }
        return out.toByteArray();
    }

    private T deserialize(String topic, byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != MAGIC) {
            throw new SerializationException("Record on " + topic + " is not in the Confluent wire format");
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id,
                i -> new SpecificDatumReader<>(registry.schemaById(i), readerSchema));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName() + " (schema " + id
                    + ") from topic " + topic, e);
        }
    }
}
