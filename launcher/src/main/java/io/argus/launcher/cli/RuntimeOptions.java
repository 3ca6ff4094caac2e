package io.argus.launcher.cli;

import java.nio.file.Path;

import io.argus.edge.hooks.HookSettings;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.JwtVerifier;
import io.argus.edge.security.UrlSigner;
import io.argus.extractor.source.FileRoots;
import io.argus.schemas.net.UrlGuard;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import picocli.CommandLine.Option;

/** Options shared by the commands that start Argus; each has an environment variable. */
public final class RuntimeOptions {

    @Option(names = ConfigFileDefaults.OPTION, paramLabel = "FILE",
            description = "Properties file of option values, keyed by long option name without dashes, e.g. bootstrap-servers=k1:9092 (env ARGUS_CONFIG). The command line and environment variables win over it.")
    Path config;

    @Option(names = "--data-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}",
            description = "Local state: embedded broker, frames, stream state (env ARGUS_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:ARGUS_BOOTSTRAP_SERVERS}",
            description = "Kafka cluster; when unset an embedded single-node broker starts (env ARGUS_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "${env:ARGUS_SCHEMA_REGISTRY_URL}",
            description = "Confluent-compatible schema registry; when unset an in-memory registry is used (env ARGUS_SCHEMA_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--partitions", defaultValue = "${env:ARGUS_PARTITIONS:-4}",
            description = "Partitions of the topics Argus creates (env ARGUS_PARTITIONS, default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "${env:ARGUS_REPLICATION_FACTOR:-1}",
            description = "Replication factor of the topics Argus creates (env ARGUS_REPLICATION_FACTOR, default ${DEFAULT-VALUE}).")
    short replication;

    @Option(names = "--analyzer-threads", defaultValue = "${env:ARGUS_ANALYZER_THREADS:-0}",
            description = "Frames analysed at once; 0 means one per core (env ARGUS_ANALYZER_THREADS, default ${DEFAULT-VALUE}).")
    int analyzerThreads;

    @Option(names = "--ingest-slots", defaultValue = "${env:ARGUS_INGEST_SLOTS:-2}",
            description = "File and HTTP jobs decoded at once (env ARGUS_INGEST_SLOTS, default ${DEFAULT-VALUE}).")
    int ingestSlots;

    @Option(names = "--live-slots", defaultValue = "${env:ARGUS_LIVE_SLOTS:-16}",
            description = "Live RTMP/RTSP jobs run at once (env ARGUS_LIVE_SLOTS, default ${DEFAULT-VALUE}).")
    int liveSlots;

    @Option(names = "--hook-secret", defaultValue = "${env:ARGUS_HOOK_SECRET}",
            description = "Secret for the HMAC-SHA256 X-Argus-Signature header of hook calls; unset sends unsigned calls (env ARGUS_HOOK_SECRET).")
    String hookSecret;

    @Option(names = "--hook-attempts", defaultValue = "${env:ARGUS_HOOK_ATTEMPTS:-8}",
            description = "Delivery attempts of a hook call before it goes to argus.hooks-dlq (env ARGUS_HOOK_ATTEMPTS, default ${DEFAULT-VALUE}).")
    int hookAttempts;

    @Option(names = "--extraction-retention-days", defaultValue = "${env:ARGUS_EXTRACTION_RETENTION_DAYS:-7}",
            description = "Frame and flow extractions older than this many days are deleted (env ARGUS_EXTRACTION_RETENTION_DAYS, default ${DEFAULT-VALUE}).")
    double extractionRetentionDays;

    @Option(names = "--job-retention-days", defaultValue = "${env:ARGUS_JOB_RETENTION_DAYS:-7}",
            description = "A job that ended longer ago than this loses its stored frames and its status; DELETE /v1/jobs/video/<id> does it at once (env ARGUS_JOB_RETENTION_DAYS, default ${DEFAULT-VALUE}).")
    double jobRetentionDays;

    @Option(names = "--api-keys-file", paramLabel = "FILE",
            description = "File of API keys the HTTP API accepts, one per line (# comments), each optionally followed by role=admin|user and name=<principal> (a plain key is an admin); with env ARGUS_API_KEYS=k1,k2 they add up. Without either (nor a JWT key) the API is open.")
    Path apiKeysFile;

    @Option(names = "--jwt-secret-file", paramLabel = "FILE", defaultValue = "${env:ARGUS_JWT_SECRET_FILE}",
            description = "File holding the HMAC secret (at least 32 bytes) of HS256 JWTs the HTTP API accepts as Authorization: Bearer <JWT> (env ARGUS_JWT_SECRET_FILE). Claims: exp and sub required, argus_role admin|user, argus_files [file_uuid...].")
    Path jwtSecretFile;

    @Option(names = "--jwt-jwks-file", paramLabel = "FILE", defaultValue = "${env:ARGUS_JWT_JWKS_FILE}",
            description = "JWK set file ({\"keys\": [...]}) of the RSA and P-256 EC public keys of RS256/ES256 JWTs the HTTP API accepts (env ARGUS_JWT_JWKS_FILE).")
    Path jwtJwksFile;

