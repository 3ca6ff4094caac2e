package io.argus.schemas.registry;

import org.apache.avro.Schema;

/**
 * The two operations of a schema registry that the Confluent wire format needs
 * (Confluent Schema Registry REST API: {@code POST /subjects/{subject}/versions} and
 * {@code GET /schemas/ids/{id}}).
 *
 * <p>Implementations are thread-safe.
 */
public interface SchemaRegistry {

    /**
     * Registers a schema under a subject, or finds it when already registered.
     *
     * @param subject subject name; Argus uses the topic-name strategy, {@code <topic>-value}
     * @param schema  Avro schema
     * @return the schema id, a positive int that identifies the schema across subjects
     * @throws SchemaRegistryException when the registry refuses the schema or cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * Looks a schema up by id.
     *
     * @param id schema id, as written in bytes 1..4 of a Confluent wire-format record
     * @return the schema
     * @throws SchemaRegistryException when the id is unknown or the registry cannot be reached
     */
    Schema schemaById(int id);
}
