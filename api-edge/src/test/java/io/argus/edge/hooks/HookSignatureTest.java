package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HookSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final byte[] BODY = "{\"id\":\"v1\",\"op\":\"pulp\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_700_000_000L;
    /** printf '1700000000.{"id":"v1","op":"pulp"}' | openssl dgst -sha256 -hmac whsec_test */
    private static final String EXPECTED = "74ae5bf8924e6c0700a6f95ffef1ab349b46672641f2bebe2c3766eb0360a685";

    @Test
    void signsHmacSha256OfTimestampDotBodyInLowercaseHex() {
        assertThat(HookSignature.hmacHex(SECRET, T, BODY)).isEqualTo(EXPECTED);
        assertThat(HookSignature.sign(SECRET, T, BODY)).isEqualTo("t=1700000000,v1=" + EXPECTED);
    }

    @Test
    void verifiesWithinTheTolerance() {
        String header = HookSignature.sign(SECRET, T, BODY);
        assertThat(HookSignature.verify(SECRET, header, BODY, 300, T)).isTrue();
        assertThat(HookSignature.verify(SECRET, header, BODY, 300, T + 300)).isTrue();
        assertThat(HookSignature.verify(SECRET, header, BODY, 300, T - 300)).isTrue();
        assertThat(HookSignature.verify(SECRET, header, BODY, 300, T + 301)).isFalse();
        assertThat(HookSignature.verify(SECRET, header, BODY, 300, T - 301)).isFalse();
        // against the clock
        String fresh = HookSignature.sign(SECRET, System.currentTimeMillis() / 1000, BODY);
        assertThat(HookSignature.verify(SECRET, fresh, BODY, 60)).isTrue();
        assertThat(HookSignature.verify(SECRET, header, BODY, 60)).isFalse();
    }

    @Test
    void rejectsTamperingAndOtherSecrets() {
        String header = HookSignature.sign(SECRET, T, BODY);
        byte[] tampered = BODY.clone();
        tampered[2] ^= 1;
        assertThat(HookSignature.verify(SECRET, header, tampered, 300, T)).isFalse();
        assertThat(HookSignature.verify("other", header, BODY, 300, T)).isFalse();
        // a different t breaks the signature (t is signed)
        assertThat(HookSignature.verify(SECRET, header.replace("t=1700000000", "t=1700000001"), BODY, 300, T)).isFalse();
    }

    @Test
    void acceptsUppercaseHexSpacesAndASecondV1() {
        assertThat(HookSignature.verify(SECRET, "t=1700000000, v1=" + EXPECTED.toUpperCase(), BODY, 300, T)).isTrue();
        assertThat(HookSignature.verify(SECRET, "v1=" + "00".repeat(32) + ",t=1700000000,v1=" + EXPECTED, BODY, 300, T))
                .isTrue();
    }

    @Test
    void rejectsMalformedHeaders() {
        for (String bad : new String[] {"", "garbage", "t=1700000000", "v1=" + EXPECTED, "t=abc,v1=" + EXPECTED,
                "t=1700000000,v1=zz", "t=1700000000,t=1700000000,v1=" + EXPECTED, "t=1700000000,v2=" + EXPECTED}) {
            assertThat(HookSignature.verify(SECRET, bad, BODY, 300, T)).as(bad).isFalse();
        }
        assertThat(HookSignature.verify(SECRET, null, BODY, 300, T)).isFalse();
        assertThat(HookSignature.verify(null, HookSignature.sign(SECRET, T, BODY), BODY, 300, T)).isFalse();
        assertThat(HookSignature.verify(SECRET, HookSignature.sign(SECRET, T, BODY), null, 300, T)).isFalse();
    }
}
