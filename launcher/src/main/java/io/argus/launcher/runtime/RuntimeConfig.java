package io.argus.launcher.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import java.time.Duration;
import java.util.Set;

import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.hooks.HookSettings;
import io.argus.edge.jobs.JobRetention;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.JwtVerifier;
import io.argus.edge.security.UrlSigner;
import io.argus.extractor.source.FileRoots;
import io.argus.schemas.net.UrlGuard;

/**
 * How to run Argus, or some of its stages, in one JVM.
 *
 * @param dataDir          root of local state: embedded broker logs ({@code kafka/}), frames
 *                         ({@code frames/}), Kafka Streams state ({@code streams/}), the embedded
 *                         schema registry snapshot ({@code registry.json})
 * @param bootstrapServers Kafka cluster to use; null or blank starts the embedded broker
 * @param registryUrl      Confluent-compatible schema registry; null or blank uses the in-memory
 *                         registry (only valid with the embedded broker or a single process)
 * @param partitions       partitions of the topics Argus creates
 * @param replication      replication factor of the topics Argus creates
 * @param ingestSlots      file and HTTP jobs decoded at once
 * @param liveSlots        live (RTMP/RTSP) jobs run at once
 * @param analyzerThreads  frames analysed at once
 * @param httpHost         address the HTTP edge binds
 * @param httpPort         HTTP port; 0 picks a free port, -1 runs no HTTP edge
 * @param instanceId       stable id of this process (transactional ids, static membership)
 * @param hooks            hook delivery: signing secret, retries, concurrency
 * @param extractionRetention how long frame and flow extractions are kept before the sweep deletes them
 * @param stages           the stages this process runs ({@link Stage#all()} by default); a subset
 *                         needs an external cluster ({@code bootstrapServers})
 * @param security         API keys of the HTTP edge and the SSRF allow-list of source and hook URLs
 *                         (an allow-list left null becomes {@link #defaultUrlAllow} of {@code httpHost})
 * @param frameStore       where frames and extractions go: null or blank for {@code <dataDir>/frames},
 *                         else a location for {@link io.argus.extractor.store.FrameStores#open(String)}
 *                         ({@code s3://bucket/prefix?endpoint=…}); every stage must use the same
 * @param metricsPort      port of {@code GET /metrics} in a process without the edge stage (0 any,
 *                         -1 none); with the edge, {@code /metrics} is on the HTTP port
 * @param jobRetention     how long a job that ended keeps its stored frames and its status
 *                         ({@link io.argus.edge.jobs.JobRetention}); null means the default, 7 days
 */
