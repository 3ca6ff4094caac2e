package io.argus.schemas.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.argus.schemas.net.UrlGuard.Decision;
import io.argus.schemas.net.UrlGuard.Verdict;

/** The SSRF guard with the JVM's real resolver (IP literals and localhost), plus a few fixed resolvers. */
class UrlGuardTest {

    private final UrlGuard strict = UrlGuard.of("");

    private void refused(UrlGuard guard, String url) {
        Decision d = guard.check(url);
        assertThat(d.verdict()).as(url).isEqualTo(Verdict.REFUSED);
        assertThat(d.reason()).as(url).isNotBlank();
    }

    @Test
    void refusesEverySpecialPurposeIpv4Block() {
        for (String host : new String[] {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1",
                "100.127.255.254", "127.0.0.1", "127.255.0.9", "169.254.169.254", "169.254.0.1", "172.16.0.1",
                "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1",
                "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1",
                "255.255.255.255"}) {
            refused(strict, "http://" + host + "/v.mp4");
        }
    }

    @Test
    void allowsOrdinaryAddressesAtTheEdgesOfTheBlocks() {
        for (String host : new String[] {"9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
                "172.15.255.255", "172.32.0.0", "169.253.255.255", "192.167.255.255", "198.17.255.255",
                "198.20.0.0", "223.255.255.255", "8.8.8.8", "1.1.1.1"}) {
            assertThat(strict.check("https://" + host + "/x").allowed()).as(host).isTrue();
        }
    }

    @Test
    void refusesSpecialPurposeIpv6BlocksAndEmbeddedIpv4() {
        for (String host : new String[] {"[::]", "[::1]", "[fe80::1]", "[febf::1]", "[fc00::1]", "[fd12:3456::1]",
                "[ff02::1]", "[fec0::1]", "[2001:db8::1]", "[2001::1]", "[100::1]", "[3fff::1]", "[5f00::1]",
                "[64:ff9b:1::1]", "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:10.1.2.3]",
                "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[2002:c0a8:0101::1]", "[::127.0.0.1]"}) {
            refused(strict, "http://" + host + ":8080/x");
        }
        assertThat(strict.check("http://[2606:4700::1111]/").allowed()).isTrue();
        assertThat(strict.check("http://[::ffff:8.8.8.8]/").allowed()).isTrue();
        assertThat(strict.check("http://[64:ff9b::808:808]/").allowed()).isTrue();
        assertThat(strict.check("http://[2002:808:808::1]/").allowed()).isTrue();
    }

