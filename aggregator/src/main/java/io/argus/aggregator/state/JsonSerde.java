package io.argus.aggregator.state;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON serde of the state objects kept in the aggregator's stores (UTF-8 JSON, fields by name;
 * unknown fields are ignored when read so state written by a newer version stays readable).
 * Objects are written from their fields, not their getters; records through their components.
 *
 * @param <T> state type
 */
public final class JsonSerde<T> implements Serde<T> {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Class<T> type;

    /** @param type class of the state objects */
    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    /**
     * @param value a state object
     * @return its JSON bytes
     * @throws SerializationException when it cannot be written
     */
    public byte[] write(T value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @param bytes JSON bytes
     * @return the state object
     * @throws SerializationException when the bytes are not a valid object of the type
     */
    public T read(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName() + " from JSON", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }
}