public record RuntimeConfig(Path dataDir, String bootstrapServers, String registryUrl, int partitions,
                            short replication, int ingestSlots, int liveSlots, int analyzerThreads, String httpHost,
                            int httpPort, String instanceId, HookSettings hooks,
                            Duration extractionRetention, Set<Stage> stages, Security security, String frameStore,
                            int metricsPort, Duration jobRetention) {

    /** No {@code --metrics-port}; see the record description for the parameters. */
    public RuntimeConfig(Path dataDir, String bootstrapServers, String registryUrl, int partitions,
                         short replication, int ingestSlots, int liveSlots, int analyzerThreads, String httpHost,
                         int httpPort, String instanceId, HookSettings hooks, Duration extractionRetention,
                         Set<Stage> stages, Security security, String frameStore) {
        this(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots, liveSlots, analyzerThreads,
                httpHost, httpPort, instanceId, hooks, extractionRetention, stages, security, frameStore, -1, null);
    }

    /**
     * @param urls           which network addresses sources and hooks may reach ({@link UrlGuard});
     *                       null: the default of the HTTP bind address ({@link #defaultUrlAllow})
     * @param keys           API keys the HTTP edge accepts ({@link ApiKeys#open()}: none needed)
     * @param registryKey    API key sent to the schema registry as a Bearer token, or null
     * @param files          directories local sources may be read from ({@link FileRoots#any()}: any)
     * @param allowAnonymous serve the API without keys on an address other machines can reach
     *                       ({@code --allow-anonymous}); otherwise that refuses to start
     *                       ({@link #checkExposure})
     * @param jwt            verifies {@code Authorization: Bearer <JWT>} ({@code --jwt-secret-file},
     *                       {@code --jwt-jwks-file}), or null to accept API keys only
     * @param urlSigner      signs and checks the media API's signed URLs
     *                       ({@code --url-signing-secret-file}); null: a secret generated once in
     *                       {@code <dataDir>/url-signing.key}
     */
    public record Security(UrlGuard urls, ApiKeys keys, String registryKey, FileRoots files, boolean allowAnonymous,
                           JwtVerifier jwt, UrlSigner urlSigner) {

        /**
         * Without JWT nor a configured URL signing secret.
         *
         * @param urls           which network addresses sources and hooks may reach, or null
         * @param keys           API keys the HTTP edge accepts
         * @param registryKey    API key sent to the schema registry, or null
         * @param files          directories local sources may be read from
         * @param allowAnonymous serve the API without keys on a non-loopback address
         */
        public Security(UrlGuard urls, ApiKeys keys, String registryKey, FileRoots files, boolean allowAnonymous) {
            this(urls, keys, registryKey, files, allowAnonymous, null, null);
        }

        /**
         * Without {@code --allow-anonymous}.
         *
         * @param urls        which network addresses sources and hooks may reach, or null
         * @param keys        API keys the HTTP edge accepts
         * @param registryKey API key sent to the schema registry, or null
         * @param files       directories local sources may be read from
         */
        public Security(UrlGuard urls, ApiKeys keys, String registryKey, FileRoots files) {
            this(urls, keys, registryKey, files, false);
        }

        /**
         * @param urls        which network addresses sources and hooks may reach
         * @param keys        API keys the HTTP edge accepts
         * @param registryKey API key sent to the schema registry, or null
         */
        public Security(UrlGuard urls, ApiKeys keys, String registryKey) {
            this(urls, keys, registryKey, FileRoots.any());
        }

        /**
         * @return the one-machine default: no API keys; URLs may reach public addresses and
         *         loopback; any readable local file
         */
        public static Security defaults() {
            return new Security(UrlGuard.defaults(), ApiKeys.open(), null, FileRoots.any());
        }

        /**
         * @param allow whether the API may be served without keys on a non-loopback address
         * @return this security with that choice
         */
        public Security withAllowAnonymous(boolean allow) {
            return new Security(urls, keys, registryKey, files, allow, jwt, urlSigner);
        }

        /**
         * @param verifier  JWT verification, or null for none
         * @param signer    the URL signer, or null for a secret generated in the data directory
         * @return this security with those
         */
        public Security withTokens(JwtVerifier verifier, UrlSigner signer) {
            return new Security(urls, keys, registryKey, files, allowAnonymous, verifier, signer);
        }

        /** @return true when no API key and no JWT verifier is configured: the API is open */
        public boolean open() {
            return keys.isOpen() && jwt == null;
        }

        /** @return a description without secrets */
        @Override
        public String toString() {
            return "Security[urls=" + urls + ", files=" + files + ", keys=" + (keys.isOpen() ? "open" : "required")
                    + ", registryKey=" + (registryKey == null ? "none" : "set")
                    + (jwt == null ? "" : ", jwt=" + jwt) + (urlSigner == null ? "" : ", urlSigner=set")
                    + (allowAnonymous ? ", allowAnonymous" : "") + "]";
        }
    }

    /**
     * Whether an HTTP bind address is reachable from this machine only: a loopback address
     * ({@code 127.0.0.0/8}, {@code ::1}) or a name resolving to one ({@code localhost}). The
     * wildcard ({@code 0.0.0.0}, {@code ::}), any other address and a name that does not resolve
     * are not.
     *
     * @param host the bind address or name
     * @return true for loopback only
     */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host.strip())) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The URL allow-list used when none is set ({@code --url-allow}, {@value UrlGuard#ENV}):
     * {@value UrlGuard#DEFAULT_ALLOW} while the HTTP server binds a loopback address (a local test
     * or RTMP server keeps working for the machine's own user), empty otherwise (callers from the
     * network must not reach this machine's loopback services through Argus).
     *
     * @param httpHost the HTTP bind address
     * @return the allow-list text for {@link UrlGuard#of}
     */
    public static String defaultUrlAllow(String httpHost) {
        return isLoopback(httpHost) ? UrlGuard.DEFAULT_ALLOW : "";
    }

    /**
     * Refuses to serve the HTTP API without API keys on an address other machines can reach,
     * unless {@link Security#allowAnonymous()} says so (as Elasticsearch 8 refuses to start
     * without security on a non-loopback address).
     *
     * @throws IllegalArgumentException when this process runs the edge on a non-loopback address
     *                                  ({@link #isLoopback}) without API keys and without
     *                                  {@code --allow-anonymous}; the message says why and what to do
     */
    public void checkExposure() {
        if (!runs(Stage.EDGE) || httpPort < 0 || !security.open() || security.allowAnonymous()
                || isLoopback(httpHost)) {
            return;
        }
        throw new IllegalArgumentException("refusing to serve the HTTP API on " + httpHost
                + " without API keys: anyone who can reach that address could submit jobs, read every job and make "
                + "Argus fetch URLs. Set API keys (ARGUS_API_KEYS or --api-keys-file), bind 127.0.0.1 (--host), "
                + "or accept an open API with --allow-anonymous (ARGUS_ALLOW_ANONYMOUS=true)");
    }

    /**
     * @throws IllegalArgumentException when only some stages run on the embedded broker (the other
     *         stages could never reach it)
     */
    public RuntimeConfig {
        security = security == null ? Security.defaults() : security;
        jobRetention = jobRetention == null ? JobRetention.DEFAULT_RETENTION : jobRetention;
        if (security.urls() == null) {
            security = new Security(UrlGuard.of(defaultUrlAllow(httpHost)), security.keys(), security.registryKey(),
                    security.files(), security.allowAnonymous(), security.jwt(), security.urlSigner());
        }
        stages = stages == null || stages.isEmpty() ? Stage.all() : Set.copyOf(stages);
        if (!stages.containsAll(Stage.all()) && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new IllegalArgumentException("running only some stages (" + stages
                    + ") needs a Kafka cluster: set --bootstrap-servers");
        }
    }

    /** Every stage in this process; see the record description for the parameters. */
    public RuntimeConfig(Path dataDir, String bootstrapServers, String registryUrl, int partitions,
                         short replication, int ingestSlots, int liveSlots, int analyzerThreads, String httpHost,
                         int httpPort, String instanceId, HookSettings hooks, Duration extractionRetention) {
        this(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots, liveSlots, analyzerThreads,
                httpHost, httpPort, instanceId, hooks, extractionRetention, Stage.all(), Security.defaults(), null);
    }

    /** Default security; see the record description for the parameters. */
    public RuntimeConfig(Path dataDir, String bootstrapServers, String registryUrl, int partitions,
                         short replication, int ingestSlots, int liveSlots, int analyzerThreads, String httpHost,
                         int httpPort, String instanceId, HookSettings hooks, Duration extractionRetention,
                         Set<Stage> stages) {
        this(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots, liveSlots, analyzerThreads,
                httpHost, httpPort, instanceId, hooks, extractionRetention, stages, Security.defaults(), null);
    }

    /**
     * Defaults for one machine: embedded broker and registry, 4 partitions, one analyzer thread
     * per core, 2 file job slots, 16 live job slots, HTTP on 127.0.0.1.
     *
     * @param dataDir  data directory
     * @param httpPort HTTP port, 0 for any, -1 for none
     * @return the config
     */
    public static RuntimeConfig embedded(Path dataDir, int httpPort) {
        return new RuntimeConfig(dataDir, null, null, 4, (short) 1, 2, 16,
                Runtime.getRuntime().availableProcessors(), "127.0.0.1", httpPort, "0", HookSettings.defaults(),
                ExtractionRetention.DEFAULT_RETENTION);
    }

    /**
     * @param settings hook delivery settings
     * @return this configuration with other hook settings
     */
    public RuntimeConfig withHooks(HookSettings settings) {
        return new RuntimeConfig(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots,
                liveSlots, analyzerThreads, httpHost, httpPort, instanceId, settings, extractionRetention, stages,
                security, frameStore, metricsPort, jobRetention);
    }

    /**
     * @param retention how long a job that ended keeps its frames and status
     * @return this configuration with that job retention
     */
    public RuntimeConfig withJobRetention(Duration retention) {
        return new RuntimeConfig(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots,
                liveSlots, analyzerThreads, httpHost, httpPort, instanceId, hooks, extractionRetention, stages,
                security, frameStore, metricsPort, retention);
    }

    /**
     * @param allow whether the API may be served without keys on a non-loopback address
     *              ({@code --allow-anonymous}, {@link #checkExposure})
     * @return this configuration with that choice
     */
    public RuntimeConfig withAllowAnonymous(boolean allow) {
        return new RuntimeConfig(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots,
                liveSlots, analyzerThreads, httpHost, httpPort, instanceId, hooks, extractionRetention, stages,
                security.withAllowAnonymous(allow), frameStore, metricsPort, jobRetention);
    }

    /**
     * @param port port of {@code GET /metrics} without the edge stage (0 any, -1 none)
     * @return this configuration with that metrics port
     */
    public RuntimeConfig withMetricsPort(int port) {
        return new RuntimeConfig(dataDir, bootstrapServers, registryUrl, partitions, replication, ingestSlots,
                liveSlots, analyzerThreads, httpHost, httpPort, instanceId, hooks, extractionRetention, stages,
                security, frameStore, port, jobRetention);
    }

    /**
     * @param stage a stage
     * @return true when this process runs it
     */
    public boolean runs(Stage stage) {
        return stages.contains(stage);
    }

    /** @return true when no external cluster is configured */
    public boolean embeddedKafka() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }
}
