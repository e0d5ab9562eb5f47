package dev.trainyard.platform.standalone;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code trainyard.standalone.*}: what {@code ./trainyard standalone} starts besides the API. Only the
 * standalone profile reads them.
 *
 * @param worker the worker embedded in the platform
 * @param demo the demo experiment submitted on the first start
 */
@ConfigurationProperties("trainyard.standalone")
public record StandaloneProperties(@DefaultValue Worker worker, @DefaultValue Demo demo) {

    /**
     * @param enabled whether the platform runs a worker in its own process
     * @param maxRuns runs it trains at once
     * @param dataRoot where run specs' dataset paths are resolved (Debian's dataset packages install there)
     * @param workDir the worker's checkpoints and dataset cache ({@code ${trainyard.home}/worker})
     * @param shutdownTimeout how long stopping may take: checkpoint and upload the running runs, deregister
     */
    public record Worker(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1") int maxRuns,
            @DefaultValue("/usr/share/datasets") Path dataRoot,
            Path workDir,
            @DefaultValue("20s") Duration shutdownTimeout) {}

    /**
     * @param enabled whether the first start (no projects yet) submits the demo experiment
     * @param trainSubset Fashion-MNIST training images each demo run trains on
     * @param testSubset test images each demo run is evaluated on
     * @param epochs epochs of each demo run
     */
    public record Demo(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("6000") int trainSubset,
            @DefaultValue("1000") int testSubset,
            @DefaultValue("3") int epochs) {}
}
