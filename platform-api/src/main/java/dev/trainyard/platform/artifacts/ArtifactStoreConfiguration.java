package dev.trainyard.platform.artifacts;

import dev.trainyard.platform.TrainyardProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The {@link ArtifactStore} that {@code trainyard.artifacts.store} names: {@code local} (default), a directory at
 * {@code trainyard.artifacts-dir} ({@code .trainyard/artifacts} when unset); or {@code s3}, the bucket under
 * {@code trainyard.artifacts.s3.*}. Scheduling is on for {@link ArtifactDeletions}' sweeper.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class ArtifactStoreConfiguration {

    static final Path DEFAULT_LOCAL_DIR = Path.of(".trainyard", "artifacts");
    private static final Logger log = LoggerFactory.getLogger(ArtifactStoreConfiguration.class);

    @Bean
    ArtifactStore artifactStore(TrainyardProperties trainyard, ArtifactStoreProperties artifacts) {
        ArtifactStore store = switch (artifacts.store()) {
            case LOCAL -> local(trainyard.artifactsDir() != null ? trainyard.artifactsDir() : DEFAULT_LOCAL_DIR);
            case S3 -> S3ArtifactStore.create(artifacts.s3());
        };
        log.info("artifacts are kept in the {}", store.describe());
        return store;
    }

    private static LocalArtifactStore local(Path dir) {
        try {
            return new LocalArtifactStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir.toAbsolutePath() + " as the artifact directory "
                    + "(trainyard.artifacts-dir): " + e.getMessage(), e);
        }
    }
}
