package dev.trainyard.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver: nothing is downloaded, and each browser starts
 * from a fresh profile (no cookies, no cache). Screenshots go to {@code system-tests/target/screenshots/}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("trainyard.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("trainyard.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("trainyard.screenshots.dir",
            "target/screenshots")).toAbsolutePath();
    private static final Path AXE = Path.of(System.getProperty("trainyard.root", ".."))
            .resolve("web-ui/node_modules/axe-core/axe.min.js").toAbsolutePath().normalize();

    private final Path profile;
    private final ChromeDriver driver;
    private final String baseUrl;

    /** A browser for the app at {@code baseUrl}, with a 1280 x 800 window. */
    Browser(String baseUrl) {
        this(baseUrl, 1280, 800);
    }

    Browser(String baseUrl, int width, int height) {
        this.baseUrl = baseUrl;
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver");
        }
        try {
            profile = Files.createTempDirectory("trainyard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        resize(width, height);
    }

    WebDriver driver() {
        return driver;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Opens a client route: {@code open("/projects/3/runs")} loads {@code <base>/#/projects/3/runs}. */
    Browser open(String route) {
        driver.get(baseUrl + "/#" + route);
        return this;
    }

    /** Loads an absolute URL (a sign-in link). */
    Browser get(String url) {
        driver.get(url);
        return this;
    }

    /** Sets the viewport (not the window) to width x height CSS pixels. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        @SuppressWarnings("unchecked")
        List<Long> inner = (List<Long>) js("return [window.innerWidth, window.innerHeight]");
        int dw = width - inner.get(0).intValue();
        int dh = height - inner.get(1).intValue();
        if (dw != 0 || dh != 0) {
            driver.manage().window().setSize(new Dimension(width + dw, height + dh));
        }
    }

    /**
     * Makes the page see {@code prefers-color-scheme: scheme} ({@code "light"} or {@code "dark"}; {@code ""} for the
     * system's) from now on, through the DevTools protocol, as a system switching theme would: stylesheets follow at
     * once, without a reload.
     */
    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
        await("prefers-color-scheme: " + scheme, d -> scheme.isEmpty()
                || Boolean.TRUE.equals(js("return matchMedia(arguments[0]).matches", "(prefers-color-scheme: " + scheme + ")")));
    }

    /**
     * Delays every request of the page by {@code ms} (0: none), through the DevTools protocol, so that what a page
     * shows while its answers are on their way can be looked at.
     */
    void latency(int ms) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", ms,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** The hash route now shown, such as {@code /projects/3/runs?sort=createdAt,asc}. */
    String route() {
        return ((String) js("return decodeURIComponent(location.hash.replace(/^#/, ''))"));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Object asyncJs(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits until the condition answers non-null and non-false; fails saying what was awaited and the page. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, WAIT, condition);
    }

    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(RuntimeException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + " on " + driver.getCurrentUrl() + "; the page says:\n" + bodyText(), e);
        }
    }

    /** Waits for an element that is displayed. */
    WebElement find(String css) {
        return await("an element " + css, d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            return e.isDisplayed() ? e : null;
        });
    }

    /** Waits for a displayed button with exactly this text. */
    WebElement button(String text) {
        return await("a button '" + text + "'", d -> d.findElements(By.tagName("button")).stream()
                .filter(b -> b.isDisplayed() && b.getText().strip().equals(text)).findFirst().orElse(null));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Waits until the page shows the text somewhere. */
    void awaitText(String text) {
        await("the text '" + text + "'", d -> bodyText().contains(text));
    }

    /** Waits for a heading (h1) with this text. */
    void awaitHeading(String text) {
        await("a heading '" + text + "'", d -> d.findElements(By.tagName("h1")).stream()
                .anyMatch(h -> h.getText().strip().equals(text)));
    }

    /** Waits until nothing on the page says it is loading. */
    void awaitLoaded() {
        await("the page to finish loading", d -> d.findElements(By.cssSelector(".state-loading")).isEmpty());
    }

    String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no body: " + e.getMessage() + ")";
        }
    }

    /** Displayed buttons, links and form controls whose text or accessible label starts with one of these. */
    List<String> controlsNamed(String... names) {
        List<String> found = new ArrayList<>();
        for (WebElement e : all("button, a, [role=button], select, input")) {
            String text = e.getText().strip();
            String label = e.getAttribute("aria-label");
            for (String n : names) {
                if ((text.startsWith(n) || (label != null && label.startsWith(n))) && e.isDisplayed()) {
                    found.add(n + " (" + e.getTagName() + ")");
                }
            }
        }
        return found;
    }

    /**
     * Scrolls an element that scrolls sideways (CSS {@code scroller}) into view and to its right end, and returns
     * {@code scrolled} (its scrollLeft) and {@code text}: the text of the cell at its left edge, 8 px in, at the height
     * of the element {@code row} inside it (or of its middle when {@code row} is null) — the cell a reader sees there.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> leftEdgeScrolledToEnd(String scroller, String row) {
        return (Map<String, Object>) js("""
                const s = document.querySelector(arguments[0]);
                const row = arguments[1] ? s.querySelector(arguments[1]) : null;
                (row ?? s).scrollIntoView({ block: 'center' });
                s.scrollLeft = s.scrollWidth;
                const box = s.getBoundingClientRect();
                const r = row ? row.getBoundingClientRect() : box;
                const hit = document.elementFromPoint(box.left + s.clientLeft + 8, r.top + r.height / 2);
                const cell = hit && hit.closest('td, th, [role=cell], [role=columnheader]');
                return { scrolled: s.scrollLeft, text: cell ? cell.textContent.trim() : null };""", scroller, row);
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/<name>.png}; returns its path. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs axe-core (the npm package the web-ui build installed) in the page and returns its violations of impact
     * serious or critical, each as {@code id (impact): help; nodes: ...}.
     */
    List<String> seriousAccessibilityViolations() {
        if (js("return typeof window.axe") instanceof String s && !s.equals("object")) {
            try {
                js(Files.readString(AXE, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("axe-core is not at " + AXE + "; build web-ui first (npm ci)", e);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) asyncJs("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done({ violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')) })) }))
                  .catch(e => done({ error: String(e) }));
                """);
        if (result.containsKey("error")) {
            throw new AssertionError("axe-core failed: " + result.get("error"));
        }
        List<String> serious = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) result.get("violations");
        for (Map<String, Object> v : violations) {
            Object impact = v.get("impact");
            if ("serious".equals(impact) || "critical".equals(impact)) {
                serious.add(v.get("id") + " (" + impact + "): " + v.get("help") + "; nodes: " + v.get("nodes"));
            }
        }
        return serious;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