    @Test
    void judgesAnIpv6FormOfAMappedAddressByItsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(strict.checkAddress(v6).refused()).isTrue();
        assertThat(strict.checkAddress(v6).reason()).contains("link-local");
        assertThat(UrlGuard.of("169.254.0.0/16").checkAddress(v6).allowed()).isTrue();
    }

    @Test
    void refusesNumericHostsThatAreNotCanonicalDottedQuads() {
        for (String host : new String[] {"2130706433", "127.1", "0x7f.1", "0x7f000001", "0177.0.0.1",
                "010.0.0.1", "127.0.0.01", "1.2.3.4.5", "8.8.8.010"}) {
            Decision d = UrlGuard.of("loopback").check("http://" + host + "/");
            assertThat(d.verdict()).as(host).isEqualTo(Verdict.REFUSED);
            assertThat(d.reason()).as(host).contains("canonical");
        }
    }

    @Test
    void resolvesLocalhostAndRefusesItWithoutNamingTheAddress() {
        Decision d = strict.check("http://localhost:9/hook");
        assertThat(d.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(d.reason()).contains("'localhost'").contains("loopback").doesNotContain("127.0.0.1");
        assertThat(strict.check("http://LOCALHOST./").refused()).isTrue();
        assertThat(UrlGuard.defaults().check("http://localhost:9/hook").allowed()).isTrue();
    }

    @Test
    void defaultAllowsLoopbackOnly() {
        UrlGuard g = UrlGuard.defaults();
        assertThat(g.check("rtmp://127.0.0.1:1935/live/cam").allowed()).isTrue();
        assertThat(g.check("http://[::1]:8080/").allowed()).isTrue();
        refused(g, "http://169.254.169.254/latest/meta-data/");
        refused(g, "http://10.0.0.5/");
        refused(g, "http://0.0.0.0:8080/");
    }

    @Test
    void allowListTakesBlocksAddressesNamesAndWildcards() {
        UrlGuard g = UrlGuard.of("10.20.0.0/16, 192.168.1.7 localhost *.cams.internal fd00::/8");
        assertThat(g.check("rtsp://10.20.3.4/stream").allowed()).isTrue();
        assertThat(g.check("rtsp://[::ffff:10.20.3.4]/stream").allowed()).isTrue();
        refused(g, "rtsp://10.21.3.4/stream");
        assertThat(g.check("http://192.168.1.7/").allowed()).isTrue();
        refused(g, "http://192.168.1.8/");
        assertThat(g.check("http://localhost:1/").allowed()).isTrue();
        refused(g, "http://127.0.0.1:1/"); // the name is listed, not its address
        assertThat(g.check("http://[fd00::5]/").allowed()).isTrue();
        // a listed wildcard name is allowed without resolving (this one does not exist)
        assertThat(g.check("http://a.cams.internal/").allowed()).isTrue();
        assertThat(g.check("http://cams.internal/").verdict()).isNotEqualTo(Verdict.ALLOWED);
    }

    @Test
    void keywordsAndStar() {
        assertThat(UrlGuard.of("private").check("rtsp://192.168.0.10/").allowed()).isTrue();
        assertThat(UrlGuard.of("private").check("rtsp://[fd00::10]/").allowed()).isTrue();
        refused(UrlGuard.of("private"), "rtsp://127.0.0.1/");
        UrlGuard all = UrlGuard.of("loopback, *");
        assertThat(all.allowsAll()).isTrue();
        assertThat(all.check("http://169.254.169.254/").allowed()).isTrue();
        assertThat(UrlGuard.allowAll().check("http://10.0.0.1/").allowed()).isTrue();
        refused(UrlGuard.allowAll(), "gopher://127.0.0.1/");
    }

    @Test
    void refusesOtherSchemesAndUrlsWithoutHost() {
        refused(UrlGuard.defaults(), "file:///etc/passwd");
        refused(UrlGuard.defaults(), "ftp://8.8.8.8/");
        refused(UrlGuard.defaults(), "http:/relative");
        refused(UrlGuard.defaults(), "http://[fe80::1%25eth0]/");
        refused(UrlGuard.defaults(), "http://exa mple/");
        assertThat(UrlGuard.defaults().check("rtsps://8.8.8.8/").allowed()).isTrue();
    }

    @Test
    void anUnresolvableNameIsUnresolvedNotAllowed() {
        Decision d = strict.check("http://no-such-host.invalid/v.mp4");
        assertThat(d.verdict()).isEqualTo(Verdict.UNRESOLVED);
        assertThat(d.allowed()).isFalse();
        assertThat(d.refused()).isFalse();
    }

    @Test
    void aRefusalSaysHowToAllowTheAddress() {
        Decision camera = strict.check("rtsp://192.168.1.5/cam");
        assertThat(camera.refused()).isTrue();
        assertThat(camera.reason()).contains("private-use (RFC 1918)")
                .contains("--url-allow 192.168.1.5").contains("ARGUS_URL_ALLOW=192.168.1.5");
        Decision named = strict.withResolver(h -> new InetAddress[] {InetAddress.getLoopbackAddress()})
                .check("http://Cam.LAN/live");
        assertThat(named.reason()).contains("--url-allow cam.lan").contains("ARGUS_URL_ALLOW=cam.lan")
                .doesNotContain("127.0.0.1");
        // the hint is what the allow-list takes: the entry lets the same URL through
        assertThat(UrlGuard.of("192.168.1.5").check("rtsp://192.168.1.5/cam").allowed()).isTrue();
    }

    @Test
    void oneSpecialAddressAmongSeveralRefusesTheName() throws Exception {
        InetAddress pub = InetAddress.getByName("8.8.8.8");
        InetAddress meta = InetAddress.getByName("169.254.169.254");
        UrlGuard g = strict.withResolver(h -> new InetAddress[] {pub, meta});
        Decision d = g.check("http://mixed.example/");
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("mixed.example").contains("link-local").doesNotContain("169.254");
        assertThat(strict.withResolver(h -> new InetAddress[] {pub}).check("http://mixed.example/").allowed())
                .isTrue();
    }

    @Test
    void badAllowListEntriesAreRejected() {
        assertThatThrownBy(() -> UrlGuard.of("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlGuard.of("127.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlGuard.of("http://x/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlGuard.of("*.")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingPrefersTheOptionThenTheEnvironmentThenTheDefault() {
        assertThat(UrlGuard.fromSetting("10.0.0.0/8", Map.of(UrlGuard.ENV, "*")).allowList()).isEqualTo("10.0.0.0/8");
        assertThat(UrlGuard.fromSetting(null, Map.of(UrlGuard.ENV, "*")).allowsAll()).isTrue();
        assertThat(UrlGuard.fromSetting(null, Map.of()).allowList()).isEqualTo("loopback");
        assertThat(UrlGuard.fromSetting("", Map.of()).check("http://127.0.0.1/").refused()).isTrue();
    }

    @Test
    void cidrParsesAndMatches() throws Exception {
        Cidr c = Cidr.parse("172.16.0.0/12");
        assertThat(c.contains(InetAddress.getByName("172.31.1.1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
        assertThat(c.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(Cidr.parse("[fd00::1]/8").contains(InetAddress.getByName("fdff::1"))).isTrue();
        assertThat(Cidr.literal("example.com")).isEmpty();
        assertThat(Cidr.literal("fe80::1%eth0")).isEmpty();
    }
}
