package io.argus.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles and principal names on API keys: the key-file and environment formats. */
class ApiKeyRolesTest {

    static final String ADMIN = "admin-key-0123456789abcdef";
    static final String ALICE = "alice-key-0123456789abcdef";
    static final String BOB = "bob-key-0123456789abcdef!#";

    @TempDir
    Path dir;

    @Test
    void aKeyFileGivesRolesAndNamesAndPlainKeysStayAdmins() throws Exception {
        Path f = dir.resolve("keys");
        Files.writeString(f, "# keys\n" + ADMIN + "\n" + ALICE + "   role=user  name=alice   # Alice's laptop\n"
                + BOB + " name=bob role=user\n" + "ops-key-0123456789abcdef role=admin name=ops\n");
        ApiKeys keys = ApiKeys.fromFile(f);
        assertThat(keys.size()).isEqualTo(4);
        Principal admin = keys.principal(ADMIN).orElseThrow();
        assertThat(admin.admin()).isTrue();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ADMIN.getBytes(StandardCharsets.UTF_8));
        assertThat(admin.name()).isEqualTo(Principal.keyName(digest)).matches("key-[0-9a-f]{16}")
                .doesNotContain(ADMIN);
        assertThat(admin.source()).isEqualTo(Principal.Source.API_KEY);
        Principal alice = keys.principal(ALICE).orElseThrow();
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.admin()).isFalse();
        assertThat(keys.principal(BOB).orElseThrow().name()).isEqualTo("bob");
        assertThat(keys.principal("ops-key-0123456789abcdef").orElseThrow().admin()).isTrue();
        assertThat(keys.principal(ALICE + " role=user name=alice")).isEmpty();
        assertThat(keys.principal("alice")).isEmpty();
        assertThat(keys.principal(null)).isEmpty();
    }

    @Test
    void theEnvironmentTakesTheSameEntriesSeparatedByCommas() {
        ApiKeys env = ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV, ADMIN + ", " + ALICE + " role=user name=alice ,"));
        assertThat(env.size()).isEqualTo(2);
        assertThat(env.principal(ADMIN).orElseThrow().admin()).isTrue();
        assertThat(env.principal(ALICE).orElseThrow()).isEqualTo(
                new Principal("alice", false, java.util.Set.of(), Principal.Source.API_KEY));
        ApiKeys user = ApiKeys.parse(List.of(BOB + " role=user"));
        assertThat(user.principal(BOB).orElseThrow().name()).startsWith("key-");
        assertThat(user.principal(BOB).orElseThrow().admin()).isFalse();
    }

    @Test
    void badAttributesAreRejectedWithoutShowingTheKey() throws Exception {
        assertThatThrownBy(() -> ApiKeys.fromString(ALICE + " role=root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("role must be admin or user").hasMessageNotContaining(ALICE);
        assertThatThrownBy(() -> ApiKeys.fromString(ALICE + " name=al/ice"))
                .hasMessageContaining("name must be").hasMessageNotContaining(ALICE);
        assertThatThrownBy(() -> ApiKeys.fromString(ALICE + " colour=blue"))
                .hasMessageContaining("neither role=admin|user nor name=").hasMessageNotContaining(ALICE);
        assertThatThrownBy(() -> ApiKeys.fromString(ALICE + " name=a name=b")).hasMessageContaining("given twice");
        Path f = dir.resolve("twice");
        Files.writeString(f, ALICE + " role=user name=alice\n" + ALICE + " name=mallory\n");
        assertThatThrownBy(() -> ApiKeys.fromFile(f)).hasMessageContaining("line 2")
                .hasMessageContaining("different roles or names").hasMessageNotContaining(ALICE);
        assertThatThrownBy(() -> ApiKeys.fromString(ALICE + " role=user name=alice")
                .and(ApiKeys.fromString(ALICE + " role=admin"))).hasMessageContaining("different roles or names");
    }

    @Test
    void principalNamesHaveOneShape() {
        assertThat(Principal.validName("alice")).isTrue();
        assertThat(Principal.validName("auth0|5f2c:team+1@example.com")).isTrue();
        assertThat(Principal.validName("x".repeat(128))).isTrue();
        assertThat(Principal.validName("x".repeat(129))).isFalse();
        assertThat(Principal.validName("")).isFalse();
        assertThat(Principal.validName(null)).isFalse();
        assertThat(Principal.validName("-alice")).isFalse();
        assertThat(Principal.validName("al ice")).isFalse();
        assertThat(Principal.validName("al/ice")).isFalse();
        assertThat(Principal.validName(Principal.ANONYMOUS.name())).as("internal names are not valid").isFalse();
        assertThat(Principal.validName(Principal.signedUrl("0".repeat(32)).name())).isFalse();
    }
}
