package io.argus.schemas.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The embedded default schema registry: schemas kept in memory, ids assigned 1, 2, 3… in
 * registration order, the same schema text always getting the same id (as Confluent's registry
 * does across subjects).
 *
 * <p>With a snapshot file the registry reloads its schemas at start and rewrites the file on each
 * new registration, so records kept by the embedded broker across a restart stay readable.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> snapshot;
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();

    /** A registry that forgets everything when the JVM exits. */
    public InMemorySchemaRegistry() {
        this.snapshot = Optional.empty();
    }

    /**
     * A registry persisted to a JSON snapshot file.
     *
     * @param snapshotFile file read at start when it exists and rewritten on each registration
     * @throws UncheckedIOException when an existing snapshot cannot be read
     */
    public InMemorySchemaRegistry(Path snapshotFile) {
        this.snapshot = Optional.of(snapshotFile);
        if (Files.exists(snapshotFile)) {
            load(snapshotFile);
        }
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String text = schema.toString();
        Integer id = idByText.get(text);
        boolean changed = false;
        if (id == null) {
            id = byId.size() + 1;
            byId.put(id, schema);
            idByText.put(text, id);
            changed = true;
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
            changed = true;
        }
        if (changed) {
            save();
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found");
        }
        return schema;
    }

    /** @return subject names in registration order */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /**
     * @param subject subject name
     * @return schema ids registered under the subject, version 1 first; empty when unknown
     */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    private void load(Path file) {
        try {
            Snapshot s = JSON.readValue(file.toFile(), new TypeReference<Snapshot>() { });
            for (Map.Entry<Integer, String> e : s.schemas().entrySet()) {
                Schema schema = new Schema.Parser().parse(e.getValue());
                byId.put(e.getKey(), schema);
                idByText.put(schema.toString(), e.getKey());
            }
            s.subjects().forEach((k, v) -> versionsBySubject.put(k, new ArrayList<>(v)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema registry snapshot " + file, e);
        }
    }

    private void save() {
        if (snapshot.isEmpty()) {
            return;
        }
        Map<Integer, String> schemas = new LinkedHashMap<>();
        byId.forEach((k, v) -> schemas.put(k, v.toString()));
        Path file = snapshot.get();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsString(new Snapshot(schemas, versionsBySubject))
                    .getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SchemaRegistryException("Cannot write schema registry snapshot " + file, e);
        }
    }

    /** JSON shape of the snapshot file. */
    record Snapshot(Map<Integer, String> schemas, Map<String, List<Integer>> subjects) { }
}
