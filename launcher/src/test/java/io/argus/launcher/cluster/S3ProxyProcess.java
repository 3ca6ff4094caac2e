package io.argus.launcher.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.argus.testkit.servers.ExternalProcess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server in its own JVM: s3proxy's self-contained jar (copied to
 * {@code target/it/s3proxy.jar} by the pre-integration-test phase) over the jclouds filesystem
 * blob store in the test's directory, checking AWS signatures against {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 */
final class S3ProxyProcess implements AutoCloseable {

    static final String ACCESS_KEY = "argus-it-access";
    static final String SECRET_KEY = "argus-it-secret-0123456789";

    private final ExternalProcess process;
    private final URI endpoint;

    private S3ProxyProcess(ExternalProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * @param dir     where its configuration and log go
     * @param buckets buckets to create
     * @return the running server
     */
    static S3ProxyProcess start(Path dir, String... buckets) throws Exception {
        Path jar = Path.of("target", "it", "s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        int port = ExternalProcess.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path conf = Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // the AWS SDK's CRC32 checksum header on DeleteObjects
                "s3proxy.ignore-unknown-headers=true",
                // on disk: the cluster test stores thousands of frames and flow fields
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + Files.createDirectories(dir.resolve("s3-data")),
                "jclouds.identity=unused",
                "jclouds.credential=unused", ""));
        ExternalProcess p = ExternalProcess.start("s3proxy", dir.resolve("s3proxy.log"),
                List.of(KafkaCluster.java(), "-Xmx512m", "-jar", jar.toString(), "--properties", conf.toString()));
        ExternalProcess.awaitPort(port, Duration.ofSeconds(60), p);
        S3ProxyProcess server = new S3ProxyProcess(p, endpoint);
        try (S3Client client = server.client()) {
            for (String b : buckets) {
                client.createBucket(r -> r.bucket(b));
            }
        }
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    /** @return JVM options that give a stage process the server's credentials (AWS default chain) */
    static List<String> credentialOptions() {
        return List.of("-Daws.accessKeyId=" + ACCESS_KEY, "-Daws.secretAccessKey=" + SECRET_KEY);
    }

    private S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() throws IOException {
        process.close();
    }
}
