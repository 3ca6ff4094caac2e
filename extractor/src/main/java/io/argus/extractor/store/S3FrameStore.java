package io.argus.extractor.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A frame store in an S3 bucket, on Amazon S3 or any S3-compatible server (MinIO, Ceph RGW,
 * Garage, SeaweedFS, s3proxy…), so that the stages of one deployment can run on different
 * machines. A key {@code k} is stored as the object {@code PREFIX/k} and named by the URI
 * {@code s3://BUCKET/PREFIX/k}, which is what {@link #put} returns and {@link #get} accepts.
 *
 * <p>Client: the AWS SDK for Java v2 ({@code software.amazon.awssdk:s3}) on the JDK's
 * {@code HttpURLConnection} ({@code url-connection-client}). It is the reference S3 client, kept
 * in step with S3 itself, works with any S3-compatible server through an endpoint override and
 * path-style addressing, and reads credentials from the standard AWS chain. With its Apache and
 * Netty HTTP clients left out it adds about 8 MB of its own jars and two small ones
 * (reactive-streams, eventstream), with its JSON parser shaded; MinIO's client would bring Guava,
 * OkHttp with the Kotlin runtime, Bouncy Castle and a newer Jackson than Argus pins.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>{@link #put} overwrites (S3 PUT replaces an object whole: a reader sees the old or the new
 *       bytes, never a part), so a retried put is harmless.</li>
 *   <li>{@link #get} of a missing object throws {@link NoSuchFileException}, as
 *       {@link LocalFrameStore} does; a {@code file:} URI, another bucket or a key outside the
 *       prefix is refused with {@link IllegalArgumentException} before any request.</li>
 *   <li>{@link #deletePrefix} lists {@code PREFIX/prefix/} page by page and deletes each page with
 *       one DeleteObjects request of up to 1000 keys. The SDK protects that request with a CRC32
 *       checksum header where some S3-compatible servers want {@code Content-MD5} (older MinIO
 *       releases answer 400 MissingContentMD5; s3proxy answers 501 NotImplemented unless started
 *       with {@code s3proxy.ignore-unknown-headers=true}): on such a refusal the store logs one
 *       warning and from then on deletes one object per DeleteObject request.</li>
 *   <li>Keys are checked with {@link StoreKeys#check} before any request.</li>
 *   <li>Timeouts: {@link S3StoreConfig#connectTimeout} for a TCP connect,
 *       {@link S3StoreConfig#requestTimeout} for one attempt and a socket read; the SDK's standard
 *       retries (3 attempts, backoff) on throttling, 5xx and I/O errors; a call with its retries is
 *       limited to three request timeouts.</li>
 *   <li>Checksums are sent and checked only where S3 requires them (DeleteObjects, above), so
 *       that puts and gets work with servers that do not know the newer flexible checksums; the
 *       request payload is still signed (SigV4) over plain HTTP.</li>
 *   <li>Every failure of a request becomes an {@link IOException} whose message names the object
 *       URI or prefix and carries the server's error code.</li>
 *   <li>Permissions: {@code s3:GetObject}, {@code s3:PutObject}, {@code s3:DeleteObject} and
 *       {@code s3:ListBucket} on the bucket. Without {@code s3:ListBucket} Amazon S3 answers a
 *       read of a missing object with 403 rather than 404, so {@link #get} cannot tell it from a
 *       refusal (an {@link IOException}, not a {@link NoSuchFileException}).</li>
 * </ul>
 * Thread-safe. {@link #close} closes the HTTP client.
 */
public final class S3FrameStore implements FrameStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3FrameStore.class);

    /** Most keys in one DeleteObjects request (the S3 limit) and in one listing page. */
    public static final int DELETE_BATCH = 1000;

    private final S3StoreConfig config;
    private final AwsCredentialsProvider credentials;
    private final S3Client s3;
    private final String root;
    private final int batch;
    private final AtomicBoolean batchDeletes = new AtomicBoolean(true);

    /**
     * Builds the client; makes no request (see {@link #checkBucket}).
     *
     * @param config bucket, prefix, endpoint, region, credentials and timeouts
     */
    public S3FrameStore(S3StoreConfig config) {
        this(config, DELETE_BATCH);
    }

    /**
     * @param config bucket, prefix, endpoint, region, credentials and timeouts
     * @param batch  keys per listing page and DeleteObjects request, 1 to {@value #DELETE_BATCH}
     */
    S3FrameStore(S3StoreConfig config, int batch) {
        if (batch < 1 || batch > DELETE_BATCH) {
            throw new IllegalArgumentException("delete batch must be 1 to " + DELETE_BATCH + ": " + batch);
        }
        this.config = config;
        this.batch = batch;
        this.root = "s3://" + config.bucket() + "/" + (config.prefix().isEmpty() ? "" : config.prefix() + "/");
        this.credentials = config.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        this.s3 = client(config, credentials);
    }

    private static S3Client client(S3StoreConfig config, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .socketTimeout(config.requestTimeout()))
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(config.requestTimeout())
                        .apiCallTimeout(config.requestTimeout().multipliedBy(3)));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    /** @return the configuration this store was built with */
    public S3StoreConfig config() {
        return config;
    }

    /**
     * Checks that the bucket exists and the credentials may use it (one HeadBucket request), so
     * that a misconfigured deployment fails at start rather than at its first frame.
     *
     * @throws IOException naming the bucket and endpoint when the bucket is missing, access is
     *                     denied, the server cannot be reached or no credentials are found
     */
    public void checkBucket() throws IOException {
        String where = "S3 bucket '" + config.bucket() + "'"
                + (config.endpoint() == null ? "" : " at " + config.endpoint());
        try {
            s3.headBucket(r -> r.bucket(config.bucket()));
        } catch (NoSuchBucketException e) {
            throw new IOException(where + " does not exist (create it first)", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new IOException(where + " does not exist (create it first)", e);
            }
            if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw new IOException("access to " + where + " denied (HTTP " + e.statusCode()
                        + "): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
            }
            throw new IOException("cannot use " + where + ": " + describe(e), e);
        } catch (SdkException e) {
            throw new IOException("cannot use " + where + ": " + describe(e), e);
        }
    }

    /**
     * @param key  relative key (see {@link StoreKeys})
     * @param data bytes to store; replaces an existing object
     * @return {@code s3://BUCKET/PREFIX/key}
     * @throws IllegalArgumentException for a key {@link StoreKeys#check} refuses (no request made)
     * @throws IOException              naming the URI when the request fails (after retries)
     */
    @Override
    public URI put(String key, byte[] data) throws IOException {
        String objectKey = objectKey(StoreKeys.check(key));
        URI uri = URI.create(root + key);
        try {
            s3.putObject(r -> r.bucket(config.bucket()).key(objectKey).contentType(contentType(key)),
                    RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw new IOException("cannot store " + uri + ": " + describe(e), e);
        }
        return uri;
    }

    /**
     * Uploads the file with one streamed PUT (S3 takes up to 5 GB in one PUT) and deletes it.
     *
     * @param key  relative key (see {@link StoreKeys})
     * @param file the file to store; deleted afterwards, also when the upload fails
     * @return {@code s3://BUCKET/PREFIX/key}
     * @throws IllegalArgumentException for a key {@link StoreKeys#check} refuses (no request made,
     *                                  the file is left in place)
     * @throws IOException              naming the URI when the request fails (after retries)
     */
    @Override
    public URI moveIn(String key, java.nio.file.Path file) throws IOException {
        String objectKey = objectKey(StoreKeys.check(key));
        URI uri = URI.create(root + key);
        try {
            s3.putObject(r -> r.bucket(config.bucket()).key(objectKey).contentType(contentType(key)),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("cannot store " + uri + ": " + describe(e), e);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        return uri;
    }

    /**
     * Streams the object with one GET (errors as {@link #get}).
     *
     * @param uri {@code s3://BUCKET/PREFIX/key} as {@link #put} returned it
     * @return the object's bytes as they arrive; the caller closes the stream
     * @throws IllegalArgumentException as {@link #get}, before any request
     * @throws NoSuchFileException      when the object does not exist
     * @throws IOException              naming the URI when the request fails (after retries)
     */
    @Override
    public java.io.InputStream open(URI uri) throws IOException {
        String objectKey = objectKey(keyOf(uri));
        try {
            return s3.getObject(r -> r.bucket(config.bucket()).key(objectKey));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(uri.toString(), null, "no such object in the S3 frame store");
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
                throw new NoSuchFileException(uri.toString(), null, "no such object in the S3 frame store");
            }
            throw new IOException("cannot read " + uri + ": " + describe(e), e);
        } catch (SdkException e) {
            throw new IOException("cannot read " + uri + ": " + describe(e), e);
        }
    }

    /**
     * @param uri {@code s3://BUCKET/PREFIX/key} as {@link #put} returned it
     * @return the stored bytes
     * @throws IllegalArgumentException when the URI is not an {@code s3:} URI of this bucket and
     *                                  prefix with a valid key (no request made); a {@code file:}
     *                                  URI gets a message saying that every stage must use the
     *                                  same frame store
     * @throws NoSuchFileException      when the object does not exist (e.g. deleted)
     * @throws IOException              naming the URI when the request fails (after retries)
     */
    @Override
    public byte[] get(URI uri) throws IOException {
        String objectKey = objectKey(keyOf(uri));
        try {
            return s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(objectKey)).asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(uri.toString(), null, "no such object in the S3 frame store");
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
                throw new NoSuchFileException(uri.toString(), null, "no such object in the S3 frame store");
            }
            throw new IOException("cannot read " + uri + ": " + describe(e), e);
        } catch (SdkException e) {
            throw new IOException("cannot read " + uri + ": " + describe(e), e);
        }
    }

    /**
     * Deletes every object below {@code PREFIX/prefix/}: lists a page of up to
     * {@value #DELETE_BATCH} keys, deletes them in one DeleteObjects request, and goes on with the
     * next page (one DeleteObject per key on a server that refuses DeleteObjects, see the class
     * comment). An object named exactly {@code prefix}, or below a sibling such as
     * {@code prefix-2/}, stays.
     *
     * @param prefix relative key prefix, e.g. {@code extractions/<request>}
     * @return number of objects deleted
     * @throws IllegalArgumentException for a prefix {@link StoreKeys#check} refuses (no request made)
     * @throws IOException              naming the prefix and, for a refused deletion, the first key
     *                                  the server did not delete (objects of earlier pages are gone)
     */
    @Override
    public int deletePrefix(String prefix) throws IOException {
        String listPrefix = objectKey(StoreKeys.check(prefix)) + "/";
        String where = root + prefix + "/";
        int deleted = 0;
        String token = null;
        try {
            do {
                String continuation = token;
                ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(config.bucket()).prefix(listPrefix)
                        .maxKeys(batch).continuationToken(continuation));
                List<ObjectIdentifier> ids = new ArrayList<>(page.contents().size());
                for (S3Object o : page.contents()) {
                    if (!o.key().startsWith(listPrefix)) { // a server that ignores prefix must not cost us data
                        throw new IOException("S3 listing of " + where + " returned a key outside it: " + o.key());
                    }
                    ids.add(ObjectIdentifier.builder().key(o.key()).build());
                }
                for (int from = 0; from < ids.size(); from += batch) {
                    deleted += delete(ids.subList(from, Math.min(ids.size(), from + batch)), where);
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw new IOException("cannot delete " + where + " (at least " + deleted + " objects deleted): "
                    + describe(e), e);
        }
        return deleted;
    }

    private int delete(List<ObjectIdentifier> ids, String where) throws IOException {
        if (ids.isEmpty()) {
            return 0;
        }
        if (!batchDeletes.get()) {
            return deleteOneByOne(ids);
        }
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(r -> r.bucket(config.bucket())
                    .delete(Delete.builder().objects(ids).quiet(true).build()));
        } catch (S3Exception e) {
            if (!refusesChecksum(e)) {
                throw e;
            }
            if (batchDeletes.getAndSet(false)) {
                LOG.warn("S3 server at {} refuses DeleteObjects ({}): {} deletes one object per request from now on",
                        config.endpoint() == null ? "Amazon S3" : config.endpoint(), describe(e), this);
            }
            return deleteOneByOne(ids);
        }
        if (response.hasErrors() && !response.errors().isEmpty()) {
            S3Error first = response.errors().get(0);
            throw new IOException("cannot delete " + where + ": " + response.errors().size() + " of " + ids.size()
                    + " objects refused, first s3://" + config.bucket() + "/" + first.key() + ": " + first.code()
                    + " " + first.message());
        }
        return ids.size();
    }

    private int deleteOneByOne(List<ObjectIdentifier> ids) {
        for (ObjectIdentifier id : ids) {
            s3.deleteObject(r -> r.bucket(config.bucket()).key(id.key()));
        }
        return ids.size();
    }

    /**
     * @return true when the server refused a DeleteObjects request for its checksum: the SDK sends
     *         a CRC32 checksum ({@code x-amz-checksum-crc32}) where older S3-compatible servers
     *         want {@code Content-MD5} (HTTP 400) or do not know the header (HTTP 501)
     */
    private static boolean refusesChecksum(S3Exception e) {
        if (e.statusCode() == 501) {
            return true;
        }
        if (e.statusCode() != 400 || e.awsErrorDetails() == null) {
            return false;
        }
        String text = (e.awsErrorDetails().errorCode() + " " + e.awsErrorDetails().errorMessage())
                .toLowerCase(Locale.ROOT);
        return text.contains("md5") || text.contains("checksum");
    }

    /** @return false once the server refused DeleteObjects and deletes go one object at a time */
    boolean batchDeletes() {
        return batchDeletes.get();
    }

    /** Closes the S3 client, its HTTP connections and the credentials chain it built. */
    @Override
    public void close() {
        s3.close();
        if (credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
    }

    /** @return the root URI, {@code s3://BUCKET/PREFIX/} */
    @Override
    public String toString() {
        return "S3FrameStore[" + root + "]";
    }

    /**
     * @param uri a URI that should name an object of this store
     * @return its key relative to the prefix, valid by {@link StoreKeys#check}
     * @throws IllegalArgumentException when it does not
     */
    String keyOf(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("frame URI is null");
        }
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("a file: URI cannot be read from the S3 frame store " + root
                    + ": it was written by a local frame store; every Argus stage must use the same --frame-store ("
                    + S3StoreConfig.shown(uri.toString()) + ")");
        }
        if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            throw new IllegalArgumentException("not an S3 frame-store URI: " + S3StoreConfig.shown(uri.toString()));
        }
        if (!config.bucket().equals(uri.getRawAuthority())) {
            throw new IllegalArgumentException("URI of another bucket than " + root + ": " + S3StoreConfig.shown(uri.toString()));
        }
        String path = uri.getRawPath();
        String start = "/" + (config.prefix().isEmpty() ? "" : config.prefix() + "/");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || path == null || !path.startsWith(start)
                || !StoreKeys.validKey(path.substring(start.length()))) {
            throw new IllegalArgumentException("URI outside the frame store " + root + ": "
                    + S3StoreConfig.shown(uri.toString()));
        }
        return path.substring(start.length());
    }

    private String objectKey(String key) {
        return config.prefix().isEmpty() ? key : config.prefix() + "/" + key;
    }

    private static String contentType(String key) {
        if (key.endsWith(".jpg") || key.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (key.endsWith(".pgm")) {
            return "image/x-portable-graymap";
        }
        if (key.endsWith(".mp4")) {
            return "video/mp4";
        }
        return "application/octet-stream";
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            return "HTTP " + s.statusCode() + " " + s.awsErrorDetails().errorCode() + ": "
                    + s.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
