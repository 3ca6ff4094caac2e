package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.launcher.cli.ConfigFileDefaults;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Stage lists and the configuration file's place between the command line, the environment and defaults. */
class StageConfigTest {

    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--bootstrap-servers", defaultValue = "${env:ARGUS_TEST_BOOTSTRAP}")
        String bootstrap;

        @Option(names = "--partitions", defaultValue = "${env:ARGUS_TEST_PARTITIONS:-4}")
        int partitions;

        @Option(names = "--instance-id", defaultValue = "0")
        String instanceId;
    }

    @Test
    void stagesParseCaseInsensitivelyAndUnknownOnesAreNamed() {
        assertThat(Stage.parse("all")).isEqualTo(Stage.all());
        assertThat(Stage.parse(null)).isEqualTo(Stage.all());
        assertThat(Stage.parse("Analyzer, flow")).containsExactlyInAnyOrder(Stage.ANALYZER, Stage.FLOW);
        assertThatThrownBy(() -> Stage.parse("analyser")).hasMessageContaining("unknown stage 'analyser'")
                .hasMessageContaining("analyzer");
        assertThatThrownBy(() -> Stage.parse(" , ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void someStagesNeedACluster() {
        assertThatThrownBy(() -> new RuntimeConfig(dir, null, null, 4, (short) 1, 2, 16, 1, "127.0.0.1", -1, "0",
                null, java.time.Duration.ofDays(7), Stage.parse("analyzer")))
                .hasMessageContaining("--bootstrap-servers");
        RuntimeConfig ok = new RuntimeConfig(dir, "k:9092", null, 4, (short) 1, 2, 16, 1, "127.0.0.1", -1, "0",
                null, java.time.Duration.ofDays(7), Stage.parse("analyzer"));
        assertThat(ok.runs(Stage.ANALYZER)).isTrue();
        assertThat(ok.runs(Stage.EDGE)).isFalse();
    }

    @Test
    void fileValuesSitBelowTheCommandLineAndTheEnvironment() throws Exception {
        Properties file = new Properties();
        file.put("bootstrap-servers", "from-file:9092");
        file.put("partitions", "12");
        file.put("instance-id", "file-1");
        Map<String, String> env = Map.of("ARGUS_TEST_PARTITIONS", "24");

        Probe fromFile = parse(file, env);
        assertThat(fromFile.bootstrap).isEqualTo("from-file:9092");
        assertThat(fromFile.partitions).as("the environment wins over the file").isEqualTo(24);
        assertThat(fromFile.instanceId).isEqualTo("file-1");

        Probe cli = parse(file, env, "--instance-id", "cli-1", "--partitions", "8");
        assertThat(cli.instanceId).isEqualTo("cli-1");
        assertThat(cli.partitions).isEqualTo(8);

        Probe none = parse(new Properties(), Map.of());
        assertThat(none.partitions).isEqualTo(4);
        assertThat(none.bootstrap).isNull();
    }

    /**
     * An option documented as read from an environment variable must read it in its annotation
     * ({@code defaultValue = "${env:…}"}): {@link ConfigFileDefaults} only knows to step aside for
     * the environment there. --url-allow once read ARGUS_URL_ALLOW in code, so a value in the
     * configuration file beat the environment.
     */
    @Test
    void everyOptionNamingAnEnvironmentVariableReadsItInItsAnnotation() throws Exception {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile("\\(env (ARGUS_[A-Z_]+)");
        int checked = 0;
        for (String cls : new String[] {"RuntimeOptions", "ServerCommand", "AnalyzeCommand", "BenchCommand",
            "ModelsCommand", "ResultsCommand", "SamplesCommand", "BrokerCommand"}) {
            for (java.lang.reflect.Field f : Class.forName("io.argus.launcher.cli." + cls).getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                java.util.regex.Matcher m = o == null ? null : named.matcher(String.join(" ", o.description()));
                if (m == null || !m.find() || m.group(1).equals(ConfigFileDefaults.ENV)) {
                    continue;
                }
                assertThat(o.defaultValue()).as(cls + "." + f.getName()).contains("${env:" + m.group(1));
                checked++;
            }
        }
        assertThat(checked).as("options naming an environment variable").isGreaterThanOrEqualTo(8);
    }

    /**
     * The reverse: an option that reads an environment variable names it in its help ("env
     * ARGUS_…"), since README sends users to --help for them; --port once read ARGUS_HTTP_PORT
     * without saying so.
     */
    @Test
    void everyOptionReadingAnEnvironmentVariableNamesItInItsHelp() throws Exception {
        java.util.regex.Pattern reads = java.util.regex.Pattern.compile("\\$\\{env:(ARGUS_[A-Z_]+)");
        int checked = 0;
        for (String cls : new String[] {"RuntimeOptions", "ServerCommand", "AnalyzeCommand", "BenchCommand",
            "ModelsCommand", "ResultsCommand", "SamplesCommand", "BrokerCommand"}) {
            for (java.lang.reflect.Field f : Class.forName("io.argus.launcher.cli." + cls).getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                java.util.regex.Matcher m = o == null ? null : reads.matcher(o.defaultValue());
                if (m == null || !m.find()) {
                    continue;
                }
                String help = String.join(" ", o.description());
                assertThat(help).as(cls + "." + f.getName()).contains("env " + m.group(1));
                checked++;
            }
        }
        assertThat(checked).as("options reading an environment variable").isGreaterThanOrEqualTo(20);
    }

    @Test
    void theFileIsNamedByOptionOrEnvironment() throws Exception {
        Path f = Files.writeString(dir.resolve("argus.properties"), "stages=ingest\n");
        assertThat(ConfigFileDefaults.locate(new String[] {"server", "--config", f.toString()}, k -> null)).isEqualTo(f);
        assertThat(ConfigFileDefaults.locate(new String[] {"server", "--config=" + f}, k -> null)).isEqualTo(f);
        assertThat(ConfigFileDefaults.locate(new String[] {"server"}, Map.of("ARGUS_CONFIG", f.toString())::get)).isEqualTo(f);
        assertThat(ConfigFileDefaults.locate(new String[] {"server"}, k -> null)).isNull();
        assertThat(ConfigFileDefaults.load(f)).isNotNull();
    }

    private static Probe parse(Properties file, Map<String, String> env, String... args) {
        Probe p = new Probe();
        CommandLine cmd = new CommandLine(p);
        // the annotations' ${env:…} read the real environment: emulate the test's environment here
        ConfigFileDefaults defaults = new ConfigFileDefaults(file, env::get);
        cmd.setDefaultValueProvider(arg -> {
            String v = defaults.defaultValue(arg);
            String raw = arg instanceof CommandLine.Model.OptionSpec o ? ConfigFileDefaults.annotatedDefault(o) : null;
            if (v == null && raw != null && raw.startsWith("${env:")) {
                String e = env.get(raw.substring(6).replaceAll("[:}].*", ""));
                if (e != null) {
                    return e;
                }
            }
            return v;
        });
        cmd.parseArgs(args);
        return p;
    }
}
