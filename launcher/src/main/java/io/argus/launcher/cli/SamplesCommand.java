package io.argus.launcher.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.argus.extractor.samples.SampleVideos;
import picocli.CommandLine.Command;

/** {@code argus samples}: fetches the sample videos (Debian opencv-doc) into data/samples. */
@Command(name = "samples", mixinStandardHelpOptions = true,
        description = "Fetch the sample videos (vtest.avi, Megamind.avi, tree.avi from Debian's opencv-doc).")
public final class SamplesCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        for (String name : SampleVideos.NAMES) {
            Path p = SampleVideos.ensure(name);
            System.out.println(p);
        }
        return 0;
    }
}
