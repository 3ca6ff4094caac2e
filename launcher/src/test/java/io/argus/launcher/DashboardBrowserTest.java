package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.hooks.HookSettings;
import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.security.ApiKeys;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import io.argus.extractor.samples.SampleVideos;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;
import io.argus.launcher.support.DefaultModels;
import io.argus.schemas.net.UrlGuard;

/**
 * The web dashboard in a real headless browser (Debian's {@code chromium} driven through its
 * {@code chromedriver} by Selenium), against the one-JVM runtime on the embedded broker with an API
 * key and the default models: log in with the key, start a job from the form by uploading
 * {@code vtest.avi} (OpenCV's sample: 79.5 s of pedestrians on a campus path, 768×576) with a counting
 * line across the path, see it finish in the list, see the
 * chart's points equal the traffic API's numbers, watch the live view's frame change through
 * Server-Sent Events, draw a line on the frame and see the recount equal the API's, see the job's
 * segments on a timeline and a cut's frame (and, in the live view, each op's last closed segment), upload
 * {@code eval/clips/toll-booth-plates.mp4} from the files view with the {@code plate} op and see the
 * player wait (202) while it is analysed and rendered, then play its video with boxes from a signed
 * URL, see a file without analysis answered as such (409), search plate {@code 34A36837} by text and
 * open the result at its time in the player, start a live RTMP job from a source URI (the local RTMP
 * server of argus-testkit, nginx, fed by ffmpeg), watch its frame and current segment change and kill
 * it from the list, read the health view, and check that every control has a label and that the
 * keyboard reaches the controls in order.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (or
 * {@code -Dargus.chromium=} and {@code -Dargus.chromedriver=}); without them the test fails
 * unless {@code ARGUS_SKIP_BROWSER=1} is set, which skips it. A failing step saves a screenshot
 * under {@code target/dashboard-screenshots/}. With {@code -Dargus.dashboard.screenshots=<dir>}
 * the main views are also saved there (the README's pictures in {@code docs/screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DashboardBrowserTest.ScreenshotOnFailure.class)
class DashboardBrowserTest {

    static final String KEY = "k-dashboard-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Path clip;
    static Path loop;
    static RtmpTestServer rtmp;
    static final Duration JOB_WAIT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static ChromeDriver driver;
    static String jobId;
    /** eval/clips/toll-booth-plates.mp4: 8 s, 1280×720, H.264; plates 34A36837 (0-2.25 s) and 34A23126. */
    static Path plates;
    static String plateFile;
    static String plateJob;

    @BeforeAll
    static void start() throws Exception {
        if ("1".equals(System.getenv("ARGUS_SKIP_BROWSER"))) {
            org.junit.jupiter.api.Assumptions.abort("ARGUS_SKIP_BROWSER=1: the browser test is skipped");
        }
        Path chromium = Path.of(System.getProperty("argus.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("argus.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            fail("the dashboard's browser test needs " + chromium + " and " + chromedriver
                    + " (apt-get install chromium chromium-driver), or ARGUS_SKIP_BROWSER=1 to skip it");
        }
        clip = SampleVideos.ensure("vtest.avi");
        plates = Path.of("..", "eval", "clips", "toll-booth-plates.mp4").toAbsolutePath().normalize();
        loop = SampleVideos.h264Loop("vtest.avi", 20, 10);
        rtmp = RtmpTestServer.start(dir.resolve("rtmp"));
        DefaultModels.linkInto(dir.resolve("data"));
        RuntimeConfig defaults = RuntimeConfig.embedded(dir.resolve("data"), 0);
        RuntimeConfig config = new RuntimeConfig(defaults.dataDir(), null, null, defaults.partitions(),
                defaults.replication(), defaults.ingestSlots(), defaults.liveSlots(), defaults.analyzerThreads(),
                defaults.httpHost(), 0, defaults.instanceId(), HookSettings.defaults(),
                ExtractionRetention.DEFAULT_RETENTION, Stage.all(),
                new RuntimeConfig.Security(UrlGuard.defaults(), ApiKeys.of(List.of(KEY)), null), null);
        rt = ArgusRuntime.start(config);
        base = "http://127.0.0.1:" + rt.httpPort();

        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("chromium"));
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (rt != null) {
            rt.close();
        }
        if (rtmp != null) {
            rtmp.close();
        }
    }

    // --- the page and the key ---------------------------------------------------------------------

    @Test
    @Order(1)
    void thePageIsServedWithoutAKeyAndTheDataIsNot() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        HttpResponse<String> js = get("/dashboard/app.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/app.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/dashboard/secret.txt", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/dashboard/jobs", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/dashboard/jobs", KEY).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aWrongKeyIsRefusedAndTheRightOneLogsIn() {
        driver.get(base + "/");
        Waiting wait = waiting(Duration.ofSeconds(10));
        wait.until(d -> d.findElement(By.id("api-key")).isDisplayed());
        login("k-not-the-right-key-0000");
        wait.until(d -> text("status").contains("not accepted"));
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();

        login(KEY);
        wait.until(d -> d.findElement(By.id("nav")).isDisplayed());
        wait.until(d -> d.findElement(By.id("op-detection")).isSelected());
        assertThat(js("return sessionStorage.getItem('argus.apiKey')")).isEqualTo(KEY);
    }

    // --- files: upload, and the player's states ----------------------------------------------------------

    @Test
    @Order(3)
    void filesUploadedFromTheFilesViewAreListedAndThePlayerShowsWhyItWaits() throws Exception {
        click(By.id("tab-files"));
        // the plate clip, analysed by the plate op (tracked): its boxes and its plates come later
        plateFile = upload(plates, "plate", "0.2");
        // the same clip without analysis: there are no boxes to show
        String bare = upload(plates, "none", "0.2");
        JsonNode listed = JSON.readTree(get("/api/v1/files", KEY).body());
        assertThat(listed.path("files").findValuesAsText("file_uuid")).contains(plateFile, bare);
        plateJob = JSON.readTree(get("/api/v1/file/" + plateFile, KEY).body()).path("job").asText();
        assertThat(plateJob).isNotBlank();
        By row = By.cssSelector("#files-table tr[data-file='" + plateFile + "']");
        assertThat(driver.findElement(row).findElement(By.cssSelector("td.source")).getText())
                .isEqualTo("toll-booth-plates.mp4");

        // while the job runs the edge answers 202 with Retry-After: the player says so and waits
        click(By.cssSelector("#files-table tr[data-file='" + plateFile + "'] button[aria-label$='with its boxes']"));
        waiting(Duration.ofSeconds(20)).until(d -> List.of("analysing", "rendering")
                .contains(d.findElement(By.id("player-state")).getAttribute("data-state")));
        assertThat(text("player-state")).contains("asking again in");
        assertThat(driver.findElement(By.id("player")).isDisplayed()).isFalse();
        // 409 for a file without analysis: shown, and the plain video is offered
        click(By.cssSelector("#files-table tr[data-file='" + bare + "'] button[aria-label$='with its boxes']"));
        waiting(Duration.ofSeconds(20)).until(d -> "no-analysis".equals(
                d.findElement(By.id("player-state")).getAttribute("data-state")));
        assertThat(text("player-state")).contains("no analysis").contains("without boxes");
        click(By.cssSelector("#files-table tr[data-file='" + bare + "'] button[aria-label$='without boxes']"));
        waiting(Duration.ofSeconds(20)).until(d -> ((Number) js("return document.getElementById('player').readyState"))
                .intValue() >= 1);
        assertThat(driver.findElement(By.id("player")).getAttribute("src")).contains("/api/v1/file/" + bare
                + "/video?expires=").doesNotContain(KEY);
    }

    /** Uploads a file from the files view; returns its file_uuid. */
    static String upload(Path file, String ops, String interval) {
        driver.findElement(By.id("file-video")).sendKeys(file.toString());
        driver.findElement(By.id("file-ops")).sendKeys(ops);
        WebElement seconds = driver.findElement(By.id("file-interval"));
        seconds.clear();
        seconds.sendKeys(interval);
        String before = text("status");
        driver.findElement(By.id("file-upload")).click();
        waiting(Duration.ofSeconds(60)).until(d -> !text("status").equals(before)
                && text("status").matches("File \\S+ uploaded as [0-9a-f]{32}.*"));
        String uuid = text("status").replaceAll("^File \\S+ uploaded as ([0-9a-f]{32}).*$", "$1");
        waiting(Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.cssSelector("#files-table tr[data-file='" + uuid + "']")).isEmpty());
        return uuid;
    }

    // --- jobs ---------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void aFileJobStartedFromTheFormFinishesInTheList() {
        click(By.id("tab-jobs"));
        driver.findElement(By.id("job-file")).sendKeys(clip.toString());
        WebElement interval = driver.findElement(By.id("job-interval"));
        interval.clear();
        interval.sendKeys("10000");
        driver.findElement(By.id("job-line-y")).sendKeys("0.55");
        driver.findElement(By.id("job-start")).click();
        waiting(Duration.ofSeconds(60)).until(d -> text("status").matches("Job \\S+ started\\."));
        jobId = text("status").replaceAll("^Job (\\S+) started\\.$", "$1");
        assertThat(jobId).isNotBlank();
        By row = By.cssSelector("#jobs-table tr[data-job='" + jobId + "']");
        waiting(JOB_WAIT).until(d -> !d.findElements(row).isEmpty()
                && "FINISHED".equals(d.findElement(row).getAttribute("data-status")));
        WebElement r = driver.findElement(row);
        assertThat(r.findElement(By.cssSelector("td.status")).getText()).isEqualTo("FINISHED");
        assertThat(r.findElement(By.cssSelector("td.source")).getText()).isNotBlank();
        assertThat(r.getText()).contains("detection + tracking");
        assertThat(r.findElements(By.cssSelector("button[aria-label='Kill job " + jobId + "']"))).isEmpty();
        saveView("jobs");
    }

    @Test
    @Order(5)
    void theChartPointsAreTheApiNumbers() throws Exception {
        click(By.cssSelector("button[aria-label='Counts of job " + jobId + "']"));
        waiting(Duration.ofSeconds(120)).until(d -> !d.findElements(By.cssSelector("#chart-passes circle")).isEmpty());
        JsonNode api = JSON.readTree(get("/v1/traffic/jobs/" + jobId, KEY).body());
        assertThat(api.path("pedestrians_per_interval").size()).isGreaterThan(1);
        // the clip's pedestrians are seen and cross the line: the chart has something to show
        assertThat(numbers(api.path("pedestrian_counts")).stream().mapToDouble(Double::doubleValue).sum())
                .as(api.toString()).isPositive();
        assertThat(numbers(api.path("pedestrians_per_interval")).stream().mapToDouble(Double::doubleValue).sum())
                .as(api.toString()).isPositive();
        assertThat(points("chart-passes", "Pedestrians")).isEqualTo(numbers(api.path("pedestrians_per_interval")));
        assertThat(points("chart-passes", "Vehicles")).isEqualTo(numbers(api.path("vehicles_per_interval")));
        assertThat(points("chart-inview", "People")).isEqualTo(numbers(api.path("pedestrian_counts")));
        assertThat(points("chart-inview", "Vehicles")).isEqualTo(numbers(api.path("vehicle_counts")));
        assertThat(driver.findElements(By.cssSelector("#counts-table tbody tr")))
                .hasSize(api.path("pedestrians_per_interval").size());
        saveView("counts");
    }

    // --- live view and recount ----------------------------------------------------------------------

    @Test
    @Order(6)
    void theLiveFrameChangesThroughServerSentEvents() throws Exception {
        JsonNode api = JSON.readTree(get("/v1/traffic/jobs/" + jobId, KEY).body());
        int tracked = api.path("frames").asInt();
        assertThat(tracked).isGreaterThan(1);
        driver.findElement(By.id("tab-jobs")).click();
        By live = By.cssSelector("button[aria-label='Watch job " + jobId + " live']");
        // record every frame the page shows, as it shows it
        click(live);
        js("window.__seen = []; new MutationObserver(() => window.__seen.push(document.getElementById('live-frame')"
                + ".dataset.seq)).observe(document.getElementById('live-frame'), {attributes: true, "
                + "attributeFilter: ['src']});");
        waiting(Duration.ofSeconds(180)).until(d -> text("live-state").startsWith("ended"));
        assertThat(driver.findElement(By.id("live-frame")).getAttribute("data-frames"))
                .isEqualTo(String.valueOf(tracked));
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) js("return window.__seen");
        assertThat(seen).as("frames shown one after another").hasSizeGreaterThan(1);
        assertThat(driver.findElement(By.id("live-frame")).getAttribute("src")).startsWith("data:image/jpeg;base64,");
        assertThat(text("live-state")).isEqualTo("ended (FINISHED)");
        assertThat(text("live-people")).matches("\\d+");
        // the segments came through the stream too: each op's last closed one is the job's last segment
        JsonNode result = JSON.readTree(get("/v1/jobs/video/" + jobId, KEY).body()).path("result");
        assertThat(result.size()).isPositive();
        result.fields().forEachRemaining(op -> {
            JsonNode segs = op.getValue().path("segments");
            WebElement row = driver.findElement(By.cssSelector("#live-segments tr[data-op='" + op.getKey() + "']"));
            assertThat(row.getAttribute("data-closed-index")).isEqualTo(String.valueOf(segs.size() - 1));
            JsonNode last = segs.get(segs.size() - 1);
            assertThat(row.findElement(By.cssSelector("td.closed")).getText()).endsWith(String.format(
                    java.util.Locale.ROOT, "%.1f s to %.1f s (segment %d)", last.path("offset_begin").asLong() / 1000.0,
                    last.path("offset_end").asLong() / 1000.0, segs.size()));
        });
        // the stream opened with a token: no request of the page carries the key
        @SuppressWarnings("unchecked")
        List<Object> urls = (List<Object>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(urls).anySatisfy(u -> assertThat(u.toString()).contains("/events?token="));
        assertThat(urls).noneSatisfy(u -> assertThat(u.toString()).contains(KEY));
        saveView("live");
    }

    @Test
    @Order(7)
    void aLineDrawnOnTheFrameIsRecounted() throws Exception {
        WebElement frame = driver.findElement(By.id("live-frame"));
        Dimension size = frame.getSize();
        // two clicks across the frame, a third of the way down (offsets from the centre)
        new Actions(driver).moveToElement(frame, -size.width / 2 + 2, -size.height / 6).click()
                .moveToElement(frame, size.width / 2 - 2, -size.height / 6).click().perform();
        double x1 = Double.parseDouble(value("line-x1"));
        double y1 = Double.parseDouble(value("line-y1"));
        double x2 = Double.parseDouble(value("line-x2"));
        double y2 = Double.parseDouble(value("line-y2"));
        assertThat(x1).isLessThan(0.05);
        assertThat(x2).isGreaterThan(0.95);
        assertThat(y1).isBetween(0.28, 0.38);
        assertThat(driver.findElement(By.id("drawn-line")).getAttribute("x2")).isEqualTo(value("line-x2"));
        driver.findElement(By.id("recount")).click();
        waiting(Duration.ofSeconds(60)).until(d -> !d.findElements(By.id("recount-pedestrians")).isEmpty());
        String body = "{\"lines\":[{\"name\":\"drawn\",\"points\":[[" + x1 + "," + y1 + "],[" + x2 + "," + y2
                + "]],\"direction\":\"both\"}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/traffic/jobs/" + jobId
                        + "/recount")).header("X-Api-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode api = JSON.readTree(r.body());
        assertThat(text("recount-pedestrians")).isEqualTo(api.path("total").path("pedestrians").asText());
        assertThat(text("recount-vehicles")).isEqualTo(api.path("total").path("vehicles").asText());
        assertThat(text("recount-events")).isEqualTo(String.valueOf(api.path("events").size()));
        saveView("recount");
    }

    @Test
    @Order(8)
    void theJobsSegmentsAreOnATimelineAndACutShowsItsFrame() throws Exception {
        click(By.id("tab-jobs"));
        click(By.cssSelector("button[aria-label='Segments of job " + jobId + "']"));
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("#segments-out .segment")).isEmpty());
        JsonNode result = JSON.readTree(get("/v1/jobs/video/" + jobId, KEY).body()).path("result");
        int segments = 0;
        for (JsonNode op : result) {
            segments += op.path("segments").size();
        }
        assertThat(driver.findElements(By.cssSelector("#segments-out .segment"))).hasSize(segments);
        JsonNode first = result.elements().next().path("segments").get(0);
        int cuts = first.path("cuts").size();
        assertThat(cuts).isPositive();
        // the keyboard opens a segment (one-frame segments lie too close together for a pointer)
        driver.findElements(By.cssSelector("#segments-out .segment")).get(0).sendKeys(Keys.ENTER);
        waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#segment-detail li")).size() == cuts);
        By thumb = By.cssSelector("#segment-detail button.cut");
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(thumb).isEmpty());
        WebElement cut = driver.findElements(thumb).get(0);
        assertThat(cut.getAttribute("aria-label")).isEqualTo(String.format(java.util.Locale.ROOT,
                "Frame of the cut at %.1f s", first.path("cuts").get(0).path("offset").asLong() / 1000.0));
        cut.sendKeys(Keys.ENTER);
        waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("cut-frame")).isDisplayed()
                && ((Number) js("return document.getElementById('cut-frame').naturalWidth")).intValue() > 0);
        // the frame came through fetch with the key, shown from a blob: URL
        assertThat(driver.findElement(By.id("cut-frame")).getAttribute("src")).startsWith("blob:");
        saveView("segments");
    }

    // --- the player and the search ---------------------------------------------------------------------

    @Test
    @Order(9)
    void theUploadedFilesBoxedVideoPlaysInThePlayer() throws Exception {
        click(By.id("tab-files"));
        By row = By.cssSelector("#files-table tr[data-file='" + plateFile + "']");
        // the list refreshes itself while the analysis runs
        waiting(JOB_WAIT).until(d -> "FINISHED".equals(d.findElement(row).getAttribute("data-analysis")));
        click(By.cssSelector("#files-table tr[data-file='" + plateFile + "'] button[aria-label$='with its boxes']"));
        // rendered after the job: the player asks again after each Retry-After until it is
        waiting(Duration.ofSeconds(120)).until(d -> "playing".equals(
                d.findElement(By.id("player-state")).getAttribute("data-state")));
        WebElement video = driver.findElement(By.id("player"));
        assertThat(video.isDisplayed()).isTrue();
        assertThat(video.getAttribute("src")).contains("/api/v1/file/" + plateFile + "/video/bbox?expires=")
                .contains("signature=").doesNotContain(KEY);
        waiting(Duration.ofSeconds(30)).until(d -> ((Number) js("return document.getElementById('player').readyState"))
                .intValue() >= 2);
        double duration = ((Number) js("return document.getElementById('player').duration")).doubleValue();
        JsonNode file = JSON.readTree(get("/api/v1/file/" + plateFile, KEY).body());
        assertThat(duration).isCloseTo(file.path("duration_ms").asLong() / 1000.0, org.assertj.core.data.Offset.offset(0.5));
        // it plays: the time moves on (muted, as a page may start a video without a gesture)
        js("const v = document.getElementById('player'); v.muted = true; v.play();");
        waiting(Duration.ofSeconds(20)).until(d -> ((Number) js("return document.getElementById('player').currentTime"))
                .doubleValue() > 0.3);
        js("document.getElementById('player').pause()");
        // the bytes came from the signed URL, answered without a key
        HttpResponse<String> signed = get(video.getAttribute("src").replace(base, ""), null);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/mp4"));
    }

    @Test
    @Order(10)
    void aPlateSearchFindsTheClipsPlateAndOpensTheVideoAtItsTime() throws Exception {
        click(By.id("tab-search"));
        driver.findElement(By.id("plate-text")).sendKeys("34a 368.37");
        driver.findElement(By.id("plate-search")).click();
        By results = By.cssSelector("#search-results button.result");
        waiting(Duration.ofSeconds(20)).until(d -> !d.findElements(results).isEmpty());
        // the API's answer for the same text
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/licence-plate"))
                .header("X-Api-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"licence_plate\": \"34A36837\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode best = JSON.readTree(r.body().lines().findFirst().orElseThrow());
        assertThat(best.path("licence_plate").asText()).isEqualTo("34A36837");
        assertThat(best.path("job").asText()).isEqualTo(plateJob);
        WebElement first = driver.findElements(results).get(0);
        long ms = best.path("time").asLong();
        String at = String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        assertThat(first.getAttribute("aria-label")).isEqualTo("Plate 34A36837 at " + at + " in job " + plateJob
                + ": open the video there");
        assertThat(first.getAttribute("data-time")).isEqualTo(String.valueOf(ms));
        assertThat(first.findElement(By.cssSelector("span.time")).getText()).isEqualTo(at);
        waiting(Duration.ofSeconds(10)).until(d -> ((Number) js("const i = document.querySelector("
                + "'#search-results img'); return i.complete ? i.naturalWidth : 0")).intValue() > 0);
        assertThat(first.findElement(By.tagName("img")).getAttribute("src")).startsWith("blob:");
        saveView("search");
        // the keyboard opens it: the file's boxed video, at the plate's time
        first.sendKeys(Keys.ENTER);
        waiting(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("view-files")).isDisplayed());
        assertThat(driver.findElement(By.id("player-at")).getText()).isEqualTo("Opened at " + at + " of the video.");
        waiting(Duration.ofSeconds(60)).until(d -> "playing".equals(d.findElement(By.id("player-state")).getAttribute("data-state"))
                && ((Number) js("return document.getElementById('player').readyState")).intValue() >= 1
                && Math.abs(((Number) js("return document.getElementById('player').currentTime")).doubleValue()
                        - ms / 1000.0) < 0.05);
        waiting(Duration.ofSeconds(30)).until(d -> (Boolean) js("const v = document.getElementById('player');"
                + " return !v.seeking && v.readyState >= 2"));
        saveView("files", "player-title");
        // a text no plate is like: none, said so
        click(By.id("tab-search"));
        WebElement text = driver.findElement(By.id("plate-text"));
        text.clear();
        text.sendKeys("ZZ99ZZZ");
        driver.findElement(By.id("plate-search")).click();
        waiting(Duration.ofSeconds(20)).until(d -> text("search-state").endsWith("none found."));
        assertThat(driver.findElements(results)).isEmpty();
    }


    /**
     * Search by face photo: a clip of a man (analyzer/src/test/resources/faces, Intel sample clip, CC
     * BY 4.0) uploaded from the files view with {@code face_embed} on every frame; a photo of him (a
     * crop of one of its frames) chosen in the face form finds his trace, and the first result is the
     * API's first match for the same photo.
     */
    @Test
    @Order(11)
    void aFacePhotoFindsThePersonsTrace() throws Exception {
        Path clip = Path.of("..", "analyzer", "src", "test", "resources", "faces", "head-pose-face-detection-male.mp4")
                .toAbsolutePath().normalize();
        click(By.id("tab-files"));
        String uuid = upload(clip, "face_embed", "0");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String status = "";
        while (!status.equals("FINISHED") && System.nanoTime() < deadline) {
            Thread.sleep(300);
            status = JSON.readTree(get("/api/v1/file/" + uuid, KEY).body()).path("analysis").path("status").asText();
        }
        assertThat(status).isEqualTo("FINISHED");
        byte[] jpeg = FacesEndToEndTest.photo(clip, 40, 245, 105, 200);
        Path photo = dir.resolve("man.jpg");
        Files.write(photo, jpeg);
        // the API's answer for the same photo
        String boundary = "argus-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"man.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        form.write(jpeg);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // the face index follows argus.faces a little behind the job's end: asked until the best match
        // is the photo's own frame (seq 40), every face is searchable
        JsonNode best = null;
        long indexed = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (best == null || (best.path("seq").asLong() != 40 && System.nanoTime() < indexed)) {
            if (best != null) {
                Thread.sleep(500);
            }
            HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/face-detect?file_uuid=" + uuid))
                    .header("X-Api-Key", KEY).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
            best = JSON.readTree(api.body().lines().findFirst().orElse("{}"));
        }
        assertThat(best.path("seq").asLong()).as(best.toString()).isEqualTo(40);
        String job = JSON.readTree(get("/api/v1/file/" + uuid, KEY).body()).path("job").asText();
        assertThat(best.path("job").asText()).isEqualTo(job);

        click(By.id("tab-search"));
        driver.findElement(By.id("face-photo")).sendKeys(photo.toString());
        WebElement scope = driver.findElement(By.id("face-file"));
        scope.clear();
        scope.sendKeys(uuid);
        driver.findElement(By.id("face-search")).click();
        By results = By.cssSelector("#search-results button.result");
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(results).isEmpty());
        WebElement first = driver.findElements(results).get(0);
        assertThat(first.getAttribute("data-job")).isEqualTo(job);
        assertThat(first.getAttribute("data-time")).isEqualTo(String.valueOf(best.path("time").asLong()));
        assertThat(first.getAttribute("aria-label")).startsWith("Face, score ");
        waiting(Duration.ofSeconds(10)).until(d -> ((Number) js("const i = document.querySelector("
                + "'#search-results img'); return i.complete ? i.naturalWidth : 0")).intValue() > 0);
    }
    @Test
    @Order(11)
    void aLiveRtmpJobIsFollowedLiveAndKilledFromTheList() throws Exception {
        try (ExternalProcess publisher = rtmp.publish("dash-cam", loop)) {
            followAndKill(rtmp.url("dash-cam"));
        }
    }

    /** Starts a job on a source URI from the form, watches its frames arrive and kills it from the list. */
    static void followAndKill(String uri) throws Exception {
        click(By.id("tab-jobs"));
        driver.findElement(By.id("job-uri")).sendKeys(uri);
        WebElement interval = driver.findElement(By.id("job-interval"));
        interval.clear();
        interval.sendKeys("200");
        assertThat(driver.findElement(By.id("op-detection")).isSelected()).isTrue();
        assertThat(driver.findElement(By.id("job-track")).isSelected()).isTrue();
        driver.findElement(By.id("job-start")).click();
        waiting(Duration.ofSeconds(30)).until(d -> text("status").matches("Job \\S+ started\\."));
        String running = text("status").replaceAll("^Job (\\S+) started\\.$", "$1");
        JsonNode job = JSON.readTree(get("/v1/jobs/video/" + running, KEY).body());
        assertThat(job.at("/request/params/tracking/op").asText()).isEqualTo("detection");
        assertThat(job.at("/request/params/vframe/interval").asDouble()).isEqualTo(0.2);

        click(By.cssSelector("button[aria-label='Watch job " + running + " live']"));
        waiting(Duration.ofSeconds(120)).until(d -> Integer.parseInt(
                d.findElement(By.id("live-frame")).getAttribute("data-frames")) >= 3);
        String seq = driver.findElement(By.id("live-frame")).getAttribute("data-seq");
        // the live job runs on: frames keep coming through the open stream, without reloading anything
        assertThat(JSON.readTree(get("/v1/jobs/video/" + running, KEY).body()).path("status").asText())
                .isEqualTo("DOING");
        waiting(Duration.ofSeconds(60)).until(d -> !seq.equals(d.findElement(By.id("live-frame")).getAttribute("data-seq")));
        assertThat(text("live-state")).isEqualTo("open");
        // the frame-by-frame chart follows the stream: one point per frame shown, the last one the shown count
        // (read in one script: the chart is redrawn as frames come)
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) js("const c = [...document.querySelectorAll("
                + "'#chart-live circle[data-series=\"People\"]')]; return [c.length, "
                + "c.length ? c[c.length - 1].dataset.value : null, document.getElementById('live-frame').dataset.frames, "
                + "document.getElementById('live-people').textContent]");
        assertThat(((Number) seen.get(0)).intValue()).isEqualTo(Math.min(120, Integer.parseInt((String) seen.get(2))));
        assertThat(seen.get(1)).isEqualTo(seen.get(3));
        // the segment open now: the detection op's labels since a time no later than the newest frame
        By detection = By.cssSelector("#live-segments tr[data-op='detection']");
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(detection).isEmpty()
                && d.findElement(detection).getAttribute("data-open-begin") != null);
        // read in one script: the row changes as frames come
        @SuppressWarnings("unchecked")
        List<Object> current = (List<Object>) js("const r = document.querySelector(\"#live-segments tr[data-op='detection']\");"
                + " return [r.querySelector('td.open').textContent, r.dataset.openBegin]");
        String open = (String) current.get(0);
        assertThat(open).matches("[a-z ]+ \\d\\.\\d\\d.* — since \\d+\\.\\d s \\(segment \\d+, \\d+\\.\\d s long\\)");
        long openBegin = Long.parseLong((String) current.get(1));
        double since = Double.parseDouble(open.replaceAll(".* — since (\\d+\\.\\d) s .*", "$1"));
        assertThat(since).isCloseTo(openBegin / 1000.0, org.assertj.core.data.Offset.offset(0.051));
        saveView("live-rtmp");

        click(By.id("tab-jobs"));
        click(By.cssSelector("button[aria-label='Kill job " + running + "']"));
        By row = By.cssSelector("#jobs-table tr[data-job='" + running + "']");
        waiting(Duration.ofSeconds(60)).until(d -> "CANCELLED".equals(d.findElement(row).getAttribute("data-status")));
        assertThat(JSON.readTree(get("/v1/jobs/video/" + running, KEY).body()).path("status").asText())
                .isEqualTo("CANCELLED");
    }

    // --- health -------------------------------------------------------------------------------------

    @Test
    @Order(12)
    void theHealthViewShowsTheMetrics() throws Exception {
        driver.findElement(By.id("tab-health")).click();
        waiting(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#health-jobs tbody tr")).isEmpty());
        String metrics = get("/metrics", null).body();
        String finished = metrics.lines().filter(l -> l.startsWith("argus_jobs{") && l.contains("status=\"FINISHED\""))
                .findFirst().orElseThrow().replaceAll(".* ", "");
        List<String> row = driver.findElements(By.cssSelector("#health-jobs tbody tr")).stream().map(WebElement::getText)
                .filter(t -> t.startsWith("FINISHED")).toList();
        assertThat(row).containsExactly("FINISHED " + (int) Double.parseDouble(finished));
        assertThat(finished).isNotEqualTo("0.0");
        assertThat(driver.findElements(By.cssSelector("#health-lag tbody tr")).size()).isGreaterThan(1);
        assertThat(driver.findElements(By.id("health-hooks"))).hasSize(1);
        saveView("health");
    }

    // --- accessibility and small screens -------------------------------------------------------------

    @Test
    @Order(13)
    void everyControlHasALabelInEveryView() {
        for (String view : List.of("jobs", "live", "counts", "segments", "files", "search", "health")) {
            driver.findElement(By.id("tab-" + view)).click();
            @SuppressWarnings("unchecked")
            List<Object> unlabelled = (List<Object>) js(
                    "return [...document.querySelectorAll('input, select, textarea, button')]"
                            + ".filter(e => e.offsetParent !== null)"
                            + ".filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label')"
                            + " || (e.tagName === 'BUTTON' && e.textContent.trim())))"
                            + ".map(e => e.outerHTML)");
            assertThat(unlabelled).as("controls without a label in " + view).isEmpty();
        }
        @SuppressWarnings("unchecked")
        List<Object> images = (List<Object>) js("return [...document.querySelectorAll('img')]"
                + ".filter(e => !e.hasAttribute('alt')).map(e => e.outerHTML)");
        assertThat(images).isEmpty();
    }

    @Test
    @Order(14)
    void theKeyboardReachesTheControlsInOrderAndOpensViews() {
        driver.findElement(By.id("tab-jobs")).click();
        js("window.scrollTo(0, 0); document.getElementById('skip').focus();");
        List<String> order = new ArrayList<>();
        order.add(driver.switchTo().activeElement().getAttribute("id"));
        Actions keys = new Actions(driver);
        for (int i = 0; i < 11; i++) {
            keys.sendKeys(Keys.TAB).perform();
            order.add(driver.switchTo().activeElement().getAttribute("id"));
        }
        assertThat(order).containsExactly("skip", "tab-jobs", "tab-live", "tab-counts", "tab-segments",
                "tab-files", "tab-search", "tab-health", "logout", "job-file", "job-uri", "op-" + firstOp());
        // the files and search views' controls, in order
        assertThat(tabOrder("files", "file-video", 6)).containsExactly("file-video", "file-ops", "file-interval",
                "file-upload", "files-refresh", "Play " + firstFile() + " with its boxes");
        assertThat(tabOrder("search", "plate-text", 7)).containsExactly("plate-text", "plate-search", "face-photo",
                "face-file", "face-job", "face-all", "face-search");
        // Enter on a focused tab opens its view
        driver.findElement(By.id("tab-health")).sendKeys(Keys.ENTER);
        waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("view-health")).isDisplayed());
        assertThat(driver.findElement(By.id("tab-health")).getAttribute("aria-current")).isEqualTo("page");
    }

    @Test
    @Order(15)
    void onAPhoneSizedScreenNothingOverflowsSideways() {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String view : List.of("jobs", "live", "counts", "segments", "files", "search", "health")) {
                driver.findElement(By.id("tab-" + view)).click();
                Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                Object wide = js("const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
                        + "'body *')].filter(e => e.getBoundingClientRect().right > w + 0.5 && !e.closest('.scroll'))"
                        + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5).join(' ')");
                assertThat(((Number) overflow).intValue()).as(view + ": " + wide).isLessThanOrEqualTo(0);
            }
            driver.findElement(By.id("tab-live")).click();
            saveView("phone-live");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(16)
    void loggingOutForgetsTheKey() {
        driver.findElement(By.id("logout")).click();
        waiting(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("api-key")).isDisplayed());
        assertThat(js("return sessionStorage.getItem('argus.apiKey')")).isNull();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
    }

    @Test
    @Order(17)
    void theScriptsRaisedNoErrorOnTheWay() {
        // network answers such as the wrong key's 401 are logged by the browser too; script errors are not those
        List<String> severe = driver.manage().logs().get("browser").getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage).toList();
        // the log is read: the wrong key's answer is in it
        assertThat(severe).anySatisfy(m -> assertThat(m).contains("401"));
        assertThat(severe.stream().filter(m -> !m.contains("Failed to load resource")).toList()).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** Opens a view, focuses a control and tabs on: the ids (else aria-labels) of what the focus reaches. */
    static List<String> tabOrder(String view, String from, int count) {
        driver.findElement(By.id("tab-" + view)).click();
        js("document.getElementById('" + from + "').focus()");
        List<String> order = new ArrayList<>();
        Actions keys = new Actions(driver);
        for (int i = 0; i < count; i++) {
            WebElement e = driver.switchTo().activeElement();
            String id = e.getAttribute("id");
            order.add(id == null || id.isEmpty() ? e.getAttribute("aria-label") : id);
            keys.sendKeys(Keys.TAB).perform();
        }
        return order;
    }

    /** @return "name (file_uuid)" of the first file listed */
    static String firstFile() {
        WebElement row = driver.findElement(By.cssSelector("#files-table tbody tr"));
        return row.findElement(By.cssSelector("td.source")).getText() + " (" + row.getAttribute("data-file") + ")";
    }

    static String firstOp() {
        return driver.findElement(By.cssSelector("#job-ops input")).getAttribute("value");
    }

    /** Clicks an element, again when the list it is in was redrawn meanwhile. */
    static void click(By by) {
        waiting(Duration.ofSeconds(20)).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    static void login(String key) {
        WebElement input = driver.findElement(By.id("api-key"));
        input.clear();
        input.sendKeys(key);
        driver.findElement(By.id("login")).click();
    }

    static List<Double> points(String chart, String series) {
        List<Double> out = new ArrayList<>();
        for (WebElement c : driver.findElements(By.cssSelector("#" + chart + " circle[data-series='" + series + "']"))) {
            out.add(Double.parseDouble(c.getAttribute("data-value")));
        }
        return out;
    }

    static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }

    static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    static String value(String id) {
        return driver.findElement(By.id(id)).getAttribute("value");
    }

    static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Waits for a condition of the page, polling every 200 ms. */
    record Waiting(Duration limit) {
        void until(java.util.function.Predicate<WebDriver> condition) {
            long end = System.nanoTime() + limit.toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < end) {
                try {
                    if (condition.test(driver)) {
                        return;
                    }
                    last = null;
                } catch (org.openqa.selenium.WebDriverException e) {
                    last = e; // an element not there yet, or replaced while read
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new AssertionError("not true within " + limit + "; status line: "
                    + driver.findElement(By.id("status")).getText(), last);
        }
    }

    static Waiting waiting(Duration d) {
        return new Waiting(d);
    }

    static HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Saves the page as docs' picture of a view, when -Dargus.dashboard.screenshots names a folder. */
    static void saveView(String name) {
        saveView(name, null);
    }

    /** Saves the page as docs' picture of a view scrolled to an element (null: the top). */
    static void saveView(String name, String top) {
        Optional.ofNullable(System.getProperty("argus.dashboard.screenshots")).ifPresent(folder -> {
            js(top == null ? "window.scrollTo(0, 0)" : "document.getElementById('" + top + "').scrollIntoView()");
            save(Path.of(folder), name);
        });
    }

    static void save(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".png"), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot save the screenshot " + name + ": " + e);
        }
    }

    /** Saves the browser's page under target/dashboard-screenshots when a test fails. */
    static final class ScreenshotOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            WebDriver d = driver;
            if (d != null) {
                save(Path.of("target", "dashboard-screenshots"), context.getRequiredTestMethod().getName());
            }
        }
    }
}
