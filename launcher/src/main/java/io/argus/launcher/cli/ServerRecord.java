package io.argus.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the process holding a data directory's lock ({@link DataDirLock}) serves, kept in
 * {@code <data-dir>/server.json} while it runs:
 * <pre>
 * {"pid": 4242, "command": "server|analyze|broker",
 *  "http_url": "http://127.0.0.1:8080"   (omitted without the HTTP API),
 *  "bootstrap_servers": "127.0.0.1:40123"}
 * </pre>
 * {@code argus results} reads it to find the broker and the schema registry, {@code argus analyze}
 * to submit its job to a running server. The file is written to a temporary name and moved into
 * place, so a reader never sees half of it; a record whose lock is free is stale (its process
 * died) and is ignored.
 *
 * @param pid              process id
 * @param command          the command that runs there
 * @param httpUrl          base URL of its HTTP API, or null
 * @param bootstrapServers its Kafka bootstrap servers, or null
 */
record ServerRecord(long pid, String command, String httpUrl, String bootstrapServers) {

    /** Name of the record inside the data directory. */
    static final String FILE = "server.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param command          the command of this process
     * @param httpUrl          its HTTP API, or null
     * @param bootstrapServers its Kafka, or null
     * @return the record of this process
     */
    static ServerRecord ofThisProcess(String command, String httpUrl, String bootstrapServers) {
        return new ServerRecord(ProcessHandle.current().pid(), command, httpUrl, bootstrapServers);
    }

    /**
     * @param host a bind address
     * @param port the bound port
     * @return the URL a client on this machine uses: a wildcard bind address is reached on 127.0.0.1
     */
    static String httpUrl(String host, int port) {
        String h = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * Writes the record atomically: to {@code server.json.tmp}, then moved onto {@code server.json}.
     *
     * @param dataDir the data directory
     * @throws IOException when it cannot be written
     */
    void write(Path dataDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", pid);
        n.put("command", command);
        if (httpUrl != null) {
            n.put("http_url", httpUrl);
        }
        if (bootstrapServers != null) {
            n.put("bootstrap_servers", bootstrapServers);
        }
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * @param dataDir a data directory
     * @return its record, or empty when there is none or it cannot be read
     */
    static Optional<ServerRecord> read(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return Optional.of(new ServerRecord(n.path("pid").asLong(-1), n.path("command").asText("server"),
                    text(n, "http_url"), text(n, "bootstrap_servers")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param dataDir a data directory
     * @return the record of the live process holding its lock; empty when no process holds it
     *         (a record left by a process that died is stale and ignored)
     * @throws IOException when the lock file cannot be opened
     */
    static Optional<ServerRecord> live(Path dataDir) throws IOException {
        return DataDirLock.held(dataDir) ? read(dataDir) : Optional.empty();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
