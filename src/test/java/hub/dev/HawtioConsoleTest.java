package hub.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import hub.testing.HubTestSupport;
import hub.testing.SharedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dev launcher's Hawtio console, in Debian's headless Chromium: it connects to its own JVM, where the hub
 * runs, and its Camel routes page lists the hub's routes by routeId. Its proxy also reaches the hub's
 * authenticated Jolokia on the management port, as a Hawtio of its own does in production.
 */
@HubTestSupport.HubProperties({"hub.management.username=ops", "hub.management.password=hawtio-test-secret"})
class HawtioConsoleTest extends HubTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(executable), executable + " is missing: this test needs Debian's headless"
                    + " Chromium (apt-get install -y chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                // as root Chromium runs only without its sandbox
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void hawtiosProxyReachesTheHubsJolokiaWithTheManagementUser() throws Exception {
        String viaProxy = SharedServices.hawtioUrl() + "proxy/http/127.0.0.1/" + managementPort
                + "/observe/jolokia/search/org.apache.camel:type=routes,*";
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(viaProxy)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(viaProxy))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ops:hawtio-test-secret".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("name=\\\"events-outbox-relay\\\""), answer.body());
    }

    @Test
    void pagesOfOtherSitesCannotUseTheConsolesJolokiaThroughTheBrowser() throws Exception {
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"VmName\"}";
        URI jolokia = URI.create(SharedServices.hawtioUrl() + "jolokia/");
        String own = "http://" + jolokia.getAuthority();
        assertEquals(200, post(jolokia, read, "Origin", own).statusCode());
        assertEquals(403, post(jolokia, read, "Origin", "http://evil.example").statusCode());
        // a DNS name rebound to 127.0.0.1: the browser sends it as Host and as Origin (HttpClient may not set Host)
        String rebound = "evil.example:" + jolokia.getPort();
        try (Socket socket = new Socket(jolokia.getHost(), jolokia.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + jolokia.getPath() + " HTTP/1.1\r\nHost: " + rebound
                    + "\r\nOrigin: http://" + rebound + "\r\nContent-Type: text/plain\r\nContent-Length: "
                    + read.length() + "\r\nConnection: close\r\n\r\n" + read).getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 403 Forbidden", status);
        }
    }

    private static HttpResponse<String> post(URI uri, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCamelRoutesPageListsTheHubsRoutesByRouteId() throws Exception {
        List<String> routes = List.of("events-outbox-relay", "cqrs-outbox-relay", "queue-process-jobs", "saga-checkout");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        try {
            browser.get(SharedServices.hawtioUrl() + "camel/routes");
            // Hawtio connects to the Jolokia of this JVM and shows the hub's context in its Camel tree;
            // the context's "routes" folder opens the routes page
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                    "//button[contains(@class,'tree-view__node-text') and normalize-space()='routes']"))).click();
            // a row per route in the routes table, named by routeId, with the route's state
            wait.until(page -> routes.stream().allMatch(route -> !page.findElements(By.xpath(
                    "//*[@id='camel-content-main']//tr[td[normalize-space()='" + route + "']"
                            + " and td[normalize-space()='Started']]")).isEmpty()));
        } finally {
            Files.write(Path.of("target", "hawtio-camel-routes.png"), browser.getScreenshotAs(OutputType.BYTES));
        }
    }
}
