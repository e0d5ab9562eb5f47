package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppPathsTest {

    @Test
    void theAppIsEverythingButTheApiOperationsDocsAndErrors() {
        assertThat(new String[] {"/", "/index.html", "/assets/app-abc123.js", "/projects/3/runs", "/apiary",
                "/login"}).allSatisfy(p -> assertThat(AppPaths.isAppPath(p)).as(p).isTrue());
        assertThat(new String[] {"/api", "/api/v1/projects", "/api/v1/session", "/actuator/health",
                "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
                "/swagger-ui/index.html", "/error"}).allSatisfy(p -> assertThat(AppPaths.isAppPath(p)).as(p).isFalse());
    }

    @Test
    void pathsThatCouldBeReadTwoWaysAreNeverTheApp() {
        assertThat(new String[] {"//api/v1/projects", "/x/../api/v1/projects", "/./api/v1/projects",
                "/x;jsessionid=1", "/%61pi/v1/projects", "/x\\..\\api", "", "api/v1"})
                .allSatisfy(p -> assertThat(AppPaths.isAppPath(p)).as(p).isFalse());
    }

    @Test
    void brotliGoesFirstAndRefusedCodingsAreDropped() {
        assertThat(BrotliFirst.acceptedCodings("gzip, deflate, br, zstd")).containsExactly("br", "gzip", "deflate",
                "zstd");
        assertThat(BrotliFirst.acceptedCodings("br;q=0, gzip;q=0.5")).containsExactly("gzip");
        assertThat(BrotliFirst.acceptedCodings("gzip;q=0.0, identity")).containsExactly("identity");
        assertThat(BrotliFirst.acceptedCodings("BR;q=1")).containsExactly("br");
    }
}
