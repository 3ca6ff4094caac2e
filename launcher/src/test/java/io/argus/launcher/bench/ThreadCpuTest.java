package io.argus.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ThreadCpuTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void aBusyThreadIsChargedToItsGroupAndTheProcess() throws Exception {
        ThreadCpu before = ThreadCpu.now();
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            long x = 1;
            while (System.nanoTime() < end) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "argus-spin-7");
        busy.start();
        Thread.sleep(150); // the thread must still be alive when the second snapshot is taken
        ThreadCpu spent = ThreadCpu.now().since(before);
        busy.join();

        double spin = spent.of("argus-spin");
        assertTrue(spin >= 50, "the spinning thread's group got " + spin + " ms: " + spent.describe());
        // the process total (getProcessCpuTime: /proc/self/stat, in 10 ms clock ticks on Linux) can lag the
        // threads' schedstat (ns) by up to two ticks between two snapshots
        assertTrue(spent.process() >= spin - 20, spent.describe());
        assertEquals(spin, spent.groups().get("argus-spin"), 1e-9, "digits and the trailing dash are dropped");
    }

    @Test
    void medianIsTakenPerGroupWithMissingGroupsCountingZero() {
        ThreadCpu a = new ThreadCpu(Map.of("flow", 10.0, "jit", 4.0), 20);
        ThreadCpu b = new ThreadCpu(Map.of("flow", 30.0), 40);
        ThreadCpu c = new ThreadCpu(Map.of("flow", 20.0, "jit", 1.0), 30);

        ThreadCpu m = ThreadCpu.median(List.of(a, b, c));

        assertEquals(20.0, m.groups().get("flow"));
        assertEquals(1.0, m.groups().get("jit"));
        assertEquals(30.0, m.process());
        assertEquals(21.0, m.of("flow", "jit"));
    }
}
