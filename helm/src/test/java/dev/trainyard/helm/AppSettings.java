package dev.trainyard.helm;

import dev.trainyard.worker.WorkerProperties;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The environment a deployment file gives a process, bound the way Spring Boot binds it at start into the
 * applications' own settings records, so a misspelt variable (which Spring would silently ignore) is found here.
 */
final class AppSettings {

    /** Spring Boot's own settings the deployment files use (not Trainyard's, so not bound here). */
    static final Set<String> SPRING_SETTINGS = Set.of("SPRING_PROFILES_ACTIVE", "SPRING_APPLICATION_JSON",
            "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE", "SERVER_SHUTDOWN", "SERVER_PORT",
            "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE", "LOGGING_STRUCTURED_FORMAT_CONSOLE", "JAVA_TOOL_OPTIONS");

    private AppSettings() {}

    /*
     * The platform's settings records, loaded by name: its classes are on the test class path only at run time (from
     * platform-api/target/classes, see the pom), as its jar is the repackaged executable one.
     */
    private static final Class<?> TRAINYARD_PROPERTIES = platformClass("dev.trainyard.platform.TrainyardProperties");
    private static final Class<?> ARTIFACT_STORE_PROPERTIES = platformClass("dev.trainyard.platform.artifacts.ArtifactStoreProperties");

    /** The platform's settings: trainyard.* and trainyard.artifacts.*, as records read with {@link #get}. */
    record Platform(Record trainyard, Record artifacts) {}

    static Platform platform(Map<String, String> env) {
        Binder b = binder(env);
        return new Platform((Record) b.bindOrCreate("trainyard", Bindable.of(TRAINYARD_PROPERTIES)),
                (Record) b.bindOrCreate("trainyard.artifacts", Bindable.of(ARTIFACT_STORE_PROPERTIES)));
    }

    /** A component of a settings record, following a path of component names: get(store, "s3", "bucket"). */
    static Object get(Object record, String... path) {
        Object value = record;
        for (String name : path) {
            try {
                value = value.getClass().getMethod(name).invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(value.getClass().getName() + " has no component " + name, e);
            }
        }
        return value;
    }

    private static Class<?> platformClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the class path: build platform-api first", e);
        }
    }

    static WorkerProperties worker(Map<String, String> env) {
        return binder(env).bindOrCreate("trainyard.worker", WorkerProperties.class);
    }

    /** The variables application-production.yaml reads for the database (ProductionSettingsCheck requires them). */
    @SuppressWarnings("unchecked")
    static List<String> databaseVariables() {
        try {
            Field f = Class.forName("dev.trainyard.platform.ProductionSettingsCheck").getDeclaredField("REQUIRED");
            f.setAccessible(true);
            return (List<String>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The TRAINYARD_ variables that no setting of the process reads: binding records the variable each bound value
     * came from (its origin), and a variable that is not among them is misspelt or meant for another process.
     */
    static List<String> unread(Map<String, String> env, boolean platform) {
        Set<String> read = new HashSet<>();
        var sources = sources(env);
        BindHandler recorder = new BindHandler() {
            @Override
            public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                    Object result) {
                for (var source : sources) {
                    var property = source.getConfigurationProperty(name);
                    if (property != null) {
                        read.add(variable(property.getOrigin()));
                    }
                }
                return result;
            }
        };
        Binder b = new Binder(sources, null, ApplicationConversionService.getSharedInstance());
        if (platform) {
            b.bindOrCreate("trainyard", Bindable.of(TRAINYARD_PROPERTIES), recorder);
            b.bindOrCreate("trainyard.artifacts", Bindable.of(ARTIFACT_STORE_PROPERTIES), recorder);
        } else {
            b.bindOrCreate("trainyard.worker", Bindable.of(WorkerProperties.class), recorder);
        }
        return env.keySet().stream()
                .filter(name -> name.startsWith("TRAINYARD_"))
                .filter(name -> !(platform && databaseVariables().contains(name)))
                .filter(name -> !read.contains(name))
                .sorted()
                .toList();
    }

    /** The environment variable a bound value came from. */
    private static String variable(Origin origin) {
        return switch (origin) {
            case SystemEnvironmentOrigin env -> env.getProperty();
            case PropertySourceOrigin source when source.getOrigin() != null -> variable(source.getOrigin());
            case PropertySourceOrigin source -> source.getPropertyName();
            default -> throw new AssertionError("a value from " + origin);
        };
    }

    private static Binder binder(Map<String, String> env) {
        return new Binder(sources(env), null, ApplicationConversionService.getSharedInstance());
    }

    private static Iterable<ConfigurationPropertySource> sources(Map<String, String> env) {
        // named as the real one: Spring maps TRAINYARD_WORKER_MAXRUNS to trainyard.worker.max-runs only for it
        var source = new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new HashMap<String, Object>(env));
        return ConfigurationPropertySources.from(source);
    }
}
