package hub.routing;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YAML DSL route files of {@code HUB_ROUTES_DIR}: loaded at start and again whenever one is written or deleted.
 * A file is applied as a whole or not at all. One that does not parse, has a route without an id, takes an id
 * another file owns, or whose routes fail to start is refused with one line naming the file and line, and the
 * routes it would have replaced are put back, so traffic goes on as before. A file's route may replace a route
 * of the same id shipped with the hub (in Java or on the classpath); deleting the file does not bring the shipped
 * one back until a restart.
 */
public class RouteFiles extends FileWatcherResourceReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final Path dir;
    private final String glob;
    private final PathMatcher pattern;
    private final Supplier<MeterRegistry> metrics;
    /** route ids per file, as last applied */
    private final Map<String, Set<String>> owned = new HashMap<>();
    /** each file's content as last applied or refused: a copy raises two events (create, modify), one counts */
    private final Map<String, String> seen = new HashMap<>();

    public RouteFiles(Path dir, String pattern, Supplier<MeterRegistry> metrics) {
        super(dir.toString());
        this.dir = dir.toAbsolutePath();
        this.glob = pattern;
        this.pattern = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        this.metrics = metrics;
        setFileFilter(f -> this.pattern.matches(f.toPath().getFileName()));
        // a change shows within a second, however quiet the directory was
        setPollTimeout(500);
        setResourceReload((name, resource) -> apply(Path.of(name).toAbsolutePath(), resource));
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> pattern.matches(f.getFileName())).sorted().toList()) {
                apply(file, PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + file));
            }
        }
        super.doStart();
    }

    @Override
    protected String startupMessage(File dir) {
        return "Watching " + dir + " for route files (" + glob + ")";
    }

    /** Applies one file's current content, or refuses it and leaves the running routes as they were. */
    synchronized void apply(Path file, Resource resource) {
        String key = file.toString();
        Set<String> previous = owned.getOrDefault(key, Set.of());
        if (!Files.exists(file)) {
            previous.forEach(this::remove);
            owned.remove(key);
            seen.remove(key);
            LOG.info("Route file {} deleted: removed routes {}", file, previous);
            count("removed");
            return;
        }
        try {
            String content = Files.readString(file);
            if (content.equals(seen.put(key, content))) {
                return;
            }
        } catch (IOException e) {
            refuse(file, 0, e);
            return;
        }
        CamelContext camel = getCamelContext();
        List<RouteBuilder> builders = new ArrayList<>();
        Map<String, RouteDefinition> incoming = new LinkedHashMap<>();
        try {
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource))) {
                RouteBuilder builder = (RouteBuilder) b;
                for (RouteDefinition route : builder.configureRoutes(camel).getRoutes()) {
                    check(key, route, incoming);
                    incoming.put(route.getRouteId(), route);
                }
                builders.add(builder);
            }
        } catch (Exception e) {
            refuse(file, line(e).orElse(0), e);
            return;
        }

        // what to put back if the new routes do not start
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> touched = new LinkedHashSet<>(previous);
        touched.addAll(incoming.keySet());
        Map<String, RouteDefinition> saved = new LinkedHashMap<>();
        touched.forEach(id -> Optional.ofNullable(model.getRouteDefinition(id)).ifPresent(d -> saved.put(id, d)));
        Set<String> before = routeIds();
        try {
            for (String id : previous) {
                if (!incoming.containsKey(id)) {
                    remove(id);
                }
            }
            for (RouteBuilder builder : builders) {
                builder.updateRoutesToCamelContext(camel);
            }
            owned.put(key, incoming.keySet());
            LOG.info("Route file {} applied: routes {}", file, incoming.keySet());
            count("applied");
        } catch (Exception e) {
            refuse(file, line(e).orElse(failedLine(e, incoming.values())), e);
            restore(model, saved, before, touched);
        }
    }

    private void check(String file, RouteDefinition route, Map<String, RouteDefinition> incoming) {
        if (!route.hasCustomIdAssigned()) {
            throw new InvalidRouteFile(route.getLineNumber(), "a route without an id (give every route a stable id)");
        }
        // every static endpoint resolves, so a misspelt option is refused before any running route is touched
        CamelContext camel = getCamelContext();
        Stream.<OptionalIdentifiedDefinition<?>>concat(Stream.of(route.getInput()), steps(route.getOutputs())).forEach(step -> {
            String uri = step instanceof FromDefinition from ? from.getEndpointUri()
                    : step instanceof SendDefinition<?> send && !(step instanceof ToDynamicDefinition)
                            ? send.getEndpointUri() : null;
            if (uri != null) {
                try {
                    camel.getEndpoint(camel.resolvePropertyPlaceholders(uri));
                } catch (RuntimeException e) {
                    int line = step.getLineNumber();
                    throw new InvalidRouteFile(line > 0 ? line : route.getLineNumber(), reason(e));
                }
            }
        });
        String id = route.getRouteId();
        if (incoming.containsKey(id)) {
            throw new InvalidRouteFile(route.getLineNumber(), "route id " + id + " appears twice");
        }
        owned.forEach((other, ids) -> {
            if (!other.equals(file) && ids.contains(id)) {
                throw new InvalidRouteFile(route.getLineNumber(), "route id " + id + " belongs to " + other);
            }
        });
    }

    /** Puts the saved definitions back and drops any route the failed attempt added. */
    private void restore(Model model, Map<String, RouteDefinition> saved, Set<String> before, Set<String> touched) {
        try {
            for (String id : routeIds()) {
                if (!before.contains(id) || touched.contains(id)) {
                    remove(id);
                }
            }
            model.addRouteDefinitions(saved.values());
        } catch (Exception e) {
            LOG.error("Could not put back routes {} after a refused route file: {}", saved.keySet(), e.getMessage(), e);
        }
    }

    private void remove(String id) {
        try {
            getCamelContext().getRouteController().stopRoute(id);
            getCamelContext().removeRoute(id);
        } catch (Exception e) {
            throw new IllegalStateException("could not remove route " + id + ": " + e.getMessage(), e);
        }
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (Route r : getCamelContext().getRoutes()) {
            ids.add(r.getRouteId());
        }
        return ids;
    }

    private void refuse(Path file, int line, Exception e) {
        LOG.error("Refused route file {} line {}: {}; the running routes are unchanged", file, line, reason(e));
        count("refused");
    }

    private void count(String result) {
        MeterRegistry registry = metrics.get();
        if (registry != null) {
            registry.counter("hub_route_file_reloads", "result", result).increment();
        }
    }

    /** The 1-based line a YAML error or a refused route points at. */
    private static Optional<Integer> line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException m) {
                Optional<Mark> mark = m.getProblemMark().or(m::getContextMark);
                if (mark.isPresent()) {
                    return Optional.of(mark.get().getLine() + 1);
                }
            }
            if (t instanceof InvalidRouteFile r) {
                return Optional.of(r.line);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The line of the route Camel's error names, else of the file's first route. */
    private static int failedLine(Throwable e, Collection<RouteDefinition> routes) {
        String text = String.valueOf(e.getMessage());
        return routes.stream().filter(r -> text.contains(" " + r.getRouteId() + " ")).findFirst()
                .or(() -> routes.stream().findFirst()).map(RouteDefinition::getLineNumber).orElse(0);
    }

    private static Stream<ProcessorDefinition<?>> steps(List<ProcessorDefinition<?>> outputs) {
        return outputs.stream().flatMap(d -> Stream.concat(Stream.of(d), steps(d.getOutputs())));
    }

    /** One line: the innermost message, without YAML's multi-line snippet. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t instanceof MarkedYamlEngineException m
                ? m.getProblem()
                : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
    }

    private static final class InvalidRouteFile extends IllegalArgumentException {
        private final int line;

        InvalidRouteFile(int line, String message) {
            super(message);
            this.line = line;
        }
    }
}
