package io.argus.extractor.store;

import java.net.URI;
import java.time.Duration;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (s3proxy over the jclouds in-memory blob store) on a free loopback port, checking
 * AWS signatures against {@link #ACCESS_KEY}/{@link #SECRET_KEY}, plus a plain SDK client to look
 * at the bucket independently of the store under test.
 */
final class S3TestServer implements AutoCloseable {

    static final String ACCESS_KEY = "argus-test-access";
    static final String SECRET_KEY = "argus-test-secret-0123456789";

    private final BlobStoreContext blobs = ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential").build(BlobStoreContext.class);
    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    /** A server with s3proxy's defaults, which refuse request headers it does not know. */
    S3TestServer() throws Exception {
        this(false);
    }

    /**
     * @param ignoreUnknownHeaders whether the server ignores request headers it does not know, such
     *                             as the CRC32 checksum header the SDK puts on DeleteObjects
     */
    S3TestServer(boolean ignoreUnknownHeaders) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(ignoreUnknownHeaders)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** @return an SDK client of the server, independent of the store under test */
    S3Client client() {
        return client;
    }

    void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    /** @return a store configuration of this server with the right credentials */
    S3StoreConfig config(String bucket, String prefix) {
        return S3StoreConfig.of(bucket, prefix, endpoint).withCredentials(ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
        blobs.close();
    }
}
