package io.argus.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** JWT verification: HS256 from a secret file, RS256 and ES256 from a JWKS file, and every refusal. */
class JwtVerifierTest {

    static final String SECRET = "jwt-secret-0123456789abcdef-0123456789";
    static final String FILE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    static JWTClaimsSet.Builder claims(String sub, long expInS) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        if (sub != null) {
            b.subject(sub);
        }
        if (expInS != Long.MIN_VALUE) {
            b.expirationTime(new Date(System.currentTimeMillis() + expInS * 1000));
        }
        return b;
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null, claims);
    }

    JwtVerifier hmac() throws Exception {
        Path f = dir.resolve("jwt.secret");
        Files.writeString(f, SECRET + "\n");
        return JwtVerifier.fromFiles(f, null);
    }

    @Test
    void aGoodHs256TokenGivesItsPrincipal() throws Exception {
        JwtVerifier v = hmac();
        Principal p = v.verify(hs256(SECRET, claims("alice", 600).claim(JwtVerifier.FILES_CLAIM,
                List.of(FILE.toUpperCase())).build()));
        assertThat(p.name()).isEqualTo("alice");
        assertThat(p.admin()).isFalse();
        assertThat(p.files()).containsExactly(FILE);
        assertThat(p.source()).isEqualTo(Principal.Source.JWT);
        Principal admin = v.verify(hs256(SECRET, claims("ops", 600).claim(JwtVerifier.ROLE_CLAIM, "admin").build()));
        assertThat(admin.admin()).isTrue();
        assertThat(admin.files()).isEmpty();
        assertThat(v.toString()).isEqualTo("JwtVerifier[HS256 secret]").doesNotContain(SECRET);
    }

    @Test
    void badTokensAreRefusedWithTheReason() throws Exception {
        JwtVerifier v = hmac();
        assertThatThrownBy(() -> v.verify(hs256("another-secret-0123456789abcdef-xyz", claims("alice", 600).build())))
                .isInstanceOf(JwtVerifier.InvalidToken.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("alice", -3600).build())))
                .isInstanceOf(JwtVerifier.InvalidToken.class).hasMessageContaining("xpired");
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("alice", Long.MIN_VALUE).build())))
                .isInstanceOf(JwtVerifier.InvalidToken.class).hasMessageContaining("exp");
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims(null, 600).build())))
                .isInstanceOf(JwtVerifier.InvalidToken.class).hasMessageContaining("sub");
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("al ice", 600).build())))
                .hasMessageContaining("sub claim must be");
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("alice", 600).claim(JwtVerifier.ROLE_CLAIM, "root")
                .build()))).hasMessageContaining(JwtVerifier.ROLE_CLAIM);
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("alice", 600).claim(JwtVerifier.FILES_CLAIM, "x")
                .build()))).hasMessageContaining(JwtVerifier.FILES_CLAIM);
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("alice", 600).claim(JwtVerifier.FILES_CLAIM,
                List.of("../etc")).build()))).hasMessageContaining("32 hexadecimal digits");
        String unsigned = new PlainJWT(new PlainHeader(), claims("alice", 600).build()).serialize();
        assertThat(JwtVerifier.looksLikeJwt(unsigned)).isTrue();
        assertThatThrownBy(() -> v.verify(unsigned)).isInstanceOf(JwtVerifier.InvalidToken.class);
        assertThatThrownBy(() -> v.verify("a.b.c")).isInstanceOf(JwtVerifier.InvalidToken.class)
                .hasMessageContaining("malformed");
        assertThat(JwtVerifier.looksLikeJwt("plain-api-key-0123456789")).isFalse();
    }

    @Test
    void rs256AndEs256TokensAreCheckedWithTheJwksFile() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").algorithm(JWSAlgorithm.RS256).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").algorithm(JWSAlgorithm.ES256).generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        JwtVerifier v = JwtVerifier.fromFiles(null, jwks);
        assertThat(v.verify(sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims("bob", 60).build()))
                .name()).isEqualTo("bob");
        assertThat(v.verify(sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", claims("carol", 60).build()))
                .name()).isEqualTo("carol");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        assertThatThrownBy(() -> v.verify(sign(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1",
                claims("bob", 60).build()))).isInstanceOf(JwtVerifier.InvalidToken.class);
        assertThatThrownBy(() -> v.verify(hs256(SECRET, claims("bob", 60).build())))
                .as("no HMAC secret: HS256 is refused").isInstanceOf(JwtVerifier.InvalidToken.class);
        JwtVerifier both = JwtVerifier.fromFiles(hmacFile(), jwks);
        assertThat(both.verify(hs256(SECRET, claims("dave", 60).build())).name()).isEqualTo("dave");
        assertThat(both.toString()).isEqualTo("JwtVerifier[HS256 secret + 2 JWK(s)]");
    }

    Path hmacFile() throws Exception {
        return Files.writeString(dir.resolve("s2"), SECRET);
    }

    @Test
    void badConfigurationIsAnErrorAtStart() throws Exception {
        assertThat(JwtVerifier.fromFiles(null, null)).isNull();
        Path shortSecret = Files.writeString(dir.resolve("short"), "too-short\n");
        assertThatThrownBy(() -> JwtVerifier.fromFiles(shortSecret, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes").hasMessageNotContaining("too-short");
        Path notJson = Files.writeString(dir.resolve("jwks"), "{not json");
        assertThatThrownBy(() -> JwtVerifier.fromFiles(null, notJson)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JWKS");
        assertThatThrownBy(() -> JwtVerifier.fromFiles(dir.resolve("missing"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
    }
}