    @Option(names = "--url-signing-secret-file", paramLabel = "FILE", defaultValue = "${env:ARGUS_URL_SIGNING_SECRET_FILE}",
            description = "File holding the secret (at least 32 bytes) of the media API's signed URLs (env ARGUS_URL_SIGNING_SECRET_FILE). Unset: generated once in <data-dir>/url-signing.key; edges behind one load balancer must share one.")
    Path urlSigningSecretFile;

    @Option(names = "--schema-registry-key-file", paramLabel = "FILE",
            description = "File whose first line (not blank, not #) is the API key sent to the schema registry as a Bearer token; env ARGUS_SCHEMA_REGISTRY_KEY holds the key itself. Needed when the registry is another Argus edge with API keys.")
    Path registryKeyFile;

    @Option(names = "--frame-store", defaultValue = "${env:ARGUS_FRAME_STORE}", paramLabel = "LOCATION",
            description = "Where frames go: a directory (default <data-dir>/frames) or s3://BUCKET[/PREFIX][?endpoint=URL&region=R&path_style=true] with credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS default chain (env ARGUS_FRAME_STORE). Every stage must use the same.")
    String frameStore;

    @Option(names = "--url-allow", defaultValue = "${env:ARGUS_URL_ALLOW}", paramLabel = "LIST",
            description = "Addresses sources and hook URLs may reach besides public ones: comma-separated CIDRs, host names, *.domain, loopback, private, or * (env ARGUS_URL_ALLOW; default loopback while --host is a loopback address, else none).")
    String urlAllow;

    @Option(names = "--file-roots", defaultValue = "${env:ARGUS_FILE_ROOTS}", paramLabel = "DIRS",
            description = "Comma-separated directories local data.uri paths may be read from; others give 424 like a missing file (env ARGUS_FILE_ROOTS, default any readable file). Set it when callers are not the machine's users.")
    String fileRoots;

    @Option(names = "--instance-id", defaultValue = "${env:ARGUS_INSTANCE_ID:-0}",
            description = "Stable id of this process among instances of the same stages (env ARGUS_INSTANCE_ID, default ${DEFAULT-VALUE}).")
    String instanceId;

    /**
     * @param host HTTP bind address
     * @param port HTTP port, 0 any, -1 none
     * @return the runtime configuration
     */
    RuntimeConfig toConfig(String host, int port) {
        return toConfig(host, port, Stage.all());
    }

    /**
     * @param host   HTTP bind address
     * @param port   HTTP port, 0 any, -1 none
     * @param stages the stages to run
     * @return the runtime configuration
     * @throws IllegalArgumentException when a subset of stages is asked for without a cluster
     */
    RuntimeConfig toConfig(String host, int port, java.util.Set<Stage> stages) {
        int threads = analyzerThreads > 0 ? analyzerThreads : Runtime.getRuntime().availableProcessors();
        return new RuntimeConfig(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots,
                liveSlots, threads, host, port, instanceId, hookSettings(),
                java.time.Duration.ofMinutes(Math.round(extractionRetentionDays * 24 * 60)), stages, security(),
                frameStore).withJobRetention(java.time.Duration.ofMinutes(Math.round(jobRetentionDays * 24 * 60)));
    }

    private RuntimeConfig.Security security() {
        ApiKeys keys = ApiKeys.fromEnvironment(System.getenv());
        if (apiKeysFile != null) {
            try {
                keys = keys.and(ApiKeys.fromFile(apiKeysFile));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read --api-keys-file " + apiKeysFile + ": " + e.getMessage(), e);
            }
        }
        // the option reads ARGUS_URL_ALLOW in its annotation; unset: null, so that the runtime picks
        // the default of the HTTP bind address (RuntimeConfig.defaultUrlAllow)
        UrlGuard urls = urlAllow == null ? null : UrlGuard.of(urlAllow);
        return new RuntimeConfig.Security(urls, keys, registryKey(), FileRoots.of(fileRoots))
                .withTokens(JwtVerifier.fromFiles(jwtSecretFile, jwtJwksFile), urlSigner());
    }

    private UrlSigner urlSigner() {
        if (urlSigningSecretFile == null) {
            return null;
        }
        try {
            return UrlSigner.fromFile(urlSigningSecretFile);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --url-signing-secret-file " + urlSigningSecretFile + ": "
                    + e.getMessage(), e);
        }
    }

    private String registryKey() {
        if (registryKeyFile == null) {
            String env = System.getenv("ARGUS_SCHEMA_REGISTRY_KEY");
            return env == null || env.isBlank() ? null : env.trim();
        }
        try {
            return java.nio.file.Files.readAllLines(registryKeyFile).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--schema-registry-key-file " + registryKeyFile
                            + " holds no key"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --schema-registry-key-file " + registryKeyFile + ": "
                    + e.getMessage(), e);
        }
    }

    private HookSettings hookSettings() {
        HookSettings h = HookSettings.defaults();
        h = h.withAttempts(hookAttempts, h.attemptTimeout());
        return hookSecret == null || hookSecret.isBlank() ? h : h.withSecret(hookSecret);
    }
}
